import type { Span } from '../source/span.js';
import type { LoadContext, Located, StringSite } from './located.js';

/**
 * A fast reader for the plain YAML that spec files are made of: block
 * mappings and sequences, one-line plain or quoted scalars, and one-line flow
 * collections. It produces exactly what the full `yaml` reader produces
 * (values, key and value spans, string sites; a differential test holds the
 * two together) at a fraction of the cost, which matters when a run parses
 * thousands of specs.
 *
 * Anything outside that subset (anchors, aliases, tags, block scalars,
 * multi-line scalars, escapes, duplicate or special keys, tabs, directives)
 * returns `undefined`, and the caller uses the full reader, which also owns
 * every error message. So this never reports anything itself. Declining is a
 * return value all the way up (every reading function returns undefined, or
 * DECLINE for a scalar, when the text leaves the subset), not an exception.
 */

const MAX_FAST_DEPTH = 24;

interface Line {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line break (or the text end). */
  next: number;
  /** Line content without the line break (and without a trailing \r). */
  text: string;
  indent: number;
  /** Blank or comment-only. */
  empty: boolean;
}

/** A plain scalar the fast reader leaves to the full reader (undefined is not free: it is no value at all). */
const DECLINE: unique symbol = Symbol('decline');

interface Parsed {
  value: unknown;
  /** Like the yaml package's range[0] and range[1]. */
  start: number;
  end: number;
  /** Like range[2]: through the end of the node's last line. */
  nodeEnd: number;
}

/** The text read into values and spans, or undefined when it is not in the plain subset. */
export function fastLoadYaml(text: string, ctx: LoadContext): Located | undefined {
  const lines = splitLines(text);
  return lines && new FastReader(lines, ctx).read();
}

/** The text's lines, or undefined for what the fast reader leaves alone (tabs, lone CRs, document markers, directives). */
function splitLines(text: string): Line[] | undefined {
  if (text.includes('\t')) return undefined;
  const lines: Line[] = [];
  const hasCr = text.includes('\r');
  let start = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    const next = nl === -1 ? text.length : nl + 1;
    if (nl === -1) nl = text.length;
    let body = text.slice(start, nl);
    if (hasCr) {
      if (body.endsWith('\r')) body = body.slice(0, -1);
      if (body.includes('\r')) return undefined;
    }
    let indent = 0;
    while (body.charCodeAt(indent) === 32) indent++;
    const first = body.charCodeAt(indent);
    // Blank, or a comment.
    const empty = indent === body.length || first === 35;
    // "---", "..." or a "%" directive at the left edge is document structure: the full reader's job.
    if (!empty && indent === 0 && (first === 45 || first === 46 || first === 37) && /^(---|\.\.\.|%)/.test(body)) return undefined;
    lines.push({ start, next, text: body, indent, empty });
    start = next;
  }
  return lines;
}

class FastReader {
  readonly #lines: Line[];
  readonly #ctx: LoadContext;
  readonly #out: Located = { value: undefined, keySpans: new Map(), valueSpans: new Map(), strings: [] };
  #i = 0;

  constructor(lines: Line[], ctx: LoadContext) {
    this.#lines = lines;
    this.#ctx = ctx;
  }

  read(): Located | undefined {
    this.#skipEmpty();
    const first = this.#lines[this.#i];
    if (!first || first.indent !== 0 || first.text.startsWith('- ') || first.text === '-') return undefined;
    const root = this.#blockMap(0, 0, '', 0);
    if (!root) return undefined;
    this.#skipEmpty();
    if (this.#i < this.#lines.length) return undefined;
    this.#out.value = root.value;
    return this.#out;
  }

  #skipEmpty(): void {
    while (this.#i < this.#lines.length && this.#lines[this.#i]!.empty) this.#i++;
  }

  /** A block mapping whose keys start at column `col`; the first key may sit after a "- " on the current line. */
  #blockMap(col: number, firstCol: number, at: string, depth: number): Parsed | undefined {
    if (depth > MAX_FAST_DEPTH) return undefined;
    const obj: Record<string, unknown> = {};
    let start = -1;
    let end = 0;
    let keyCol = firstCol;
    let first = true;
    for (;;) {
      const line = this.#lines[this.#i];
      if (!line) break;
      const rest = line.text.slice(keyCol);
      // The first key of a compact mapping sits after "- ", not at the line's indent.
      if (!first && (line.indent !== col || rest.startsWith('- ') || rest === '-')) break;
      first = false;
      const key = this.#key(line, keyCol);
      if (!key || key.name === '<<' || key.name === '__proto__' || Object.hasOwn(obj, key.name)) return undefined;
      if (start === -1) start = key.start;
      const path = join(at, key.name);
      const value = this.#valueAfterKey(line, key.after, col, path, depth);
      if (!value) return undefined;
      obj[key.name] = value.value;
      this.#record(path, key.start, value);
      end = value.nodeEnd;
      keyCol = col;
      this.#skipEmpty();
      const nextLine = this.#lines[this.#i];
      if (!nextLine || nextLine.indent < col) break;
      if (nextLine.indent > col) return undefined;
    }
    if (start === -1) return undefined;
    return { value: obj, start, end, nodeEnd: end };
  }

