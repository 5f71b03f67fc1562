import type { Root, RootContent, Table } from 'mdast';
import { isTableKind, type TableKind } from './kinds.js';
import { parseMarkdown } from './markdown.js';
import { readTable, type TableSource } from './table-source.js';

/**
 * The owned tables of a spec file: what sits between `<!-- endpoint-verify:KIND -->` and
 * `<!-- /endpoint-verify:KIND -->` (HTML comments on their own lines; docs/spec-format.md,
 * "Owned tables"). Markers inside code blocks are text, not markers (the Markdown parser knows).
 */

const OPEN = /^<!--\s*endpoint-verify:([a-z-]+)\s*-->$/;
const CLOSE = /^<!--\s*\/endpoint-verify:([a-z-]+)\s*-->$/;

export interface OwnedRegion {
  kind: TableKind;
  /** Offsets of the opening marker comment, and of the closing one. */
  open: { start: number; end: number };
  close: { start: number; end: number };
  /** The first table between the markers, if any. */
  table?: TableSource;
  /** 1-based line of the opening marker. */
  line: number;
}

export interface OwnedProblem {
  line: number;
  message: string;
}

export interface OwnedTables {
  regions: OwnedRegion[];
  /** Markers that do not pair up (an unknown kind, a missing close, a kind twice): those regions are left alone. */
  problems: OwnedProblem[];
}

/** Whether the text may hold markers at all (a cheap test before parsing). */
export function mayHaveOwnedTables(text: string): boolean {
  return text.includes('endpoint-verify:');
}

/** Finds the marked regions of a spec file's text (BOM removed). Never throws. */
export function findOwnedTables(text: string, root?: Root): OwnedTables {
  if (!mayHaveOwnedTables(text)) return { regions: [], problems: [] };
  const tree = root ?? parseMarkdown(text);
  const regions: OwnedRegion[] = [];
  const problems: OwnedProblem[] = [];
  const seen = new Set<string>();
  let open: { kind: string; start: number; end: number; line: number; tables: Table[] } | undefined;
  for (const node of flatten(tree.children)) {
    if (node.type === 'html') {
      for (const c of comments(node.value, node.position!.start.offset!, node.position!.start.line)) {
        const o = OPEN.exec(c.text);
        const cl = CLOSE.exec(c.text);
        if (o) {
          if (open) problems.push({ line: open.line, message: `<!-- endpoint-verify:${open.kind} --> has no closing <!-- /endpoint-verify:${open.kind} --> before the next marker` });
          open = { kind: o[1]!, start: c.start, end: c.end, line: c.line, tables: [] };
        } else if (cl) {
          if (!open || open.kind !== cl[1]) {
            problems.push({ line: c.line, message: `<!-- /endpoint-verify:${cl[1]} --> closes no open <!-- endpoint-verify:${cl[1]} -->` });
            open = undefined;
            continue;
          }
          const kind = open.kind;
          if (!isTableKind(kind)) problems.push({ line: open.line, message: `unknown owned table kind "${kind}" (known: auth, responses, discrepancies)` });
          else if (seen.has(kind)) problems.push({ line: open.line, message: `a second ${kind} table; only the first is kept up to date` });
          else {
            seen.add(kind);
            const region: OwnedRegion = { kind, open: { start: open.start, end: open.end }, close: { start: c.start, end: c.end }, line: open.line };
            if (open.tables[0]) region.table = readTable(text, open.tables[0]);
            regions.push(region);
          }
          open = undefined;
        }
      }
    } else if (node.type === 'table' && open) {
      open.tables.push(node);
    }
  }
  if (open) problems.push({ line: open.line, message: `<!-- endpoint-verify:${open.kind} --> is never closed` });
  return { regions, problems };
}

/** Block nodes in document order, containers (lists, quotes) opened. */
function* flatten(nodes: RootContent[]): Generator<RootContent> {
  for (const n of nodes) {
    yield n;
    if ('children' in n && n.type !== 'table' && n.type !== 'paragraph' && n.type !== 'heading') yield* flatten(n.children as RootContent[]);
  }
}

/** The comments of an HTML block, one per line (`<!-- a -->\n<!-- b -->` is one HTML block). */
function comments(value: string, offset: number, line: number): { text: string; start: number; end: number; line: number }[] {
  const out: { text: string; start: number; end: number; line: number }[] = [];
  let at = 0;
  let l = line;
  for (const part of value.split('\n')) {
    const lead = part.length - part.trimStart().length;
    const text = part.trim();
    if (text) out.push({ text, start: offset + at + lead, end: offset + at + lead + text.length, line: l });
    at += part.length + 1;
    l++;
  }
  return out;
}
