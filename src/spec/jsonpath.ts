import { JSONPath } from 'jsonpath-plus';

export type JsonPathCheck = { ok: true } | { ok: false; message: string; col?: number };

const NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_$-]*/u;
const INDEX = /^-?\d+$/;
const SLICE = /^(-?\d+)?:(-?\d+)?(:(-?\d+)?)?$/;
const MAX_LENGTH = 1000;

/**
 * Checks a JSONPath without evaluating anything. Only the plain subset is
 * accepted: `$`, `.name`, `..name`, `*`, `[index]`, `['name']`, slices and
 * unions of those. Filters and script expressions (`?(`, `(@`) are refused:
 * they are code, and a spec file must never be able to run code.
 */
export function checkJsonPath(path: string): JsonPathCheck {
  const structural = checkStructure(path);
  if (!structural.ok) return structural;
  try {
    JSONPath({ path, json: {}, eval: false, wrap: true, ignoreEvalErrors: false });
  } catch (e) {
    return { ok: false, message: `not a valid JSONPath: ${(e as Error).message}` };
  }
  return { ok: true };
}

function fail(message: string, i: number): JsonPathCheck {
  return { ok: false, message, col: i + 1 };
}

function checkStructure(p: string): JsonPathCheck {
  if (p.length === 0) return fail('empty JSONPath', 0);
  if (p.length > MAX_LENGTH) return fail(`JSONPath longer than ${MAX_LENGTH} characters`, MAX_LENGTH);
  // jsonpath-plus reads `(...)` and `@` specially even inside quoted names, so they are refused everywhere.
  const paren = p.search(/[(@]/);
  const bad = paren > 0 && p[paren - 1] === '?' ? paren - 1 : paren >= 0 ? paren : firstUnquotedSpecial(p);
  if (bad >= 0) {
    const c = p[bad] as string;
    return c === '?' || c === '('
      ? fail('filter and script expressions ("?(", "(@") are not allowed in JSONPaths', bad)
      : fail(`"${c}" is not allowed in JSONPaths (only $ . .. * [index] ['name'] and slices)`, bad);
  }
  if (p[0] !== '$') return fail('a JSONPath starts with "$"', 0);
  let i = 1;
  while (i < p.length) {
    const ch = p[i];
    if (ch === '.') {
      const deep = p[i + 1] === '.';
      i += deep ? 2 : 1;
      if (p[i] === '*') {
        i++;
        continue;
      }
      if (deep && p[i] === '[') continue;
      const m = NAME.exec(p.slice(i));
      if (!m) return fail(i >= p.length ? 'a JSONPath cannot end with "."' : `unexpected "${p[i]}" after "."`, i);
      i += m[0].length;
      continue;
    }
    if (ch === '[') {
      const end = closingBracket(p, i);
      if (end < 0) return fail('unclosed "["', i);
      const inner = p.slice(i + 1, end);
      const bad = checkSelector(inner);
      if (bad !== undefined) return fail(bad, i + 1);
      i = end + 1;
      continue;
    }
    return fail(`unexpected "${ch}"`, i);
  }
  return { ok: true };
}

/** Characters that make jsonpath-plus do more than select (scripts, parents, property names), outside quoted names. */
function firstUnquotedSpecial(p: string): number {
  let quote: string | undefined;
  for (let j = 0; j < p.length; j++) {
    const c = p[j] as string;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if ('?()@`^~'.includes(c)) return j;
  }
  return -1;
}

/** Index of the `]` closing the `[` at `open`, skipping quoted names; -1 when there is none. */
function closingBracket(p: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < p.length; j++) {
    const c = p[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') return -1;
    else if (c === ']') return j;
  }
  return -1;
}

/** Why a bracket selector is not allowed, or undefined when it is. */
function checkSelector(inner: string): string | undefined {
  const s = inner.trim();
  if (s === '') return 'empty "[]"';
  if (s === '*') return undefined;
  for (const part of splitUnion(s)) {
    const t = part.trim();
    if (INDEX.test(t) || SLICE.test(t)) continue;
    if (/^'(?:[^'\\]|\\.)*'$/.test(t) || /^"(?:[^"\\]|\\.)*"$/.test(t)) continue;
    return `"[${inner}]" is not an index, a slice, '*' or a quoted name`;
  }
  return undefined;
}

function splitUnion(s: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let j = 0; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ',') {
      parts.push(s.slice(start, j));
      start = j + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

/** Values the path selects (always a list). Never throws and never evaluates code: [] on any problem. */
export function queryJsonPath(json: unknown, path: string): unknown[] {
  const direct = walkPlainPath(json, path);
  if (direct) return direct;
  if (!checkStructure(path).ok) return [];
  try {
    const out: unknown = JSONPath({ path, json: json as object, eval: false, wrap: true });
    return Array.isArray(out) ? out : [];
  } catch {
    return [];
  }
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'length']);

/**
 * The most common extraction, `$.data[0].id`, walked directly: a chain of
 * `.name` and `[index]` over objects and arrays that all exist. It selects
 * what jsonpath-plus selects (a differential test holds the two together)
 * without its parser and tracer, which cost more than the rest of a step's
 * extraction. Anything else (a missing key, a primitive on the way, other
 * syntax) returns undefined and goes to jsonpath-plus.
 */
export function walkPlainPath(json: unknown, path: string): unknown[] | undefined {
  if (path.length < 2 || path.length > MAX_LENGTH || path[0] !== '$') return undefined;
  let cur = json;
  let i = 1;
  while (i < path.length) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const ch = path[i];
    let key: string;
    if (ch === '.') {
      let j = i + 1;
      if (!NAME_START.test(path[j] ?? '')) return undefined;
      while (j < path.length && NAME_CHAR.test(path[j]!)) j++;
      key = path.slice(i + 1, j);
      if (Array.isArray(cur) || RESERVED.has(key)) return undefined;
      i = j;
    } else if (ch === '[') {
      const close = path.indexOf(']', i);
      const digits = close === -1 ? '' : path.slice(i + 1, close);
      if (!/^(?:0|[1-9][0-9]{0,8})$/.test(digits)) return undefined;
      key = digits;
      if (!Array.isArray(cur)) return undefined;
      i = close + 1;
    } else {
      return undefined;
    }
    if (!Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return [cur];
}
