import type { Expect, ValueAssertion } from '../specfile/model.js';
import { evaluateJsonPath } from '../specfile/jsonpath.js';
import type { ResponseView } from './extract.js';
import { holdsBigInt, jsonEquals, storeValue, stringifyJson } from './json-value.js';
import { checkJsonSchema } from './json-schema.js';
import type { AssertionResult } from '../result/result.js';

/**
 * Every expectation of a step, each recorded with what was expected and what
 * came back (redacted). The status assertion always comes first, so a caller
 * can tell "wrong status" from "right status, wrong body".
 */

export interface ExpectOptions {
  /** Time from request to last body byte. */
  durationMs: number;
  /** Redacts strings anywhere inside a value. */
  redact(v: unknown): unknown;
}

export async function checkExpect(expect: Expect | undefined, view: ResponseView, o: ExpectOptions): Promise<AssertionResult[]> {
  const out: AssertionResult[] = [checkStatus(expect?.status, view.response.status)];
  for (const [path, assertion] of Object.entries(expect?.body ?? {})) {
    const json = view.json();
    if (!json.ok) {
      out.push({ kind: 'body', target: path, op: 'json', expected: 'a JSON body', actual: view.snippet(120), passed: false, message: json.message });
      continue;
    }
    const r = evaluateJsonPath(json.value, path, { numbers: () => view.numbers() });
    if (!r.ok) {
      // A query that could not be evaluated says so; it is never "not found" (which `exists: false` would pass).
      out.push({ kind: 'body', target: path, op: 'evaluate', expected: 'a JSONPath result', actual: undefined, passed: false, message: r.message });
      continue;
    }
    // RFC 9535 nodelists: a singular query has its value or is absent; any other query is the list of what it selected.
    const matched = r.values.length > 0;
    const value = r.singular ? r.values[0] : r.values;
    out.push(...checkValue(assertion, { kind: 'body', target: path, found: r.singular ? matched : true, matched, value, redact: o.redact }));
  }
  for (const [name, want] of Object.entries(expect?.headers ?? {})) {
    const value = view.response.headers[name.toLowerCase()];
    const assertion: ValueAssertion = typeof want === 'string' ? { equals: want } : want;
    out.push(...checkValue(assertion, { kind: 'header', target: name, found: value !== undefined, matched: value !== undefined, value, redact: o.redact }));
  }
  if (expect?.maxMs !== undefined) {
    const ms = Math.round(o.durationMs);
    const passed = o.durationMs <= expect.maxMs;
    out.push({ kind: 'maxMs', op: '<=', expected: expect.maxMs, actual: ms, passed, ...(passed ? {} : { message: `took ${ms} ms, more than ${expect.maxMs} ms` }) });
  }
  if (expect?.schema) out.push(await schemaAssertion(expect.schema, view, o.redact));
  return out;
}

function checkStatus(want: number | number[] | undefined, status: number): AssertionResult {
  if (want === undefined) {
    const passed = status >= 200 && status < 300;
    return { kind: 'status', op: 'in', expected: '2xx', actual: status, passed, ...(passed ? {} : { message: `status ${status}, expected 2xx` }) };
  }
  const list = Array.isArray(want) ? want : [want];
  const passed = list.includes(status);
  return { kind: 'status', op: 'in', expected: list, actual: status, passed, ...(passed ? {} : { message: `status ${status}, expected ${list.join(' or ')}` }) };
}

/** JSON type names, with "integer" for whole numbers (an integer is also a "number"). */
export function jsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'bigint') return 'integer';
  return typeof v;
}

interface Selected {
  kind: 'body' | 'header';
  target: string;
  /** There is a value for equals/type/... to look at (a list always is). */
  found: boolean;
  /** The query selected at least one node: what `exists` checks. */
  matched: boolean;
  value: unknown;
  redact(v: unknown): unknown;
}

const OPS = ['equals', 'type', 'matches', 'length', 'contains', 'oneOf'] as const;

