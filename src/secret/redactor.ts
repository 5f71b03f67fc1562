import { secretPatterns, MIN_SECRET_LENGTH, tokenSecrets } from './forms.js';
import { isSecretName, MASK } from './names.js';
import { maskSpans, matchSpans, mayHoldEscapes } from './normalise.js';

/**
 * The one redactor: replaces secrets by "***" in every form they can take on the way out.
 * The text is searched as it is and, when it holds escapes, decoded (normalise.ts); the patterns
 * are only the forms escaping cannot produce (forms.ts). All patterns of all secrets go into one
 * RegExp, rebuilt only when a secret was added since the last use.
 *
 * Every place that learns a secret registers it here: `add` for a value known to be secret,
 * `addToken` for a credential (the token, and a Basic password on its own), `addNamed` for a
 * value whose name looks secret (isSecretName).
 */

/**
 * Replaces every registered secret (in all its encoded forms) by `***`.
 * `add` registers a secret found during the run (a token, an extracted value
 * whose name looks secret); `value` redacts strings inside any JSON value.
 */
export interface Redactor {
  (text: string): string;
  add(secret: string): void;
  value(v: unknown): unknown;
}

/** Registers the secrets a credential brings (tokenSecrets): the token, and for Basic the password. */
export function addToken(redact: Pick<Redactor, 'add'>, value: string | undefined, auth?: { scheme: string }): void {
  if (value) for (const secret of tokenSecrets(value, auth)) redact.add(secret);
}

/**
 * Registers a value when `name` looks secret (isSecretName): its text as outputs show it
 * (`show`, e.g. JSON for an object; typed values are secrets as text too) and, for an object,
 * its string parts (they may be printed on their own). True when the name looks secret, so the
 * caller shows `***` for it.
 */
export function addNamed(redact: Pick<Redactor, 'add'>, name: string, value: unknown, show: (v: unknown) => string = String): boolean {
  if (!isSecretName(name)) return false;
  if (value === null || value === undefined) return true;
  redact.add(show(value));
  if (typeof value === 'object') for (const part of Object.values(value)) if (typeof part === 'string') redact.add(part);
  return true;
}

export function createRedactor(secrets: string[] = []): Redactor {
  /** RegExp source -> the length of the shortest text it matches. */
  const forms = new Map<string, number>();
  const seen = new Set<string>();
  let pattern: RegExp | undefined;
  let dirty = false;

  const add = (secret: string): void => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || seen.has(secret)) return;
    seen.add(secret);
    for (const p of secretPatterns(secret)) {
      if (!forms.has(p.source)) {
        forms.set(p.source, p.length);
        dirty = true;
      }
    }
  };

  const current = (): RegExp | undefined => {
    if (dirty) {
      // Longest first, so a form containing another is replaced whole.
      const sorted = [...forms].sort((a, b) => b[1] - a[1]).map(([source]) => source);
      pattern = sorted.length > 0 ? new RegExp(sorted.join('|'), 'g') : undefined;
      dirty = false;
    }
    return pattern;
  };

  const text = (s: string): string => {
    if (typeof s !== 'string' || s === '') return s;
    const re = current();
    if (!re) return s;
    if (!mayHoldEscapes(s)) return s.replace(re, MASK);
    const spans = matchSpans(s, re);
    return spans.length === 0 ? s : maskSpans(s, spans, MASK);
  };

  const value = (v: unknown): unknown => redactValue(v, text, new WeakMap());

  const redactor = Object.assign(text, { add, value }) as Redactor;
  for (const s of secrets) add(s);
  return redactor;
}

function redactValue(v: unknown, text: (s: string) => string, done: WeakMap<object, unknown>): unknown {
  if (typeof v === 'string') return text(v);
  if (v === null || typeof v !== 'object') return v;
  const prior = done.get(v);
  if (prior !== undefined) return prior;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    done.set(v, out);
    for (const item of v) out.push(redactValue(item, text, done));
    return out;
  }
  const out: Record<string, unknown> = {};
  done.set(v, out);
  for (const [k, item] of Object.entries(v)) {
    // Keys can carry secrets too (a map keyed by token); "__proto__" stays a plain own key.
    Object.defineProperty(out, text(k), { value: redactValue(item, text, done), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
