import type * as LosslessJson from 'lossless-json';
import { loadLosslessJson } from '../lazy.js';

let lossless: typeof LosslessJson | undefined;

/** lossless-json, loaded the first time a body may hold a big integer: most runs never need it. */
function losslessJson(): typeof LosslessJson {
  return (lossless ??= loadLosslessJson());
}

/**
 * JSON values with exact integers. An API id beyond 2^53 (64-bit ids are
 * common) cannot be a JavaScript number without changing, so response
 * bodies keep such integers as `bigint`; every other number stays a number.
 * The same module compares, serializes and stores these values, so a big id
 * is extracted, templated and compared exactly.
 */

/** Any run of 16 digits: the shortest text that can hold an integer beyond 2^53 (9007199254740992). */
const LONG_DIGITS = /\d{16}/;

/** Whether JSON text may hold an integer beyond 2^53 (and so parse to a bigint). */
export function mayHoldBigInt(text: string): boolean {
  return LONG_DIGITS.test(text);
}

function exactNumber(text: string): number | bigint {
  const { isInteger, isSafeNumber } = losslessJson();
  return isInteger(text) && !isSafeNumber(text) ? BigInt(text) : parseFloat(text);
}

/**
 * Parses JSON text (RFC 8259). Integers beyond Number.MAX_SAFE_INTEGER become
 * `bigint`; everything else is what `JSON.parse` gives. Bodies without a run
 * of 16 digits go straight to `JSON.parse` (lossless-json is about 5x slower).
 * Throws SyntaxError like `JSON.parse`. A body too deeply nested for the
 * lossless parser's recursion falls back to `JSON.parse`.
 */
export function parseJson(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  try {
    return losslessJson().parse(text, undefined, exactNumber);
  } catch (e) {
    if (e instanceof RangeError) return JSON.parse(text);
    throw e;
  }
}

/** JSON text of a value, `bigint` written as a JSON number. Throws RangeError for values nested too deep to serialize. */
export function stringifyJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (e) {
    // JSON.stringify refuses bigint with a TypeError; lossless-json writes it as the number it is.
    if (e instanceof TypeError && /BigInt/i.test(e.message)) return losslessJson().stringify(value);
    throw e;
  }
}

function isNumeric(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/**
 * Deep equality of JSON values. Numbers compare by mathematical value, so
 * `9007199254740993n` equals only that integer and never the double
 * 9007199254740992. Object key order does not matter; arrays compare in order.
 */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) {
    // Loose equality compares a bigint and a number exactly (no rounding), and 1 == 1.0.
    // eslint-disable-next-line eqeqeq
    return a == b;
  }
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !jsonEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Whether a value holds a bigint anywhere, looking at most `depth` levels down. */
export function holdsBigInt(v: unknown, depth = 64): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object' || depth <= 0) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (holdsBigInt(x, depth - 1)) return true;
  return false;
}

export interface StoreLimits {
  /** Levels of arrays/objects kept; deeper containers become a "[… nested deeper]" string. */
  depth: number;
  /** Array items and object members kept per container, and strings' characters. */
  width: number;
  /** Total values kept in the whole stored copy. */
  total: number;
}

/** What a result stores of an actual value: 8 levels, 50 items per container, 1,000 characters per string, 500 values in all. */
export const STORE_LIMITS: StoreLimits = { depth: 8, width: 50, total: 500 };
const STRING_CHARS = 1000;

/**
 * A copy of a value small enough to store in a result, and plain JSON data:
 * containers beyond `depth` levels, items beyond `width` per container and
 * values beyond `total` are replaced by a marker string saying what was left
 * out; strings are cut at 1,000 characters; a bigint becomes the string of
 * its digits (JSON reports cannot hold it as a number). Recursion stops at
 * `depth` and the walk at `total`, so any body (10,000 levels deep, a
 * million items) is stored in bounded time, stack and size.
 */
export function storeValue(v: unknown, limits: StoreLimits = STORE_LIMITS): unknown {
  let budget = limits.total;
  const copy = (x: unknown, level: number): unknown => {
    budget--;
    if (typeof x === 'bigint') return x.toString();
    if (typeof x === 'string') return x.length > STRING_CHARS ? `${x.slice(0, STRING_CHARS)}… (${x.length - STRING_CHARS} more characters)` : x;
    if (x === null || typeof x !== 'object') return x;
    const arr = Array.isArray(x);
    const size = arr ? x.length : Object.keys(x).length;
    if (level >= limits.depth) return `[… ${arr ? `list of ${size}` : `object of ${size} keys`} nested deeper than ${limits.depth} levels]`;
    if (arr) {
      const out: unknown[] = [];
      for (let i = 0; i < x.length; i++) {
        if (i >= limits.width || budget <= 0) {
          out.push(`[… ${x.length - i} more items]`);
          break;
        }
        out.push(copy(x[i], level + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    const keys = Object.keys(x);
    for (let i = 0; i < keys.length; i++) {
      if (i >= limits.width || budget <= 0) {
        Object.defineProperty(out, '…', { value: `${keys.length - i} more keys`, enumerable: true, writable: true, configurable: true });
        break;
      }
      const k = keys[i] as string;
      Object.defineProperty(out, k, { value: copy((x as Record<string, unknown>)[k], level + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return copy(v, 0);
}

/**
 * The value with every bigint turned into the nearest number, for JSON Schema
 * validation: ajv's `integer`/`number` types see only JS numbers, and
 * `minimum`-style checks need no 64-bit precision. Returns the same object
 * when it holds no bigint.
 */
export function toDoubles(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  try {
    return doubles(v);
  } catch (e) {
    if (e instanceof RangeError) return v;
    throw e;
  }
}

function doubles(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const d = doubles(v[i]);
      if (d !== v[i]) (out ??= v.slice())[i] = d;
    }
    return out ?? v;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const d = doubles(x);
    if (d !== x) Object.defineProperty((out ??= { ...v }), k, { value: d, enumerable: true, writable: true, configurable: true });
  }
  return out ?? v;
}

/** One line of text for a value in results: a string as it is, a bigint as its digits, anything else as the JSON of its stored copy. */
export function displayText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(storeValue(v)) ?? String(v);
}
