import type { Redactor } from './chain-types.js';

/**
 * Replaces secrets by "***" in every form they can take on the way out: raw,
 * URL-encoded, base64 (also inside a longer base64 run, as in a Basic auth
 * header), base64url and JSON-escaped. All forms go into one RegExp, rebuilt
 * only when a secret was added since the last use, so redacting stays cheap
 * with hundreds of secrets.
 */

export const MASK = '***';
/** Shorter values would shred ordinary text ("id", "en", "1"). */
const MIN_SECRET_LENGTH = 4;
/** A base64 fragment this short is too likely to occur by chance. */
const MIN_FRAGMENT_LENGTH = 8;

const SECRET_NAME = /token|secret|password|passwd|key|auth|credential|session|cookie/i;

/** True when a variable or header name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Every form in which `value` can appear in output (the value itself included). */
export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  forms.add(uri);
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(encodeURI(value));
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  // Some serializers escape every non-ASCII character and "/".
  forms.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  forms.add(json.replace(/\//g, '\\/'));
  for (const b of base64Forms(Buffer.from(value, 'utf8'))) forms.add(b);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * Base64 of the value on its own, plus the part of its encoding that is fixed
 * whatever precedes it (at each of the three byte alignments), so the value is
 * found inside base64("user:" + value) without knowing the user.
 */
function base64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  const whole = bytes.toString('base64');
  out.push(whole, whole.replace(/=+$/, ''), toUrl(whole));
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const fragment = padded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) out.push(fragment, toUrl(fragment));
  }
  return out;
}

function toUrl(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createRedactor(secrets: string[] = []): Redactor {
  const forms = new Set<string>();
  const seen = new Set<string>();
  let pattern: RegExp | undefined;
  let dirty = false;

  const add = (secret: string): void => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || seen.has(secret)) return;
    seen.add(secret);
    for (const f of secretForms(secret)) {
      if (!forms.has(f)) {
        forms.add(f);
        dirty = true;
      }
    }
  };

  const current = (): RegExp | undefined => {
    if (dirty) {
      // Longest first, so a form containing another is replaced whole.
      const sorted = [...forms].sort((a, b) => b.length - a.length);
      pattern = sorted.length > 0 ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
      dirty = false;
    }
    return pattern;
  };

  const text = (s: string): string => {
    if (typeof s !== 'string' || s === '') return s;
    const re = current();
    return re ? s.replace(re, MASK) : s;
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
