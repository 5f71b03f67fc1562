import { json, type Reply } from './router.js';

/**
 * FastAPI/pydantic-style validation errors for the Conversations v2 API
 * (seed 001 is a FastAPI service: `List[Conversation]`, `ConversationCreate`).
 */
export interface ValidationIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function validationError(issues: ValidationIssue[]): Reply {
  return json(422, { detail: issues });
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}

export function uuidIssue(loc: Array<string | number>, input: unknown): ValidationIssue {
  return { type: 'uuid_parsing', loc, msg: 'Input should be a valid UUID', input };
}

/** An integer query parameter with bounds; pushes an issue and returns undefined when invalid. */
export function queryInt(
  query: URLSearchParams,
  opts: { name: string; default: number; ge?: number; le?: number },
  issues: ValidationIssue[],
): number | undefined {
  const name = opts.name;
  const raw = query.get(name);
  if (raw === null) return opts.default;
  const loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    issues.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw });
    return undefined;
  }
  const n = Number(raw);
  if (opts.ge !== undefined && n < opts.ge) {
    issues.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${opts.ge}`, input: raw, ctx: { ge: opts.ge } });
    return undefined;
  }
  if (opts.le !== undefined && n > opts.le) {
    issues.push({ type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${opts.le}`, input: raw, ctx: { le: opts.le } });
    return undefined;
  }
  return n;
}

/** An optional string field of a JSON body. */
export function optionalString(body: Record<string, unknown>, key: string, issues: ValidationIssue[]): string | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') {
    issues.push({ type: 'string_type', loc: ['body', key], msg: 'Input should be a valid string', input: v });
    return undefined;
  }
  return v;
}

export function bodyObjectIssue(body: unknown): ValidationIssue | undefined {
  if (body === undefined) return { type: 'missing', loc: ['body'], msg: 'Field required', input: null };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body };
  }
  return undefined;
}

export function enumIssue(loc: Array<string | number>, input: unknown, allowed: readonly string[]): ValidationIssue {
  const expected = allowed.map((a) => `'${a}'`).join(', ').replace(/, ([^,]*)$/, ' or $1');
  return { type: 'enum', loc, msg: `Input should be ${expected}`, input, ctx: { expected } };
}
