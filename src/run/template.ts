import { randomInt, randomUUID } from 'node:crypto';

/**
 * `{{name}}` substitution. Values come from a variable lookup; built-ins
 * start with `$`. A value put into a path becomes exactly one encoded
 * segment, so an extracted "../admin" can never walk the URL.
 *
 * Every function takes `at`, the dotted location of the text inside the step
 * ("path", "params.page", "headers.X-Trace", "body.user.id"), the same key the
 * parser uses for `ParsedStep.templates`, so an error can point at its line.
 */

export class TemplateError extends Error {
  constructor(
    readonly variable: string,
    readonly at: string,
    message: string,
  ) {
    super(message);
  }
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

function scalar(name: string, value: unknown, at: string): string {
  if (value === undefined) {
    throw new TemplateError(name, at, `{{${name}}} is not defined (in ${describeAt(at)}): no earlier step extracts it and the environment does not set it`);
  }
  if (value === null || typeof value === 'object') {
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
    throw new TemplateError(name, at, `{{${name}}} is ${what}, but ${describeAt(at)} needs a string`);
  }
  return String(value);
}

export function renderString(text: string, lookup: Lookup, at: string): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => scalar(name, lookup(name), at));
}

/** A header value: a line break would let a value add headers of its own, so it is refused. */
export function renderHeader(text: string, lookup: Lookup, at: string): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => {
    const value = scalar(name, lookup(name), at);
    if (UNSAFE_CHARS.test(value)) throw new TemplateError(name, at, `{{${name}}} contains a line break or NUL character, which cannot go in ${describeAt(at)}`);
    return value;
  });
}

/** A path: every substituted value is one percent-encoded segment; `.`, `..`, CR, LF and NUL are refused. */
export function renderPath(text: string, lookup: Lookup, at = 'path'): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => {
    const value = scalar(name, lookup(name), at);
    if (value === '.' || value === '..') throw new TemplateError(name, at, `{{${name}}} is "${value}", which would change the path's meaning`);
    if (UNSAFE_CHARS.test(value)) throw new TemplateError(name, at, `{{${name}}} contains a line break or NUL character, which cannot go in a path`);
    if (value === '') throw new TemplateError(name, at, `{{${name}}} is empty, which would leave an empty path segment`);
    return encodeURIComponent(value);
  });
}

/** A JSON body: a string that is exactly "{{x}}" keeps x's JSON type; other strings are substituted. */
export function renderValue(value: unknown, lookup: Lookup, at = 'body'): unknown {
  if (typeof value === 'string') {
    const exact = EXACT.exec(value);
    if (exact) {
      const name = exact[1] as string;
      const v = lookup(name);
      if (v === undefined) scalar(name, v, at);
      return v;
    }
    return renderString(value, lookup, at);
  }
  if (Array.isArray(value)) return value.map((v, i) => renderValue(v, lookup, `${at}.${i}`));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty keeps a "__proto__" key as plain data instead of changing the prototype.
      Object.defineProperty(out, k, { value: renderValue(v, lookup, `${at}.${k}`), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
