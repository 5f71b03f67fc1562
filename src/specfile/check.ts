import { diag, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Span } from '../source/span.js';

/**
 * Small structural checks over YAML data that report with the span of the
 * offending key or value. Shared by the front-matter and the step checks.
 */
export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #keySpans: ReadonlyMap<string, Span>;
  readonly #valueSpans: ReadonlyMap<string, Span>;
  readonly #fallback: Span;

  constructor(opts: { keySpans: ReadonlyMap<string, Span>; valueSpans: ReadonlyMap<string, Span>; fallback: Span }) {
    this.#keySpans = opts.keySpans;
    this.#valueSpans = opts.valueSpans;
    this.#fallback = opts.fallback;
  }

  keySpan(path: string): Span {
    return this.#keySpans.get(path) ?? this.#parentSpan(path);
  }

  valueSpan(path: string): Span {
    return this.#valueSpans.get(path) ?? this.keySpan(path);
  }

  #parentSpan(path: string): Span {
    let p = path;
    while (p.includes('.')) {
      p = p.slice(0, p.lastIndexOf('.'));
      const s = this.#keySpans.get(p);
      if (s) return s;
    }
    return this.#fallback;
  }

  error(code: DiagnosticCode, message: string, span: Span, hint: string): void {
    this.diagnostics.push(diag('error', code, message, { span, hint }));
  }

  /** Reports a value of the wrong type; `expected` reads like "a string". */
  typeError(path: string, label: string, expected: string, value: unknown): void {
    this.error('invalid-value', `${label} must be ${expected}, not ${describe(value)}`, this.valueSpan(path), `write ${label} as ${expected}`);
  }

  /** Unknown keys of a mapping, with the closest known key as a suggestion. */
  unknownKeys(obj: Record<string, unknown>, path: string, known: readonly string[], what: string, code: DiagnosticCode = 'unknown-key'): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const near = didYouMean(key, known);
      const p = path === '' ? key : `${path}.${key}`;
      this.error(code, `unknown ${what} key "${key}"`, this.keySpan(p), near ? `did you mean "${near}"?` : `known keys: ${known.join(', ')}`);
    }
  }

  string(obj: Record<string, unknown>, path: string, key: string, opts: { required?: boolean } = {}): string | undefined {
    const v = obj[key];
    const p = path === '' ? key : `${path}.${key}`;
    if (v === undefined || v === null) {
      if (opts.required) this.error('missing-key', `"${key}" is required`, this.keySpan(path) ?? this.#fallback, `add ${key}: ...`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.typeError(p, key, 'a string', v);
      return undefined;
    }
    return v;
  }

  integer(obj: Record<string, unknown>, path: string, key: string, min: number): number | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const p = path === '' ? key : `${path}.${key}`;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.typeError(p, key, min === 0 ? 'a whole number (0 or more)' : `a whole number of at least ${min}`, v);
      return undefined;
    }
    return v;
  }

  boolean(obj: Record<string, unknown>, path: string, key: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') {
      this.typeError(path === '' ? key : `${path}.${key}`, key, 'true or false', v);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, path: string, key: string, allowed: readonly T[]): T | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const p = path === '' ? key : `${path}.${key}`;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      const near = typeof v === 'string' ? didYouMean(v, allowed) : undefined;
      this.error('invalid-value', `${key} must be one of ${allowed.join(', ')}, not ${describe(v)}`, this.valueSpan(p), near ? `did you mean "${near}"?` : `use one of: ${allowed.join(', ')}`);
      return undefined;
    }
    return v as T;
  }

  stringList(obj: Record<string, unknown>, path: string, key: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    const p = path === '' ? key : `${path}.${key}`;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.typeError(p, key, 'a list of strings, e.g. [a, b]', v);
      return undefined;
    }
    return v as string[];
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}
