import { randomInt, randomUUID } from 'node:crypto';
import { stringifyJson } from './json-value.js';
import { fail, ok, type Result } from '../result/ok.js';

/**
 * `{{name}}` substitution, one rule per place a value goes (listed for users
 * in docs/spec-format.md, "Templating"):
 * - path: one percent-encoded segment, so an extracted "../admin" can never
 *   walk the URL (`renderPath`);
 * - query parameter: substituted, then form-encoded by URLSearchParams
 *   (`renderString`);
 * - header: refused when the value holds CR, LF or NUL (`renderHeader`);
 * - structured body (YAML mapping/list): a string that is exactly "{{x}}"
 *   keeps x's type (number, boolean, exact big integer, list); other strings
 *   are substituted (`renderValue`);
 * - JSON text body (`body: |` sent as JSON): inside a JSON string the value is
 *   JSON-escaped, outside one it is written as a JSON value (`renderJsonText`);
 * - any other text body: substituted as written.
 * Values come from a variable lookup; built-ins start with `$`.
 *
 * Every function takes `at`, the dotted location of the text inside the step
 * ("path", "params.page", "headers.X-Trace", "body.user.id"), the same key the
 * parser uses for `ParsedStep.templates`, so an error can point at its line.
 * Each returns `{ ok: true, value }` or `{ ok: false, error }` with the first
 * problem found (src/result/ok.ts); nothing is thrown.
 */

/** Why a value cannot go where a template puts it: the variable, where (`at`), and a message for the user. */
export interface TemplateProblem {
  variable: string;
  at: string;
  message: string;
}

/** Collects the first problem while a text is rendered (String.replace callbacks cannot return a failure). */
interface Problems {
  first?: TemplateProblem;
}

function problem(sink: Problems, variable: string, at: string, message: string): string {
  sink.first ??= { variable, at, message };
  return '';
}

function done<T>(sink: Problems, value: T): Result<T, TemplateProblem> {
  return sink.first ? fail(sink.first) : ok(value);
}

export type Lookup = (name: string) => unknown;

const TEMPLATE = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const EXACT = /^\{\{\s*([^{}\s]+)\s*\}\}$/;
const UNSAFE_CHARS = /[\r\n\0]/;

/** Built-ins; numbers stay numbers so a body `"{{$timestamp}}"` sends a JSON number. */
export function builtins(now: () => Date): Lookup {
  return (name) => {
    switch (name) {
      case '$uuid':
        return randomUUID();
      case '$timestamp':
        return Math.floor(now().getTime() / 1000);
      case '$isoTimestamp':
        return now().toISOString();
      case '$randomInt':
        return randomInt(0, 1_000_000);
      default:
        return undefined;
    }
  };
}

/** "the path", "query parameter page", "header X-Trace", "the body (user.id)". */
export function describeAt(at: string): string {
  if (at === 'path') return 'the path';
  if (at.startsWith('params.')) return `query parameter ${at.slice(7)}`;
  if (at.startsWith('headers.')) return `header ${at.slice(8)}`;
  if (at === 'body') return 'the body';
  if (at.startsWith('body.')) return `the body (${at.slice(5)})`;
  return at;
}

/** The value as text, or '' with the problem recorded when it is undefined, null, a list or an object. */
function scalar(name: string, value: unknown, at: string, sink: Problems): string | undefined {
  if (value === undefined) {
    problem(sink, name, at, `{{${name}}} is not defined (in ${describeAt(at)}): no earlier step extracts it and the environment does not set it`);
    return undefined;
  }
  if (value === null || typeof value === 'object') {
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
    problem(sink, name, at, `{{${name}}} is ${what}, but ${describeAt(at)} needs a string`);
    return undefined;
  }
  return typeof value === 'string' ? value : String(value);
}

function stringWith(text: string, lookup: Lookup, at: string, sink: Problems): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => scalar(name, lookup(name), at, sink) ?? '');
}

export function renderString(text: string, lookup: Lookup, at: string): Result<string, TemplateProblem> {
  const sink: Problems = {};
  return done(sink, stringWith(text, lookup, at, sink));
}

/** A header value: a line break would let a value add headers of its own, so it is refused. */
export function renderHeader(text: string, lookup: Lookup, at: string): Result<string, TemplateProblem> {
  if (!text.includes('{{')) return ok(text);
  const sink: Problems = {};
  const out = text.replace(TEMPLATE, (_m, name: string) => {
    const value = scalar(name, lookup(name), at, sink);
    if (value === undefined) return '';
    if (UNSAFE_CHARS.test(value)) return problem(sink, name, at, `{{${name}}} contains a line break or NUL character, which cannot go in ${describeAt(at)}`);
    return value;
  });
  return done(sink, out);
}

