import type { TableKind } from './kinds.js';
import { eolOf } from './markdown.js';
import { mergeTable, type ObservedTable } from './merge.js';
import { findOwnedTables, mayHaveOwnedTables, type OwnedProblem, type OwnedTables } from './owned.js';

/**
 * Rewrites a spec file's owned tables from observations, by offsets: only the text between the
 * markers of the observed kinds can change (docs/spec-format.md, "Owned tables"). Pure.
 */

export interface TableChange {
  kind: TableKind;
  /** 1-based line of the opening marker. */
  line: number;
  /** The table as it was ("" for empty markers) and as the observations make it. */
  before: string;
  after: string;
  /** The edit of the text: `insert` replaces the characters from `start` to `end` (none when before === after). */
  edit?: { start: number; end: number; insert: string };
}

export interface AppliedTables {
  text: string;
  changes: TableChange[];
  problems: OwnedProblem[];
}

export function applyObservedTables(
  text: string,
  observed: readonly ObservedTable[],
  opts: { prune?: boolean; /** `findOwnedTables(text)`, when the caller has it already. */ found?: OwnedTables } = {},
): AppliedTables {
  const { regions, problems } = opts.found ?? findOwnedTables(text);
  const eol = eolOf(text);
  const edits: { start: number; end: number; insert: string }[] = [];
  const changes: TableChange[] = [];
  for (const region of regions) {
    const obs = observed.find((o) => o.kind === region.kind);
    if (!obs) continue;
    const after = mergeTable(region.table, obs, { eol, ...(opts.prune ? { prune: true } : {}) });
    const before = region.table ? text.slice(region.table.start, region.table.end) : '';
    if (after === before) {
      changes.push({ kind: region.kind, line: region.line, before, after });
      continue;
    }
    // Empty markers: the table goes on its own lines between them.
    const edit = region.table
      ? { start: region.table.start, end: region.table.end, insert: after }
      : { start: region.open.end, end: region.close.start, insert: `${eol}${after}${eol}` };
    edits.push(edit);
    changes.push({ kind: region.kind, line: region.line, before, after, edit });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return { text: out, changes, problems };
}

/**
 * The text with every owned table's content replaced by a placeholder: two texts equal under
 * this mask differ only inside owned tables (the write-back's "only owned parts changed" test).
 */
export function maskOwnedTables(text: string): string {
  if (!mayHaveOwnedTables(text)) return text;
  const { regions } = findOwnedTables(text);
  let out = text;
  for (const r of [...regions].sort((a, b) => b.open.start - a.open.start)) {
    out = `${out.slice(0, r.open.end)}\u0000${r.kind}\u0000${out.slice(r.close.start)}`;
  }
  return out;
}
