import type { Heading, RootContent, Table } from 'mdast';
import { KINDS, TABLE_KINDS, columnFor, type TableKind } from './kinds.js';
import { eolOf, parseMarkdown } from './markdown.js';
import { findOwnedTables } from './owned.js';

/**
 * `docs adopt`: puts owned-table markers around the tables a spec file already keeps by hand
 * (the seed's `## Response Codes`, `## Authentication`, `## Swagger Discrepancies`). A table is
 * adopted when it is the first table under a heading of its kind and its first header cell names
 * the kind's key column, both case-insensitively. Only the marker lines are inserted. Pure.
 */

export interface Adopted {
  kind: TableKind;
  /** 1-based line of the table's header row (before the markers were inserted). */
  line: number;
}

export interface AdoptResult {
  text: string;
  adopted: Adopted[];
  /** Kinds already marked in the file. */
  alreadyMarked: TableKind[];
}

export function adoptTables(text: string): AdoptResult {
  const tree = parseMarkdown(text);
  const marked = new Set(findOwnedTables(text, tree).regions.map((r) => r.kind));
  const eol = eolOf(text);
  const found: { kind: TableKind; table: Table }[] = [];
  const nodes = tree.children;
  for (let i = 0; i < nodes.length; i++) {
    const h = nodes[i]!;
    if (h.type !== 'heading') continue;
    const kind = kindOfHeading(h);
    if (!kind || marked.has(kind) || found.some((f) => f.kind === kind)) continue;
    const table = firstTableOfSection(nodes, i);
    if (!table || inMarkers(nodes, table)) continue;
    const first = table.children[0]?.children[0];
    const header = first ? text.slice(first.position!.start.offset!, first.position!.end.offset!).replace(/^\|/, '').replace(/\|\s*$/, '') : '';
    if (columnFor(kind, header)?.role !== 'key') continue;
    found.push({ kind, table });
  }
  let out = text;
  const inserts: { at: number; text: string }[] = [];
  for (const { kind, table } of found) {
    const start = table.position!.start.offset!;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    inserts.push({ at: lineStart, text: `<!-- endpoint-verify:${kind} -->${eol}` });
    inserts.push({ at: table.position!.end.offset!, text: `${eol}<!-- /endpoint-verify:${kind} -->` });
  }
  for (const ins of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, ins.at) + ins.text + out.slice(ins.at);
  return {
    text: out,
    adopted: found.map((f) => ({ kind: f.kind, line: f.table.position!.start.line })).sort((a, b) => a.line - b.line),
    alreadyMarked: TABLE_KINDS.filter((k) => marked.has(k)),
  };
}

function kindOfHeading(h: Heading): TableKind | undefined {
  const title = headingText(h).toLowerCase().replace(/\s+/g, ' ').trim();
  return TABLE_KINDS.find((k) => KINDS[k].headings.includes(title));
}

function headingText(node: RootContent): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(headingText).join('');
  return '';
}

/** The first table after heading i and before the next heading of the same or a higher level. */
function firstTableOfSection(nodes: RootContent[], i: number): Table | undefined {
  const depth = (nodes[i] as Heading).depth;
  for (let j = i + 1; j < nodes.length; j++) {
    const n = nodes[j]!;
    if (n.type === 'heading' && n.depth <= depth) return undefined;
    if (n.type === 'table') return n;
  }
  return undefined;
}

/** Whether the node right before the table is an opening marker (already adopted under another heading). */
function inMarkers(nodes: RootContent[], table: Table): boolean {
  const i = nodes.indexOf(table);
  const prev = nodes[i - 1];
  return prev?.type === 'html' && /endpoint-verify:/.test(prev.value.split('\n').pop() ?? '');
}
