import { KINDS, NOT_OBSERVED_MARK, columnFor, type ColumnDef, type TableKind } from './kinds.js';
import { width, type TableSource, type TableStyle } from './table-source.js';

/**
 * Merges what a run observed into an owned table (docs/spec-format.md, "Owned tables"):
 * - rows are matched by their key cell (`KindDef.normalizeKey`);
 * - `owned` cells are rewritten from the observation, `fill` cells only when empty, `human`
 *   cells (Notes) are kept as written;
 * - a row the run did not observe gets `(not observed)` after its key (removed once observed
 *   again), or is dropped with `prune`; a row whose key is in `unknown` (a token the environment
 *   does not have, an outage) is left exactly as it is;
 * - new rows go at the end; a missing owned column is added after the last key/owned column;
 * - formatting follows the table (pipes, padding, delimiter widths); a row whose cells did not
 *   change keeps its bytes.
 * Pure: text in, text out.
 */

export interface ObservedRow {
  /** The key as displayed in a new row. */
  key: string;
  /** Cell texts by column id (Markdown, already escaped for a table cell). */
  cells: Record<string, string>;
}

export interface ObservedTable {
  kind: TableKind;
  rows: ObservedRow[];
  /**
   * Normalized keys whose observation is unknown (a token the environment lacks, a run that got
   * no answer): their rows are left as they are. `all`: no row is marked not observed.
   */
  unknown?: ReadonlySet<string> | 'all';
}

export interface MergeOptions {
  prune?: boolean;
  /** Line break for a new table (an existing table keeps its own). */
  eol: string;
}

interface Column {
  def?: ColumnDef;
  /** Index of this column in the source table, if it was there. */
  from?: number;
  header: string;
}

/** The new table text (no line break before or after). */
export function mergeTable(source: TableSource | undefined, observed: ObservedTable, opts: MergeOptions): string {
  const kind = KINDS[observed.kind];
  const columns = layout(source, observed.kind);
  const keyIdx = Math.max(0, columns.findIndex((c) => c.def?.role === 'key'));
  const byKey = new Map(observed.rows.map((r) => [kind.normalizeKey(r.key), r]));
  const used = new Set<string>();
  const out: { cells: string[]; raw?: { start: number; end: number } }[] = [];
  const sameShape = source !== undefined && columns.length === source.header.cells.length && columns.every((c, i) => c.from === i);

  for (const row of source?.rows ?? []) {
    const old = columns.map((c) => (c.from !== undefined ? (row.cells[c.from] ?? '') : ''));
    const keyCell = old[keyIdx] ?? '';
    const key = kind.normalizeKey(keyCell);
    const seen = byKey.get(key);
    let cells: string[];
    if (seen && !used.has(key)) {
      used.add(key);
      cells = old.map((cell, i) => {
        const def = columns[i]!.def;
        if (i === keyIdx) return unmark(cell);
        if (def?.role === 'owned') return seen.cells[def.id] ?? '';
        if (def?.role === 'fill' && cell === '') return seen.cells[def.id] ?? '';
        return cell;
      });
    } else if (observed.unknown === 'all' || observed.unknown?.has(key)) {
      cells = old;
    } else {
      if (opts.prune) continue;
      cells = old.map((cell, i) => (i === keyIdx ? mark(cell) : cell));
    }
    const unchanged = sameShape && cells.every((c, i) => c === row.cells[i]) && row.cells.length === cells.length;
    out.push(unchanged ? { cells, raw: { start: row.start, end: row.end } } : { cells });
  }
  for (const [key, r] of byKey) {
    if (used.has(key)) continue;
    out.push({ cells: columns.map((c, i) => (i === keyIdx ? r.key : c.def && c.def.role !== 'human' ? (r.cells[c.def.id] ?? '') : '')) });
  }
  return render(source, columns, out, { eol: opts.eol, sameShape });
}

function mark(cell: string): string {
  return cell.endsWith(NOT_OBSERVED_MARK) ? cell : `${cell} ${NOT_OBSERVED_MARK}`.trim();
}

