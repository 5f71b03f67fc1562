import type { JSONPathEnvironment, JSONPathQuery } from 'json-p3';
import { loadJsonP3 } from '../lazy.js';

/**
 * JSONPath as RFC 9535 defines it, through one implementation (json-p3),
 * so what `lint` accepts is exactly what a run evaluates. json-p3 passes all
 * 703 cases of the JSONPath Compliance Test Suite (a test runs them through
 * the two functions below); jsonpath-plus, used before, passed 376, and the
 * hand-written subset checker in front of it 203. Filters and the standard
 * functions (length, count, match, search, value) are evaluated by an
 * interpreter, never with `eval`.
 *
 * A plain path (`$`, then only `.name` and `[index]` segments: what most extractions are) is
 * walked directly and json-p3 is not loaded for it; the walk is RFC 9535's name and index
 * selectors (§2.3.1, §2.3.3) on one node, so it selects exactly what json-p3 would (the
 * compliance suite runs through the same two functions).
 */

export type JsonPathCheck =
  | { ok: true; /** RFC 9535 §2.3.5.1 singular query: selects at most one node. */ singular: boolean }
  | { ok: false; message: string; /** 1-based column inside the path. */ col?: number };

/** What a query selected: the values of its nodelist, in document order. */
export type JsonPathResult = { ok: true; values: unknown[]; singular: boolean } | { ok: false; message: string };

/** Thrown by {@link queryJsonPath} for a path that is not valid or a query that could not be evaluated. */
export class JsonPathError extends Error {}

/** Longer paths are refused: no real extraction needs them, and the parser recurses on nesting. */
export const MAX_PATH_LENGTH = 1000;
/**
 * How deep a descendant segment (`..`) or nested filter may go into a body.
 * Deeper is an evaluation error, never a shorter nodelist: a verdict is not
 * built on part of the body. Real API bodies stay far below; json-p3's
 * default (50) is too low for them, and each level costs stack.
 */
export const MAX_QUERY_DEPTH = 1000;

let env: JSONPathEnvironment | undefined;
const compiled = new Map<string, JSONPathQuery>();

/** The compiled query, cached: a run uses the same few paths thousands of times. */
function compile(path: string): JSONPathQuery {
  let q = compiled.get(path);
  if (q === undefined) {
    env ??= new (loadJsonP3().JSONPathEnvironment)({ maxRecursionDepth: MAX_QUERY_DEPTH });
    q = env.compile(path);
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(path, q);
  }
  return q;
}

/**
 * `$` followed only by member-name shorthands (ASCII names) and non-negative array indexes
 * without leading zeros, no blanks: RFC 9535 singular queries that need no parser. Indexes of up
 * to 15 digits stay within the I-JSON range the RFC allows (§2.1).
 */
const PLAIN = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]{0,14})\])*$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]/g;
const plainPaths = new Map<string, readonly (string | number)[]>();

/** The segments of a plain path (names and indexes), or undefined for any other path. */
function plainSegments(path: string): readonly (string | number)[] | undefined {
  let segs = plainPaths.get(path);
  if (segs !== undefined) return segs;
  if (path.length > MAX_PATH_LENGTH || !PLAIN.test(path)) return undefined;
  segs = Array.from(path.matchAll(SEGMENT), (m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  if (plainPaths.size >= 1000) plainPaths.clear();
  plainPaths.set(path, segs);
  return segs;
}

/** A name selects an object's member, an index an array's element; anything else selects nothing (RFC 9535 §2.3.1.2, §2.3.3.2). */
function walk(json: unknown, segs: readonly (string | number)[]): unknown[] {
  let cur = json;
  for (const seg of segs) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg >= cur.length) return [];
      cur = cur[seg] as unknown;
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, seg)) return [];
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return [cur];
}

