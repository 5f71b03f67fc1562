import { Checker, describe, isRecord } from './check.js';
import { JSON_TYPES, type ExtractRule, type Expect, type RetryPolicy, type Step, type ValueAssertion } from './model.js';

export const STEP_KEYS = [
  'id',
  'description',
  'method',
  'path',
  'params',
  'headers',
  'body',
  'extract',
  'expect',
  'onFail',
  'use',
  'retry',
  'timeoutMs',
  'token',
  'followRedirects',
] as const;
export const EXPECT_KEYS = ['status', 'body', 'headers', 'maxMs', 'schema'] as const;
export const ASSERTION_KEYS = ['equals', 'exists', 'type', 'matches', 'length', 'contains', 'oneOf'] as const;
export const EXTRACT_KEYS = ['from', 'path', 'header', 'regex', 'group'] as const;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Checks one step mapping (at dotted `path`, e.g. "steps.0") and returns the
 * typed step. Wrong parts are reported and left out; the step is still
 * returned so lint can look at the rest.
 */
export function checkStep(c: Checker, raw: unknown, path: string): Step | undefined {
  if (!isRecord(raw)) {
    c.error('step-not-mapping', `a step must be a mapping of keys, not ${describe(raw)}`, c.valueSpan(path), 'start each step with "- id: name" and indent its keys under it');
    return undefined;
  }
  c.unknownKeys(raw, path, STEP_KEYS, 'step', 'unknown-step-key');
  const step: Partial<Step> = {};
  const id = c.string(raw, path, 'id', { required: true });
  step.id = id ?? '';
  const use = c.string(raw, path, 'use');
  if (use !== undefined) step.use = use;
  set(step, 'description', c.string(raw, path, 'description'));
  set(step, 'method', c.string(raw, path, 'method', { required: use === undefined }));
  set(step, 'path', c.string(raw, path, 'path', { required: use === undefined }));
  set(step, 'params', scalarMap(c, raw.params, `${path}.params`, 'params', false) as Step['params']);
  set(step, 'headers', scalarMap(c, raw.headers, `${path}.headers`, 'headers', true) as Step['headers']);
  if (raw.body !== undefined) step.body = raw.body;
  set(step, 'extract', extract(c, raw.extract, `${path}.extract`));
  set(step, 'expect', expectation(c, raw.expect, `${path}.expect`));
  set(step, 'onFail', c.oneOf(raw, path, 'onFail', ['abort', 'continue'] as const));
  set(step, 'retry', retry(c, raw.retry, `${path}.retry`));
  set(step, 'timeoutMs', c.integer(raw, path, 'timeoutMs', 1));
  set(step, 'token', c.string(raw, path, 'token'));
  set(step, 'followRedirects', c.boolean(raw, path, 'followRedirects'));
  return step as Step;
}

function set<K extends keyof Step>(step: Partial<Step>, key: K, value: Step[K] | undefined): void {
  if (value !== undefined) step[key] = value;
}

function scalarMap(c: Checker, v: unknown, path: string, label: string, asString: boolean): Record<string, string | number | boolean> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    c.typeError(path, label, 'a mapping of names to values', v);
    return undefined;
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = asString ? String(x) : x;
    else c.typeError(`${path}.${k}`, `${label}.${k}`, 'a string, number or boolean', x);
  }
  return out;
}

function extract(c: Checker, v: unknown, path: string): Record<string, ExtractRule> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    c.typeError(path, 'extract', 'a mapping of variable names to JSONPaths', v);
    return undefined;
  }
  const out: Record<string, ExtractRule> = {};
  for (const [name, rule] of Object.entries(v)) {
    const p = `${path}.${name}`;
    if (!VAR_NAME.test(name)) {
      c.error('invalid-value', `"${name}" is not a usable variable name`, c.keySpan(p), 'use letters, digits and _ (starting with a letter or _), e.g. client_id');
      continue;
    }
    if (typeof rule === 'string') {
      out[name] = rule;
      continue;
    }
    if (!isRecord(rule)) {
      c.typeError(p, `extract.${name}`, 'a JSONPath string or a mapping like { from: header, header: ETag }', rule);
      continue;
    }
    c.unknownKeys(rule, p, EXTRACT_KEYS, 'extract', 'unknown-step-key');
    const from = c.oneOf(rule, p, 'from', ['body', 'header', 'status'] as const);
    if (rule.from === undefined) c.error('missing-key', '"from" is required in the long form of extract', c.keySpan(p), 'add from: body, from: header or from: status');
    const r: Exclude<ExtractRule, string> = { from: from ?? 'body' };
    const jp = c.string(rule, p, 'path');
    if (jp !== undefined) r.path = jp;
    const header = c.string(rule, p, 'header');
    if (header !== undefined) r.header = header;
    if (from === 'header' && header === undefined) c.error('missing-key', 'extract from: header needs "header"', c.keySpan(p), 'add header: Header-Name');
    const regex = regexString(c, rule, p, 'regex');
    if (regex !== undefined) r.regex = regex;
    const group = c.integer(rule, p, 'group', 0);
    if (group !== undefined) r.group = group;
    if (from !== undefined) out[name] = r;
  }
  return out;
}