function checkValue(a: ValueAssertion, s: Selected): AssertionResult[] {
  const out: AssertionResult[] = [];
  // Stored capped in size and depth: a report never grows faster than the body.
  const actual = s.found ? s.redact(storeValue(s.value)) : undefined;
  const push = (op: string, expected: unknown, passed: boolean, message?: string, shown: unknown = actual): void => {
    // Results are plain JSON data: a bigint in the spec's expectation is stored as its digits, like actual values.
    const stored = holdsBigInt(expected) ? storeValue(expected) : expected;
    out.push({ kind: s.kind, target: s.target, op, expected: stored, actual: shown, passed, ...(passed || !message ? {} : { message }) });
  };
  const what = s.kind === 'header' ? `header ${s.target}` : s.target;

  if (a.exists !== undefined) push('exists', a.exists, s.matched === a.exists, s.matched ? `${what} is present, expected absent` : `${what} not found`);
  for (const op of OPS) {
    const expected = a[op];
    if (expected === undefined) continue;
    if (!s.found) {
      push(op, expected, false, `${what} not found`);
      continue;
    }
    const r = evaluate(op, expected, s.value);
    push(op, expected, r.passed, `${what} ${r.message ?? `${op} ${short(expected)} failed`}: got ${short(actual)}`, r.actual === undefined ? actual : r.actual);
  }
  return out;
}

function evaluate(op: (typeof OPS)[number], expected: unknown, v: unknown): { passed: boolean; message?: string; actual?: unknown } {
  switch (op) {
    case 'equals':
      return { passed: jsonEquals(v, expected), message: `expected to equal ${short(expected)}` };
    case 'type': {
      const t = jsonTypeOf(v);
      return { passed: t === expected || (expected === 'number' && t === 'integer'), message: `expected type ${String(expected)}, is ${t}` };
    }
    case 'matches': {
      let re: RegExp;
      try {
        re = new RegExp(String(expected));
      } catch {
        return { passed: false, message: `regex ${String(expected)} does not compile` };
      }
      let text: string;
      try {
        text = typeof v === 'string' ? v : (stringifyJson(v) ?? String(v));
      } catch {
        return { passed: false, message: 'is nested too deeply to match a regex against' };
      }
      return { passed: re.test(text), message: `does not match ${String(expected)}` };
    }
    case 'length': {
      const len = typeof v === 'string' || Array.isArray(v) ? v.length : undefined;
      if (len === undefined) return { passed: false, message: `has no length (it is ${jsonTypeOf(v)})`, actual: jsonTypeOf(v) };
      const b = expected as number | { min?: number; max?: number };
      const passed = typeof b === 'number' ? len === b : (b.min === undefined || len >= b.min) && (b.max === undefined || len <= b.max);
      return { passed, message: `length ${len}, expected ${typeof b === 'number' ? b : `${b.min ?? 0}..${b.max ?? '∞'}`}`, actual: len };
    }
    case 'contains': {
      if (Array.isArray(v)) return { passed: v.some((x) => jsonEquals(x, expected)), message: `does not contain ${short(expected)}` };
      if (typeof v === 'string') return { passed: v.includes(String(expected)), message: `does not contain ${short(expected)}` };
      return { passed: false, message: `is ${jsonTypeOf(v)}, not a list or string` };
    }
    case 'oneOf':
      return { passed: Array.isArray(expected) && expected.some((x) => jsonEquals(x, v)), message: `is not one of ${short(expected)}` };
  }
}

function short(v: unknown): string {
  const s = JSON.stringify(storeValue(v)) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

async function schemaAssertion(schema: Record<string, unknown>, view: ResponseView, redact: (v: unknown) => unknown): Promise<AssertionResult> {
  const json = view.json();
  if (!json.ok) return { kind: 'schema', op: 'valid', expected: 'a JSON body', actual: view.snippet(120), passed: false, message: json.message };
  const r = await checkJsonSchema(schema, json.value);
  if (r.ok) return { kind: 'schema', op: 'valid', expected: 'matches the schema', actual: 'valid', passed: true };
  if ('invalidSchema' in r) {
    return { kind: 'schema', op: 'valid', expected: 'a valid JSON Schema', actual: r.invalidSchema, passed: false, message: `expect.schema is not a valid JSON Schema: ${r.invalidSchema}` };
  }
  const lines = r.errors.map((e) => `${e.pointer || '/'} ${e.message}`);
  const first = r.errors[0];
  return {
    kind: 'schema',
    target: first?.pointer || '/',
    op: 'valid',
    expected: 'matches the schema',
    actual: redact(lines),
    passed: false,
    message: String(redact(`schema: ${lines.join('; ')}`)),
  };
}
