import type { Redactor } from './chain/types.js';

/**
 * The one redactor: replaces secrets by "***" in every form they can take on the way out.
 *
 * How: the text is searched twice, as it is and normalised. Normalising decodes, at any depth
 * up to three layers, the escapes any output can carry: percent-encoding (`%20` and any hex case,
 * multi-byte UTF-8), JSON and JavaScript escapes (`\"`, `\/`, `\n`, `\uXXXX` of any character,
 * surrogate pairs included, as .NET and Go write them) and HTML character references (`&amp;`,
 * `&#39;`, `&#x2B;`). Every decoded character remembers the span of text it came from, so a
 * match in the normalised text masks exactly those original characters. The patterns are then
 * only the forms escaping cannot produce: the raw value, the value with spaces as `+` (form
 * encoding) and its base64 and base64url encodings, whole and as the three fragments that stay
 * fixed inside a longer base64 run (Basic auth's base64(user:pass)): at most 12 per secret,
 * usually 8, whatever the number of encodings covered. All patterns of all secrets go into one
 * RegExp, rebuilt only when a secret was added since the last use.
 *
 * Sources of the escape rules: RFC 3986 §2.1 (percent-encoding), WHATWG URL
 * application/x-www-form-urlencoded, RFC 8259 §7 (JSON strings), HTML Living Standard §13.5
 * (character references), RFC 4648 §4–5 (base64, base64url).
 */

export const MASK = '***';
/** Shorter values would shred ordinary text ("id", "en", "1"). */
const MIN_SECRET_LENGTH = 4;
/** A base64 fragment this short is too likely to occur by chance. */
const MIN_FRAGMENT_LENGTH = 8;

const SECRET_NAME = /token|secret|password|passwd|key|auth|credential|session|cookie/i;

/**
 * True when a variable, header or parameter name suggests its value is a secret. The one owner
 * of this rule: extraction, config and --var variables, request headers and `--dry-run` all ask here.
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The patterns searched for one secret (see the module comment): raw, spaces as "+", base64 and
 * base64url whole and as fixed fragments. Escaped forms (percent, JSON, HTML) are found through
 * normalisation, not listed. Empty for values too short to redact safely.
 */
export function secretPatterns(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([value]);
  if (value.includes(' ')) forms.add(value.replace(/ /g, '+'));
  // Percent-encoded escapes are found by decoding, except where a stray "%" just before the
  // secret makes the decoder read its first two characters as one escape ("%" + "00%20…").
  const pct = percentEncoded(value);
  if (pct !== undefined && pct !== value) forms.add(pct);
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

/** encodeURIComponent, or undefined for text it cannot encode (a lone surrogate). */
function percentEncoded(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function toUrl(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A text decoded one layer, with the original span [from[i], to[i]) of each decoded character. */
interface Decoded {
  text: string;
  from: number[];
  to: number[];
}

const ESCAPE_START = /[%\\&]/;
const JSON_SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" };
const NAMED_REFS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", plus: '+', equals: '=', sol: '/', percnt: '%', num: '#', colon: ':', nbsp: '\u00a0' };
const HEX = /^[0-9a-fA-F]+$/;

/**
 * One layer of decoding (percent, JSON/JS, HTML); undefined when the text has no escape at all.
 * Invalid escapes stay as they are.
 */
type Kinds = { pct: boolean; js: boolean; html: boolean };
const ALL: Kinds = { pct: true, js: true, html: true };
/** Single kinds: a secret holding a literal "%41" must still match when only JSON escapes were applied. */
const SINGLE: [Kinds, RegExp][] = [
  [{ pct: true, js: false, html: false }, /%/],
  [{ pct: false, js: true, html: false }, /\\/],
  [{ pct: false, js: false, html: true }, /&/],
];

function decodeOnce(s: string, kinds: Kinds = ALL): Decoded | undefined {
  if (!ESCAPE_START.test(s)) return undefined;
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let changed = false;
  const emit = (chars: string, a: number, b: number): void => {
    for (let k = 0; k < chars.length; k++) {
      text += chars[k];
      from.push(a);
      to.push(b);
    }
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '%' && kinds.pct) {
      // A run of %XX bytes, decoded as UTF-8 together (a multi-byte character spans several).
      let j = i;
      const bytes: number[] = [];
      while (j + 2 < s.length && s[j] === '%' && HEX.test(s.slice(j + 1, j + 3))) {
        bytes.push(parseInt(s.slice(j + 1, j + 3), 16));
        j += 3;
      }
      if (bytes.length > 0) {
        // Fatal decoding: a real U+FFFD (EF BF BD) is valid UTF-8, only malformed bytes are not.
        const decoded = utf8OrUndefined(bytes);
        if (decoded !== undefined) {
          // Each character maps to the %XX triplets of its own UTF-8 bytes.
          let at = i;
          for (const ch of decoded) {
            const end = at + 3 * Buffer.byteLength(ch, 'utf8');
            emit(ch, at, end);
            at = end;
          }
          changed = true;
          i = j;
          continue;
        }
        // Not UTF-8 as a whole: byte by byte as Latin-1 keeps ASCII escapes usable.
        for (let k = 0; k < bytes.length; k++) emit(String.fromCharCode(bytes[k]!), i + 3 * k, i + 3 * k + 3);
        changed = true;
        i = j;
        continue;
      }
    } else if (c === '\\' && kinds.js && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === 'u' && i + 5 < s.length && HEX.test(s.slice(i + 2, i + 6))) {
        emit(String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)), i, i + 6);
        changed = true;
        i += 6;
        continue;
      }
      if (n === 'x' && i + 3 < s.length && HEX.test(s.slice(i + 2, i + 4))) {
        emit(String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16)), i, i + 4);
        changed = true;
        i += 4;
        continue;
      }
      const simple = JSON_SIMPLE[n];
      if (simple !== undefined) {
        emit(simple, i, i + 2);
        changed = true;
        i += 2;
        continue;
      }
    } else if (c === '&' && kinds.html) {
      const semi = s.indexOf(';', i + 1);
      if (semi !== -1 && semi - i <= 12) {
        const ref = s.slice(i + 1, semi);
        let ch: string | undefined;
        if (ref[0] === '#') {
          const num = ref[1] === 'x' || ref[1] === 'X' ? (HEX.test(ref.slice(2)) ? parseInt(ref.slice(2), 16) : NaN) : /^\d+$/.test(ref.slice(1)) ? parseInt(ref.slice(1), 10) : NaN;
          if (Number.isInteger(num) && num >= 0 && num <= 0x10ffff) ch = String.fromCodePoint(num);
        } else {
          ch = NAMED_REFS[ref.toLowerCase()];
        }
        if (ch !== undefined) {
          emit(ch, i, semi + 1);
          changed = true;
          i = semi + 1;
          continue;
        }
      }
    }
    text += c;
    from.push(i);
    to.push(i + 1);
    i++;
  }
  return changed ? { text, from, to } : undefined;
}

