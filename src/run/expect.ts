import { isDeepStrictEqual } from 'node:util';
import type { Expect, ValueAssertion } from '../spec/model.js';
import { queryJsonPath } from '../spec/jsonpath.js';
import type { ResponseView } from './extract.js';
import type { AssertionResult } from './result.js';

/** Every expectation of a step, each recorded with expected and actual values. */
export async function checkExpect(expect: Expect | undefined, view: ResponseView, o: { durationMs: number; redact(v: unknown): unknown }): Promise<AssertionResult[]> {
  const out: AssertionResult[] = [];
  const status = view.response.status;
  if (expect?.status === undefined) {
    out.push({ kind: 'status', op: 'in', expected: '2xx', actual: status, passed: status >= 200 && status < 300 });
  } else {
    const list = Array.isArray(expect.status) ? expect.status : [expect.status];
    out.push({ kind: 'status', op: 'in', expected: list, actual: status, passed: list.includes(status) });
  }
  for (const [path, assertion] of Object.entries(expect?.body ?? {})) {
    const json = view.json();
    if (!json.ok) {
      out.push({ kind: 'body', target: path, op: 'json', expected: 'a JSON body', actual: view.snippet(120), passed: false, message: json.message });
      continue;
    }
    const found = queryJsonPath(json.value, path);
    out.push(...checkValue(assertion, { kind: 'body', target: path, found: found.length > 0, value: found.length > 1 ? found : found[0], redact: o.redact }));
  }
  for (const [name, want] of Object.entries(expect?.headers ?? {})) {
    const value = view.response.headers[name.toLowerCase()];
    const assertion: ValueAssertion = typeof want === 'string' ? { equals: want } : want;
    out.push(...checkValue(assertion, { kind: 'header', target: name, found: value !== undefined, value, redact: o.redact }));
  }
  if (expect?.maxMs !== undefined) {
    out.push({ kind: 'maxMs', op: '<=', expected: expect.maxMs, actual: Math.round(o.durationMs), passed: o.durationMs <= expect.maxMs });
  }
  if (expect?.schema) {
    const json = view.json();
    if (!json.ok) out.push({ kind: 'schema', op: 'valid', expected: 'a JSON body', actual: view.snippet(120), passed: false, message: json.message });
    else out.push(await checkSchema(expect.schema, json.value, o.redact));
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function checkValue(a: ValueAssertion, o: { kind: 'body' | 'header'; target: string; found: boolean; value: unknown; redact(v: unknown): unknown }): AssertionResult[] {
  const out: AssertionResult[] = [];
  const actual = o.redact(o.value);
  const push = (op: string, expected: unknown, passed: boolean, message?: string): void => {
    out.push({ kind: o.kind, target: o.target, op, expected, actual: o.found ? actual : undefined, passed, ...(message ? { message } : {}) });
  };
  if (a.exists !== undefined) push('exists', a.exists, o.found === a.exists, o.found === a.exists ? undefined : o.found ? 'present but expected absent' : 'not found');
  const needs = Object.keys(a).some((k) => k !== 'exists');
  if (!needs) return out;
  if (!o.found) {
    push(Object.keys(a).find((k) => k !== 'exists')!, Object.values(a).find((_, i) => Object.keys(a)[i] !== 'exists'), false, `${o.target} not found in the response`);
    return out;
  }
  const v = o.value;
  if (a.equals !== undefined) push('equals', a.equals, isDeepStrictEqual(v, a.equals));
  if (a.type !== undefined) {
    const t = typeOf(v);
    push('type', a.type, t === a.type || (a.type === 'number' && t === 'integer'));
  }
  if (a.matches !== undefined) {
    let ok = false;
    try {
      ok = new RegExp(a.matches).test(typeof v === 'string' ? v : JSON.stringify(v));
    } catch {
      ok = false;
    }
    push('matches', a.matches, ok);
  }
  if (a.length !== undefined) {
    const len = typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
    const ok =
      len !== undefined &&
      (typeof a.length === 'number' ? len === a.length : (a.length.min === undefined || len >= a.length.min) && (a.length.max === undefined || len <= a.length.max));
    out.push({ kind: o.kind, target: o.target, op: 'length', expected: a.length, actual: len ?? typeOf(v), passed: ok });
  }
  if (a.contains !== undefined) {
    const ok = Array.isArray(v) ? v.some((x) => isDeepStrictEqual(x, a.contains)) : typeof v === 'string' && v.includes(String(a.contains));
    push('contains', a.contains, ok);
  }
  if (a.oneOf !== undefined) push('oneOf', a.oneOf, a.oneOf.some((x) => isDeepStrictEqual(x, v)));
  return out;
}

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const compiled = new Map<string, Validate>();

async function checkSchema(schema: Record<string, unknown>, body: unknown, redact: (v: unknown) => unknown): Promise<AssertionResult> {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  try {
    if (!validate) {
      // Loaded only by steps that ask for a schema: most runs never pay for ajv.
      const { Ajv } = await import('ajv');
      validate = new Ajv({ strict: false, allErrors: false }).compile(schema) as Validate;
      compiled.set(key, validate);
    }
  } catch (e) {
    return { kind: 'schema', op: 'valid', expected: 'a valid JSON Schema', actual: (e as Error).message, passed: false, message: 'the expect.schema does not compile' };
  }
  const ok = validate(body);
  const err = validate.errors?.[0];
  return ok
    ? { kind: 'schema', op: 'valid', expected: 'matches schema', actual: 'valid', passed: true }
    : { kind: 'schema', target: err?.instancePath || '/', op: 'valid', expected: 'matches schema', actual: redact(`${err?.instancePath || '/'} ${err?.message ?? 'invalid'}`), passed: false };
}