/** json-p3 ends messages with `('<path>':<index>)`; the caller shows the path and column itself. */
function cleanMessage(e: Error): string {
  // The lexer's own wording for a path that ends in "." or "..".
  if (/backup beyond start/.test(e.message)) return 'expected a name, "*" or "[" after "."';
  return e.message.replace(/\s*\('(?:[^'\\]|\\.)*':\d+\)\s*$/s, '').replace(/\s*\([^()]*:\d+\)\s*$/, '');
}

/**
 * Checks a JSONPath against RFC 9535 without evaluating it. On failure the
 * message says what is wrong and `col` (1-based) where inside the path.
 */
export function checkJsonPath(path: string): JsonPathCheck {
  if (path.length === 0) return { ok: false, message: 'empty JSONPath', col: 1 };
  if (path.length > MAX_PATH_LENGTH) return { ok: false, message: `JSONPath longer than ${MAX_PATH_LENGTH} characters`, col: MAX_PATH_LENGTH + 1 };
  if (plainSegments(path)) return { ok: true, singular: true };
  try {
    return { ok: true, singular: compile(path).singularQuery() };
  } catch (e) {
    if (e instanceof loadJsonP3().JSONPathError) {
      const index = e.token?.index;
      return { ok: false, message: cleanMessage(e), ...(typeof index === 'number' ? { col: Math.min(index, path.length - 1) + 1 } : {}) };
    }
    if (e instanceof RangeError) return { ok: false, message: 'JSONPath nested too deeply to parse' };
    throw e;
  }
}

export interface EvaluateOptions {
  /**
   * The same value with every bigint (an integer beyond 2^53) as a number.
   * Filters compare JSON numbers, and json-p3 sees only JS numbers, so a
   * query with a filter selects on this view; the values returned are still
   * taken from `json`, exact.
   */
  numbers?: () => unknown;
}

/** The value at a json-p3 node location (names and indexes from the root). */
function valueAt(json: unknown, location: readonly (string | number)[]): unknown {
  let cur = json;
  for (const key of location) cur = (cur as Record<string | number, unknown>)[key];
  return cur;
}

/**
 * Evaluates an RFC 9535 query against a JSON value. Never throws: an invalid
 * path, or a body too deep for the query (see {@link MAX_QUERY_DEPTH}), is
 * `{ ok: false }`, which a caller must report as such and never as "no match".
 */
export function evaluateJsonPath(json: unknown, path: string, opts: EvaluateOptions = {}): JsonPathResult {
  const plain = plainSegments(path);
  if (plain) return { ok: true, values: walk(json, plain), singular: true };
  const check = checkJsonPath(path);
  if (!check.ok) return { ok: false, message: `not a valid JSONPath: ${check.message}${check.col !== undefined ? ` (at character ${check.col})` : ''}` };
  try {
    const query = compile(path);
    // Only a filter compares numbers; a '?' inside a quoted name merely takes this slower route.
    const view = opts.numbers && path.includes('?') ? opts.numbers() : json;
    const values = view === json ? query.query(json as never).values() : query.query(view as never).nodes.map((n) => valueAt(json, n.location));
    return { ok: true, values, singular: check.singular };
  } catch (e) {
    if (e instanceof loadJsonP3().JSONPathRecursionLimitError || e instanceof RangeError) {
      return { ok: false, message: `could not evaluate ${path}: the body is nested deeper than ${MAX_QUERY_DEPTH} levels` };
    }
    return { ok: false, message: `could not evaluate ${path}: ${e instanceof Error ? cleanMessage(e) : String(e)}` };
  }
}

/**
 * The values a JSONPath selects (RFC 9535 nodelist, document order; [] when
 * nothing matches). Throws {@link JsonPathError} for an invalid path or a
 * query that could not be evaluated, so a failure is never taken for "no match".
 */
export function queryJsonPath(json: unknown, path: string): unknown[] {
  const r = evaluateJsonPath(json, path);
  if (!r.ok) throw new JsonPathError(r.message);
  return r.values;
}