/** Spans [start, end) of the original text where the pattern matches in the text or its decodings. */
function matchSpans(s: string, re: RegExp): [number, number][] {
  const spans: [number, number][] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    spans.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  const search = (d: Decoded, from: number[], to: number[]): void => {
    re.lastIndex = 0;
    for (let m = re.exec(d.text); m; m = re.exec(d.text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      spans.push([from[m.index]!, to[m.index + m[0].length - 1]!]);
    }
  };
  // Each kind of escape alone, one layer deep.
  let kindsPresent = 0;
  for (const [kinds, start] of SINGLE) {
    if (!start.test(s)) continue;
    kindsPresent++;
    const d = decodeOnce(s, kinds);
    if (d) search(d, d.from, d.to);
  }
  // All kinds together, up to three layers (a percent-encoded JSON string in an HTML page), each mapped back to `s`.
  let layer: Decoded | undefined = decodeOnce(s);
  let from: number[] | undefined = layer?.from;
  let to: number[] | undefined = layer?.to;
  for (let depth = 0; layer && from && to && depth < 3; depth++) {
    if (depth > 0 || kindsPresent > 1) search(layer, from, to);
    const next = decodeOnce(layer.text);
    if (!next) break;
    const f = from;
    const t = to;
    from = next.from.map((x) => f[x]!);
    to = next.to.map((x) => t[x - 1]!);
    layer = next;
  }
  return spans;
}

function maskSpans(s: string, spans: [number, number][]): string {
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    if (b <= at) continue;
    if (a >= at) {
      out += s.slice(at, a) + MASK;
    }
    at = Math.max(at, b);
  }
  return out + s.slice(at);
}

export function createRedactor(secrets: string[] = []): Redactor {
  const forms = new Set<string>();
  const seen = new Set<string>();
  let pattern: RegExp | undefined;
  let dirty = false;

  const add = (secret: string): void => {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || seen.has(secret)) return;
    seen.add(secret);
    for (const f of secretPatterns(secret)) {
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
    if (!re) return s;
    if (!ESCAPE_START.test(s)) return s.replace(re, MASK);
    const spans = matchSpans(s, re);
    return spans.length === 0 ? s : maskSpans(s, spans);
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

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or undefined when they are not well-formed UTF-8 (WHATWG Encoding, fatal mode). */
function utf8OrUndefined(bytes: readonly number[]): string | undefined {
  try {
    return STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}