function expectation(c: Checker, v: unknown, path: string): Expect | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) {
    c.typeError(path, 'expect', 'a mapping (status, body, headers, maxMs, schema)', v);
    return undefined;
  }
  c.unknownKeys(v, path, EXPECT_KEYS, 'expect', 'unknown-step-key');
  const out: Expect = {};
  const st = v.status;
  const okStatus = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 100 && x <= 599;
  if (st !== undefined && st !== null) {
    if (okStatus(st)) out.status = st;
    else if (Array.isArray(st) && st.length > 0 && st.every(okStatus)) out.status = st as number[];
    else c.typeError(`${path}.status`, 'expect.status', 'an HTTP status (100-599) or a list of them, e.g. [200, 201]', st);
  }
  if (v.body !== undefined && v.body !== null) {
    if (!isRecord(v.body)) c.typeError(`${path}.body`, 'expect.body', 'a mapping of JSONPaths to assertions', v.body);
    else {
      const body: Record<string, ValueAssertion> = {};
      for (const [jp, a] of Object.entries(v.body)) {
        const x = assertion(c, a, `${path}.body.${jp}`, `expect.body["${jp}"]`);
        if (x) body[jp] = x;
      }
      out.body = body;
    }
  }
  if (v.headers !== undefined && v.headers !== null) {
    if (!isRecord(v.headers)) c.typeError(`${path}.headers`, 'expect.headers', 'a mapping of header names to values or assertions', v.headers);
    else {
      const headers: Record<string, string | ValueAssertion> = {};
      for (const [h, a] of Object.entries(v.headers)) {
        if (typeof a === 'string' || typeof a === 'number') headers[h] = String(a);
        else {
          const x = assertion(c, a, `${path}.headers.${h}`, `expect.headers["${h}"]`);
          if (x) headers[h] = x;
        }
      }
      out.headers = headers;
    }
  }
  const maxMs = c.integer(v, path, 'maxMs', 1);
  if (maxMs !== undefined) out.maxMs = maxMs;
  if (v.schema !== undefined && v.schema !== null) {
    if (isRecord(v.schema)) out.schema = v.schema;
    else c.typeError(`${path}.schema`, 'expect.schema', 'a JSON Schema mapping', v.schema);
  }
  return out;
}

function assertion(c: Checker, v: unknown, path: string, label: string): ValueAssertion | undefined {
  if (!isRecord(v)) {
    c.error('invalid-value', `${label} must be a mapping of assertions, not ${describe(v)}`, c.valueSpan(path), `write e.g. { equals: ${JSON.stringify(v ?? null)} } (or exists, type, matches, length, contains, oneOf)`);
    return undefined;
  }
  c.unknownKeys(v, path, ASSERTION_KEYS, 'assertion', 'unknown-step-key');
  const a: ValueAssertion = {};
  if ('equals' in v) a.equals = v.equals;
  if ('contains' in v) a.contains = v.contains;
  const exists = c.boolean(v, path, 'exists');
  if (exists !== undefined) a.exists = exists;
  const type = c.oneOf(v, path, 'type', JSON_TYPES);
  if (type !== undefined) a.type = type;
  const matches = regexString(c, v, path, 'matches');
  if (matches !== undefined) a.matches = matches;
  const len = v.length;
  if (len !== undefined && len !== null) {
    const nat = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
    if (nat(len)) a.length = len;
    else if (isRecord(len) && Object.keys(len).every((k) => k === 'min' || k === 'max') && (len.min === undefined || nat(len.min)) && (len.max === undefined || nat(len.max))) {
      a.length = len as { min?: number; max?: number };
    } else c.typeError(`${path}.length`, 'length', 'a whole number or { min, max }', len);
  }
  if (v.oneOf !== undefined) {
    if (Array.isArray(v.oneOf)) a.oneOf = v.oneOf;
    else c.typeError(`${path}.oneOf`, 'oneOf', 'a list of allowed values', v.oneOf);
  }
  if (Object.keys(v).length === 0) c.error('invalid-value', `${label} has no assertion`, c.valueSpan(path), 'add one of: equals, exists, type, matches, length, contains, oneOf');
  return a;
}

function regexString(c: Checker, obj: Record<string, unknown>, path: string, key: string): string | undefined {
  const s = c.string(obj, path, key);
  if (s === undefined) return undefined;
  try {
    new RegExp(s);
  } catch (e) {
    c.error('bad-regex', `${key} is not a valid regular expression: ${(e as Error).message}`, c.valueSpan(`${path}.${key}`), 'use JavaScript regular expression syntax; quote it with single quotes in YAML');
    return undefined;
  }
  return s;
}

function retry(c: Checker, v: unknown, path: string): number | RetryPolicy | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  if (isRecord(v)) {
    c.unknownKeys(v, path, ['attempts', 'backoffMs'], 'retry', 'unknown-step-key');
    const attempts = c.integer(v, path, 'attempts', 1);
    if (v.attempts === undefined) c.error('missing-key', '"attempts" is required in retry', c.keySpan(path), 'add attempts: 3');
    const backoffMs = c.integer(v, path, 'backoffMs', 0);
    if (attempts === undefined) return undefined;
    return backoffMs === undefined ? { attempts } : { attempts, backoffMs };
  }
  c.typeError(path, 'retry', 'a number of attempts (1 or more) or { attempts, backoffMs }', v);
  return undefined;
}