  /** A block sequence whose "- " markers sit at column `col`. */
  #blockSeq(col: number, at: string, depth: number): Parsed | undefined {
    if (depth > MAX_FAST_DEPTH) return undefined;
    const arr: unknown[] = [];
    let start = -1;
    let end = 0;
    for (;;) {
      const line = this.#lines[this.#i];
      if (!line || line.indent !== col) break;
      const rest = line.text.slice(col);
      if (!rest.startsWith('- ')) {
        if (rest === '-') return undefined;
        break;
      }
      if (start === -1) start = line.start + col;
      let c = col + 1;
      while (line.text.charCodeAt(c) === 32) c++;
      const path = join(at, String(arr.length));
      const content = line.text.slice(c);
      let item: Parsed | undefined;
      if (content === '' || content.startsWith('#') || content.startsWith('- ') || content === '-') return undefined;
      if (this.#looksLikeKey(content)) {
        item = this.#blockMap(c, c, path, depth + 1);
      } else {
        item = this.#inlineValue(line, c, { path, ownerCol: col });
        this.#i++;
      }
      if (!item) return undefined;
      arr.push(item.value);
      this.#record(path, item.start, item);
      end = item.nodeEnd;
      this.#skipEmpty();
      const nextLine = this.#lines[this.#i];
      if (!nextLine || nextLine.indent < col) break;
      if (nextLine.indent > col) return undefined;
    }
    if (start === -1) return undefined;
    return { value: arr, start, end, nodeEnd: end };
  }

  /** The value after "key:" on `line` at column `after`: inline, a nested block, or empty (null). */
  #valueAfterKey(line: Line, after: number, col: number, path: string, depth: number): Parsed | undefined {
    let c = after;
    while (line.text.charCodeAt(c) === 32) c++;
    const rest = line.text.slice(c);
    if (rest !== '' && !rest.startsWith('#')) {
      if (c === after && rest !== '') return undefined;
      const v = this.#inlineValue(line, c, { path, ownerCol: col });
      this.#i++;
      return v;
    }
    if (rest.startsWith('#') && c === after) return undefined;
    const emptyAt = line.start + after;
    this.#i++;
    this.#skipEmpty();
    const next = this.#lines[this.#i];
    if (next && next.indent > col) {
      const content = next.text.slice(next.indent);
      if (content.startsWith('- ') || content === '-') return this.#blockSeq(next.indent, path, depth + 1);
      if (!this.#looksLikeKey(content)) return undefined;
      return this.#blockMap(next.indent, next.indent, path, depth + 1);
    }
    if (next && next.indent === col && (next.text.slice(col).startsWith('- ') || next.text.slice(col) === '-')) {
      return this.#blockSeq(col, path, depth + 1);
    }
    // "key:" with nothing after it: the yaml package puts an empty null scalar right after the colon.
    return { value: null, start: emptyAt, end: emptyAt, nodeEnd: emptyAt };
  }

  #looksLikeKey(content: string): boolean {
    if (content.startsWith('"') || content.startsWith("'")) {
      const q = content[0]!;
      const close = content.indexOf(q, 1);
      return close > 0 && /^:( |$)/.test(content.slice(close + 1));
    }
    if (/^[[{]/.test(content)) return false;
    const m = /:( |$)/.exec(content);
    if (!m) return false;
    const hash = content.indexOf(' #');
    return hash === -1 || hash > m.index;
  }

  /** A key at column `c` of `line`: plain or quoted, followed by ":". */
  #key(line: Line, c: number): { name: string; start: number; after: number } | undefined {
    const t = line.text;
    const start = line.start + c;
    const first = t[c];
    if (first === '"' || first === "'") {
      const q = quoted(t, c);
      if (!q || t[q.end] !== ':') return undefined;
      return { name: q.value, start, after: q.end + 1 };
    }
    if (first === undefined || KEY_INDICATORS.includes(first)) return undefined;
    const colon = keyColon(t, c);
    if (colon === -1) return undefined;
    const raw = t.slice(c, colon);
    if (raw.includes(' #') || raw !== raw.trimEnd()) return undefined;
    if (typeof plainValue(raw) !== 'string') return undefined;
    return { name: raw, start, after: colon + 1 };
  }

  /** A one-line value at column `c`: flow collection, quoted or plain scalar, optionally followed by a comment. */
  #inlineValue(line: Line, c: number, owner: { path: string; ownerCol: number }): Parsed | undefined {
    const path = owner.path;
    const t = line.text;
    const first = t[c];
    if (first === '[' || first === '{') {
      const flow = new FlowReader(t, line.start, this, path);
      const v = flow.value(c);
      if (!v || !trailing(t, flow.pos)) return undefined;
      return { ...v, nodeEnd: line.next };
    }
    if (first === '"' || first === "'") {
      const q = quoted(t, c);
      if (!q || !trailing(t, q.end)) return undefined;
      this.string(path, q.value, line.start + c, line.start + q.end);
      return { value: q.value, start: line.start + c, end: line.start + q.end, nodeEnd: line.next };
    }
    if (first === undefined || /[,[\]{}#&*!|>%@`]/.test(first) || ((first === '-' || first === '?' || first === ':') && /^.( |$)/.test(t.slice(c)))) return undefined;
    let endCol = t.length;
    const hash = t.indexOf(' #', c);
    if (hash !== -1) endCol = hash;
    const raw = t.slice(c, endCol).trimEnd();
    if (/:( |$)/.test(raw)) return undefined;
    // A plain scalar continued on deeper lines is a multi-line scalar: leave it to the full reader.
    const after = this.#peekContent(this.#i + 1);
    if (after && after.indent > owner.ownerCol && !after.text.slice(after.indent).startsWith('- ')) return undefined;
    const value = plainValue(raw);
    if (value === DECLINE) return undefined;
    const start = line.start + c;
    const end = start + raw.length;
    if (typeof value === 'string') this.string(path, value, start, end);
    return { value, start, end, nodeEnd: line.next };
  }

  #peekContent(from: number): Line | undefined {
    for (let k = from; k < this.#lines.length; k++) if (!this.#lines[k]!.empty) return this.#lines[k];
    return undefined;
  }

  string(at: string, value: string, start: number, end: number): void {
    const site: StringSite = { at, value, start: this.#ctx.base + start, end: this.#ctx.base + end };
    this.#out.strings.push(site);
  }

  record(path: string, from: number, to: { start: number; end: number }): void {
    this.#record(path, from, to);
  }

  #record(path: string, from: number, to: { start: number; end: number }): void {
    const { file, index, base } = this.#ctx;
    this.#out.keySpans.set(path, index.span(file, base + from, base + to.end));
    this.#out.valueSpans.set(path, span(this.#ctx, to.start, to.end));
  }
}

