import { randomInt, randomUUID } from 'node:crypto';

/**
 * `{{name}}` substitution. Values come from a variable lookup; built-ins
 * start with `$`. A value put into a path becomes exactly one encoded
 * segment, so an extracted "../admin" can never walk the URL.
 */

export class TemplateError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export type Lookup = (name: string) => unknown;

const TEMPLATE = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const EXACT = /^\{\{\s*([^{}\s]+)\s*\}\}$/;

export function builtins(now: () => Date): Lookup {
  return (name) => {
    switch (name) {
      case '$uuid':
        return randomUUID();
      case '$timestamp':
        return String(Math.floor(now().getTime() / 1000));
      case '$isoTimestamp':
        return now().toISOString();
      case '$randomInt':
        return String(randomInt(0, 1_000_000));
      default:
        return undefined;
    }
  };
}

function scalar(name: string, value: unknown, where: string): string {
  if (value === undefined) throw new TemplateError(name, `{{${name}}} is not defined in ${where}: no earlier step extracts it and the environment does not set it`);
  if (value === null || typeof value === 'object') {
    throw new TemplateError(name, `{{${name}}} is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object'}, but ${where} needs a string`);
  }
  return String(value);
}

export function renderString(text: string, lookup: Lookup, where: string): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => scalar(name, lookup(name), where));
}

/** A path: every substituted value is one percent-encoded segment; `.`, `..`, CR, LF and NUL are refused. */
export function renderPath(text: string, lookup: Lookup): string {
  if (!text.includes('{{')) return text;
  return text.replace(TEMPLATE, (_m, name: string) => {
    const value = scalar(name, lookup(name), 'the path');
    if (value === '.' || value === '..') throw new TemplateError(name, `{{${name}}} is "${value}", which would change the path's meaning`);
    if (/[\r\n\0]/.test(value)) throw new TemplateError(name, `{{${name}}} contains a line break or NUL character, which cannot go in a path`);
    if (value === '') throw new TemplateError(name, `{{${name}}} is empty, which would leave an empty path segment`);
    return encodeURIComponent(value);
  });
}

/** A JSON body: a string that is exactly "{{x}}" keeps x's JSON type; other strings are substituted. */
export function renderValue(value: unknown, lookup: Lookup, where: string): unknown {
  if (typeof value === 'string') {
    const exact = EXACT.exec(value);
    if (exact) {
      const v = lookup(exact[1]!);
      if (v === undefined) scalar(exact[1]!, v, where);
      return v;
    }
    return renderString(value, lookup, where);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, lookup, where));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderValue(v, lookup, where);
    return out;
  }
  return value;
}