/** A path: every substituted value is one percent-encoded segment; `.`, `..`, CR, LF and NUL are refused. */
export function renderPath(text: string, lookup: Lookup, at = 'path'): Result<string, TemplateProblem> {
  if (!text.includes('{{')) return ok(text);
  const sink: Problems = {};
  const out = text.replace(TEMPLATE, (_m, name: string) => {
    const value = scalar(name, lookup(name), at, sink);
    if (value === undefined) return '';
    if (value === '.' || value === '..') return problem(sink, name, at, `{{${name}}} is "${value}", which would change the path's meaning`);
    if (UNSAFE_CHARS.test(value)) return problem(sink, name, at, `{{${name}}} contains a line break or NUL character, which cannot go in a path`);
    if (value === '') return problem(sink, name, at, `{{${name}}} is empty, which would leave an empty path segment`);
    return encodeURIComponent(value);
  });
  return done(sink, out);
}

/** A JSON body: a string that is exactly "{{x}}" keeps x's JSON type; other strings are substituted. */
export function renderValue(value: unknown, lookup: Lookup, at = 'body'): Result<unknown, TemplateProblem> {
  const sink: Problems = {};
  return done(sink, valueWith(value, lookup, at, sink));
}

function valueWith(value: unknown, lookup: Lookup, at: string, sink: Problems): unknown {
  if (typeof value === 'string') {
    const exact = EXACT.exec(value);
    if (exact) {
      const name = exact[1] as string;
      const v = lookup(name);
      if (v === undefined) scalar(name, v, at, sink);
      return v;
    }
    return stringWith(value, lookup, at, sink);
  }
  if (Array.isArray(value)) return value.map((v, i) => valueWith(v, lookup, `${at}.${i}`, sink));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty keeps a "__proto__" key as plain data instead of changing the prototype.
      Object.defineProperty(out, k, { value: valueWith(v, lookup, `${at}.${k}`, sink), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Whether a media type is JSON (`application/json`, `application/problem+json`, ...). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return t === 'application/json' || /^[a-z]+\/[^\s/]+\+json$/.test(t);
}

/**
 * JSON text with templates: a `{{x}}` inside a JSON string gets x's text
 * JSON-escaped (a `"` or a line break in an extracted name cannot break the
 * body); a `{{x}}` outside any string is written as x's JSON value (25,
 * true, "text", [1,2], an exact big integer), so `{"limit": {{n}}}` works.
 * Scans the text once, tracking JSON strings and their escapes.
 */
export function renderJsonText(text: string, lookup: Lookup, at = 'body'): Result<string, TemplateProblem> {
  const sink: Problems = {};
  return done(sink, jsonTextWith(text, lookup, at, sink));
}

function jsonTextWith(text: string, lookup: Lookup, at: string, sink: Problems): string {
  if (!text.includes('{{')) return text;
  let inString = false;
  let scanned = 0;
  let out = '';
  for (const m of text.matchAll(TEMPLATE)) {
    for (let i = scanned; i < m.index; i++) {
      const c = text.charCodeAt(i);
      if (inString && c === 0x5c) i++;
      else if (c === 0x22) inString = !inString;
    }
    const name = m[1] as string;
    const value = lookup(name);
    let piece: string;
    if (inString) {
      piece = JSON.stringify(scalar(name, value, at, sink) ?? '').slice(1, -1);
    } else {
      if (value === undefined) scalar(name, value, at, sink);
      piece = stringifyJson(value) ?? 'null';
    }
    out += text.slice(scanned, m.index) + piece;
    scanned = m.index + m[0].length;
  }
  return out + text.slice(scanned);
}

/**
 * The request body text: a structured body is rendered and serialized as JSON
 * (exact big integers included); a text body is JSON text when the request's
 * content type is JSON, else substituted as written.
 */
export function renderBody(body: unknown, contentType: string | undefined, lookup: Lookup): Result<string, TemplateProblem> {
  if (typeof body === 'string') return isJsonMediaType(contentType) ? renderJsonText(body, lookup) : renderString(body, lookup, 'body');
  const rendered = renderValue(body, lookup, 'body');
  if (!rendered.ok) return rendered;
  return ok(typeof rendered.value === 'string' ? rendered.value : (stringifyJson(rendered.value) ?? 'null'));
}