/** One-line flow collections: [a, "b", {k: v}]. */
class FlowReader {
  pos = 0;
  readonly #t: string;
  readonly #base: number;
  readonly #reader: FastReader;
  readonly #path: string;

  constructor(t: string, base: number, reader: FastReader, path: string) {
    this.#t = t;
    this.#base = base;
    this.#reader = reader;
    this.#path = path;
  }

  value(c: number, at = this.#path, depth = 0): { value: unknown; start: number; end: number } | undefined {
    if (depth > MAX_FAST_DEPTH) return undefined;
    const t = this.#t;
    const ch = t[c];
    if (ch === '[' || ch === '{') {
      const close = ch === '[' ? ']' : '}';
      const isMap = ch === '{';
      const out: unknown[] | Record<string, unknown> = isMap ? {} : [];
      let p = this.#ws(c + 1);
      if (t[p] === close) {
        this.pos = p + 1;
        return { value: out, start: this.#base + c, end: this.#base + p + 1 };
      }
      for (let n = 0; ; n++) {
        if (isMap) {
          const keyStart = p;
          const key = this.#scalar(p, true);
          if (!key || (typeof key.value !== 'string' && typeof key.value !== 'number' && typeof key.value !== 'boolean')) return undefined;
          const name = String(key.value);
          const obj = out as Record<string, unknown>;
          if (name === '<<' || name === '__proto__' || Object.hasOwn(obj, name)) return undefined;
          p = this.pos;
          if (t[p] !== ':' || t[p + 1] !== ' ') return undefined;
          p = this.#ws(p + 1);
          const path = join(at, name);
          const v = this.value(p, path, depth + 1);
          if (!v) return undefined;
          obj[name] = v.value;
          this.#reader.record(path, this.#base + keyStart, v);
        } else {
          const path = join(at, String(n));
          const v = this.value(p, path, depth + 1);
          if (!v) return undefined;
          (out as unknown[]).push(v.value);
          this.#reader.record(path, v.start, v);
        }
        p = this.#ws(this.pos);
        if (t[p] === ',') {
          p = this.#ws(p + 1);
          if (t[p] === close) return undefined;
          continue;
        }
        if (t[p] !== close) return undefined;
        this.pos = p + 1;
        return { value: out, start: this.#base + c, end: this.#base + p + 1 };
      }
    }
    const s = this.#scalar(c, false);
    if (!s) return undefined;
    if (typeof s.value === 'string') this.#reader.string(at, s.value, this.#base + c, this.#base + this.pos);
    return { value: s.value, start: this.#base + c, end: this.#base + this.pos };
  }

  #scalar(c: number, isKey: boolean): { value: unknown } | undefined {
    const t = this.#t;
    const ch = t[c];
    if (ch === '"' || ch === "'") {
      const q = quoted(t, c);
      if (!q) return undefined;
      this.pos = q.end;
      return { value: q.value };
    }
    if (ch === undefined || /[,[\]{}#&*!|>%@`]/.test(ch) || ((ch === '-' || ch === '?' || ch === ':') && /^.[ ,\]}]?$/.test(t.slice(c, c + 2)))) return undefined;
    let p = c;
    while (p < t.length) {
      const x = t[p]!;
      if (x === ',' || x === ']' || x === '}' || x === '[' || x === '{') break;
      if (x === ':' && (t[p + 1] === ' ' || t[p + 1] === ',' || t[p + 1] === ']' || t[p + 1] === '}' || p + 1 === t.length)) {
        if (!isKey) return undefined;
        break;
      }
      if (x === '#' && t[p - 1] === ' ') return undefined;
      p++;
    }
    const raw = t.slice(c, p).trimEnd();
    if (raw === '') return undefined;
    this.pos = c + raw.length;
    const value = plainValue(raw);
    return value === DECLINE ? undefined : { value };
  }

  #ws(p: number): number {
    while (this.#t[p] === ' ') p++;
    return p;
  }
}

/** Characters that cannot start a plain key: YAML indicators. */
const KEY_INDICATORS = '-?:,[]{}#&*!|>%@`';

/** The first ":" at or after c followed by a space or the line end, or -1. */
function keyColon(t: string, c: number): number {
  for (let i = t.indexOf(':', c); i !== -1; i = t.indexOf(':', i + 1)) {
    if (i + 1 === t.length || t.charCodeAt(i + 1) === 32) return i;
  }
  return -1;
}

/** A single-line quoted scalar starting at column c; escapes are left to the full reader. */
function quoted(t: string, c: number): { value: string; end: number } | undefined {
  const q = t[c]!;
  if (q === '"') {
    const close = t.indexOf('"', c + 1);
    if (close === -1) return undefined;
    const value = t.slice(c + 1, close);
    if (value.includes('\\')) return undefined;
    return { value, end: close + 1 };
  }
  let p = c + 1;
  let value = '';
  for (;;) {
    const close = t.indexOf("'", p);
    if (close === -1) return undefined;
    value += t.slice(p, close);
    if (t[close + 1] === "'") {
      value += "'";
      p = close + 2;
      continue;
    }
    return { value, end: close + 1 };
  }
}

/** After a value: nothing, or spaces and a comment. */
function trailing(t: string, c: number): boolean {
  const rest = t.slice(c);
  return rest.trim() === '' || /^ +#/.test(rest);
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar, as the yaml package does it by default; DECLINE for forms left to it. */
function plainValue(raw: string): unknown {
  switch (raw) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  // Numbers, and the forms the full reader must see, start with a digit, a sign or a dot.
  const c0 = raw.charCodeAt(0);
  if (!((c0 >= 48 && c0 <= 57) || c0 === 43 || c0 === 45 || c0 === 46)) return raw;
  if (INT.test(raw)) {
    const n = Number(raw);
    // Beyond 2^53 the yaml package and Number() may round differently: not worth the risk.
    if (!Number.isSafeInteger(n)) return DECLINE;
    return n;
  }
  if (FLOAT.test(raw)) return Number(raw);
  // Octal, hex, infinities and NaN are rare in specs: the full reader handles them.
  if (/^[-+]?(0o|0x|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)/.test(raw)) return DECLINE;
  return raw;
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function span(ctx: LoadContext, start: number, end: number): Span {
  return ctx.index.span(ctx.file, ctx.base + start, ctx.base + end);
}
