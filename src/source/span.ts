/**
 * Source positions. Every position a user sees is 1-based and refers to the
 * .md file itself (never to the inside of a fenced block), so an editor can
 * jump straight to it.
 */
export interface Pos {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like editors do. */
  col: number;
}

export interface Span {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/**
 * Maps character offsets of a text to 1-based line/column. Built once per
 * file; lookups are a binary search so spans for every key stay cheap.
 */
export class LineIndex {
  readonly #starts: number[];
  readonly #text: string;
  /** The line of the last lookup: callers mostly ask in file order, so the next answer is usually here or just after. */
  #last = 0;

  constructor(text: string) {
    this.#text = text;
    const starts = [0];
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.#starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      // \r\n counts as one break; a lone \r is treated as a break too (old Mac files).
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.#starts = starts;
  }

  get lineCount(): number {
    return this.#starts.length;
  }

  /** Offset (0-based, clamped to the text) to 1-based line and column. */
  position(offset: number): Pos {
    const o = this.#clamp(offset);
    const i = this.#lineOf(o);
    return { line: i + 1, col: o - this.#starts[i]! + 1 };
  }

  #clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.#text.length));
  }

  /** 0-based line of a clamped offset. */
  #lineOf(o: number): number {
    const starts = this.#starts;
    let lo = this.#last;
    if (starts[lo]! <= o && (lo + 1 >= starts.length || starts[lo + 1]! > o)) return lo;
    lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    this.#last = lo;
    return lo;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.#starts[Math.max(0, Math.min(line - 1, this.#starts.length - 1))] ?? 0;
  }

  /** The text of a 1-based line without its line break. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = line < this.#starts.length ? (this.#starts[line] ?? this.#text.length) : this.#text.length;
    return this.#text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }

  span(file: string, start: number, end?: number): Span {
    // Spans are made for every key of every spec: no intermediate position objects.
    const a = this.#clamp(start);
    const la = this.#lineOf(a);
    if (end === undefined) return { file, line: la + 1, col: a - this.#starts[la]! + 1 };
    const b = this.#clamp(end);
    const lb = this.#lineOf(b);
    return { file, line: la + 1, col: a - this.#starts[la]! + 1, endLine: lb + 1, endCol: b - this.#starts[lb]! + 1 };
  }
}

export function formatSpan(span: Span): string {
  return `${span.file}:${span.line}:${span.col}`;
}
