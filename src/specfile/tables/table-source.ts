import type { Table } from 'mdast';
import stringWidth from 'string-width';

/**
 * A GFM table as it is written in the file: its rows' raw cells (trimmed) and offsets, and the
 * formatting the file uses, so a rewrite follows it and an unchanged row keeps its exact bytes.
 */

export interface TableRowSource {
  /** Offsets of the row's line, without its line break. */
  start: number;
  end: number;
  /** The raw cell texts between the pipes, trimmed (escapes such as `\|` kept as written). */
  cells: string[];
}

export interface TableStyle {
  leadingPipe: boolean;
  trailingPipe: boolean;
  /** Every cell of a column padded to one width (as formatters write tables). */
  aligned: boolean;
  /** The delimiter row's cells are exactly as wide as the header's (`|------------|`). */
  delimiterMatchesHeader: boolean;
  /** The delimiter cells have a space on each side (`| --- |`). */
  delimiterSpaced: boolean;
}

export interface TableSource {
  start: number;
  end: number;
  header: TableRowSource;
  /** The delimiter row's raw cells (`---`, `:---:`, ...), untrimmed. */
  delimiter: string[];
  rows: TableRowSource[];
  /** Offsets of the delimiter row's line. */
  delimiterLine: { start: number; end: number };
  style: TableStyle;
  eol: string;
  /** The whole text the offsets are into. */
  text: string;
}

/** Reads a table node of `parseMarkdown(text)` back from the text. */
export function readTable(text: string, node: Table): TableSource {
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  const rows = node.children.map((row) => {
    const rs = row.position!.start.offset!;
    const re = row.position!.end.offset!;
    const cells = row.children.map((cell, i) => {
      let raw = text.slice(cell.position!.start.offset!, cell.position!.end.offset!);
      if (raw.startsWith('|')) raw = raw.slice(1);
      if (i === row.children.length - 1 && /(^|[^\\])\|\s*$/.test(raw)) raw = raw.replace(/\|\s*$/, '');
      return raw;
    });
    return { start: rs, end: re, raw: cells };
  });
  const header = rows[0]!;
  const afterHeader = text.indexOf('\n', header.end);
  const delimStart = afterHeader + 1;
  const delimEnd = lineEnd(text, delimStart);
  const delimLine = text.slice(delimStart, delimEnd);
  const delimiter = splitDelimiter(delimLine);
  const headerLine = text.slice(header.start, header.end);
  const body = rows.slice(1);
  const widths = (r: { raw: string[] }): number[] => r.raw.map((c) => width(c));
  const hw = widths(header);
  const lastIdx = hw.length - 1;
  const trailingPipe = /\|\s*$/.test(headerLine);
  const sameWidths = (r: { raw: string[] }): boolean =>
    r.raw.length === header.raw.length && widths(r).every((w, i) => (i === lastIdx && !trailingPipe) || w === hw[i]);
  // Padded to one width per column, and padding visible somewhere (a compact table whose cells
  // happen to be of one width renders the same either way).
  const aligned = body.length > 0 && body.every(sameWidths) && [header, ...body].some((r) => r.raw.some((c) => /\S {2,}$/.test(c)));
  return {
    start,
    end,
    header: { start: header.start, end: header.end, cells: header.raw.map((c) => c.trim()) },
    delimiter,
    delimiterLine: { start: delimStart, end: delimEnd },
    text,
    rows: body.map((r) => ({ start: r.start, end: r.end, cells: r.raw.map((c) => c.trim()) })),
    style: {
      leadingPipe: /^\s*\|/.test(headerLine),
      trailingPipe,
      aligned,
      delimiterMatchesHeader: delimiter.length === hw.length && delimiter.every((d, i) => (i === lastIdx && !trailingPipe) || width(d) === hw[i]),
      delimiterSpaced: delimiter.length > 0 && delimiter.every((d) => /^\s.*\s$/.test(d)),
    },
    eol: text[delimStart - 2] === '\r' ? '\r\n' : '\n',
  };
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const end = nl === -1 ? text.length : nl;
  return text[end - 1] === '\r' ? end - 1 : end;
}

function splitDelimiter(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|')) s = s.slice(0, -1);
  return s.split('|');
}

/** Columns a fixed-width editor shows (emoji such as ✅ and CJK take two; string-width's rules). */
export function width(s: string): number {
  return stringWidth(s);
}
