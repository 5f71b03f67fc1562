/**
 * Finding a secret behind escapes: the text is decoded, at any depth up to three layers, from the
 * escapes any output can carry: percent-encoding (`%20` and any hex case, multi-byte UTF-8), JSON
 * and JavaScript escapes (`\"`, `\/`, `\n`, `\uXXXX` of any character, surrogate pairs included,
 * as .NET and Go write them) and HTML character references (`&amp;`, `&#39;`, `&#x2B;`). Every
 * decoded character remembers the span of text it came from, so a match in the decoded text
 * masks exactly those original characters.
 *
 * Sources of the escape rules: RFC 3986 §2.1 (percent-encoding), RFC 8259 §7 (JSON strings),
 * HTML Living Standard §13.5 (character references).
 */

/** A text decoded one layer, with the original span [from[i], to[i]) of each decoded character. */
interface Decoded {
  text: string;
  from: number[];
  to: number[];
}

const ESCAPE_START = /[%\\&]/;

/** False when the text holds no escape at all: a plain search is then enough. */
export function mayHoldEscapes(s: string): boolean {
  return ESCAPE_START.test(s);
}
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
export function matchSpans(s: string, re: RegExp): [number, number][] {
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

/** The text with each span replaced by `mask`; overlapping and nested spans become one mask. */
export function maskSpans(s: string, spans: [number, number][], mask: string): string {
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    if (b <= at) continue;
    if (a >= at) {
      out += s.slice(at, a) + mask;
    }
    at = Math.max(at, b);
  }
  return out + s.slice(at);
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