function unmark(cell: string): string {
  return cell.endsWith(NOT_OBSERVED_MARK) ? cell.slice(0, -NOT_OBSERVED_MARK.length).trimEnd() : cell;
}

/** The columns of the merged table: the source's, plus any owned column it lacks. */
function layout(source: TableSource | undefined, kind: TableKind): Column[] {
  const defs = KINDS[kind].columns;
  if (!source) return defs.map((def) => ({ def, header: def.header }));
  const cols: Column[] = source.header.cells.map((h, i) => {
    const def = columnFor(kind, h);
    return def ? { def, from: i, header: h } : { from: i, header: h };
  });
  // A table whose first column is not a known key column still has its key first.
  if (!cols.some((c) => c.def?.role === 'key') && cols[0]) cols[0] = { ...cols[0], def: defs.find((d) => d.role === 'key')! };
  for (const def of defs) {
    if (def.role !== 'owned' || cols.some((c) => c.def?.id === def.id)) continue;
    let at = -1;
    cols.forEach((c, i) => {
      if (c.def?.role === 'key' || c.def?.role === 'owned' || c.def?.role === 'fill') at = i;
    });
    cols.splice(at + 1, 0, { def, header: def.header });
  }
  return cols;
}

/** A new table: the seed's style (`| a | b |`, dashes as wide as each header cell). */
const DEFAULT_STYLE: TableStyle = { leadingPipe: true, trailingPipe: true, aligned: false, delimiterMatchesHeader: true, delimiterSpaced: false };

function render(
  source: TableSource | undefined,
  columns: Column[],
  rows: { cells: string[]; raw?: { start: number; end: number } }[],
  o: { eol: string; sameShape: boolean },
): string {
  const style = source?.style ?? DEFAULT_STYLE;
  const lineBreak = source?.eol ?? o.eol;
  const header = columns.map((c) => c.header);
  const widths = columns.map((_, i) => Math.max(3, ...[header[i]!, ...rows.map((r) => r.cells[i] ?? '')].map(width)));
  const cell = (text: string, i: number): string => {
    const pad = style.aligned && (i < columns.length - 1 || style.trailingPipe) ? ' '.repeat(widths[i]! - width(text)) : '';
    return ` ${text}${pad} `;
  };
  const line = (cells: string[]): string => {
    let s = cells.join('|');
    if (style.leadingPipe) s = `|${s}`;
    else s = s.replace(/^ /, '');
    if (style.trailingPipe) s = `${s}|`;
    else s = s.replace(/ +$/, '');
    return s;
  };
  const headerCells = header.map((h, i) => cell(h, i));
  const delim = columns.map((c, i) => {
    const was = c.from !== undefined ? source?.delimiter[c.from] : undefined;
    const colons = was?.trim() ?? '---';
    const left = colons.startsWith(':') ? ':' : '';
    const right = colons.endsWith(':') && colons.length > 1 ? ':' : '';
    if (style.aligned || style.delimiterMatchesHeader) {
      const w = width(headerCells[i]!) - (style.delimiterSpaced ? 2 : 0);
      const dashes = left + '-'.repeat(Math.max(3, w - left.length - right.length)) + right;
      return style.delimiterSpaced ? ` ${dashes} ` : dashes;
    }
    if (was !== undefined) return was;
    return style.delimiterSpaced ? ' --- ' : '---';
  });
  // Same columns, and (for an aligned table) the same column widths: header, delimiter and unchanged rows keep their bytes.
  const keep = source !== undefined && o.sameShape && (!style.aligned || line(headerCells) === sourceText(source, source.header));
  const lines = keep ? [sourceText(source, source.header), sourceText(source, source.delimiterLine)] : [line(headerCells), line(delim)];
  for (const r of rows) {
    if (r.raw && source && (!style.aligned || keep)) lines.push(sourceText(source, r.raw));
    else lines.push(line(r.cells.map((c, i) => cell(c, i))));
  }
  return lines.join(lineBreak);
}

/** The exact text of an unchanged row (kept so a merge that changes one row changes one line). */
function sourceText(source: TableSource, raw: { start: number; end: number }): string {
  return source.text.slice(raw.start, raw.end);
}
