/**
 * The kinds of owned tables a spec file may hold (docs/spec-format.md, "Owned tables"): their
 * headings (for `docs adopt`), columns and how a row's key is compared. Pure data: no run, no HTTP.
 */

export type TableKind = 'auth' | 'responses' | 'discrepancies';
export const TABLE_KINDS: readonly TableKind[] = ['auth', 'responses', 'discrepancies'];

/**
 * - `key`: the cell a row is matched by (token type, status code, aspect);
 * - `owned`: written from what the run observed, every time;
 * - `fill`: written only when empty or in a new row (a person may reword it: the Meaning column);
 * - `human`: never written (Notes).
 */
export type ColumnRole = 'key' | 'owned' | 'fill' | 'human';

export interface ColumnDef {
  id: string;
  /** The header a new table (or an added column) gets. */
  header: string;
  /** Header texts recognised for this column, lower case. */
  aliases: readonly string[];
  role: ColumnRole;
}

export interface KindDef {
  kind: TableKind;
  /** Section headings `docs adopt` recognises, lower case. */
  headings: readonly string[];
  columns: readonly ColumnDef[];
  /** A key cell as compared: two cells match when these are equal. */
  normalizeKey(cell: string): string;
}

/** What the tool appends to the key of a row it did not observe in the last run. */
export const NOT_OBSERVED_MARK = '(not observed)';

const plain = (s: string): string =>
  s
    .replace(/\(not observed\)\s*$/i, '')
    .replace(/[`*_~]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

export const KINDS: Record<TableKind, KindDef> = {
  auth: {
    kind: 'auth',
    headings: ['authentication', 'auth', 'authorization', 'token types', 'tokens'],
    columns: [
      { id: 'token', header: 'Token Type', aliases: ['token type', 'token', 'type', 'token types'], role: 'key' },
      { id: 'works', header: 'Works', aliases: ['works', 'working', 'works?'], role: 'owned' },
      { id: 'observed', header: 'Observed', aliases: ['observed', 'observed status', 'gateway', 'gateways'], role: 'owned' },
      { id: 'notes', header: 'Notes', aliases: ['notes', 'note', 'comments'], role: 'human' },
    ],
    // "Staff", "staff", "**Staff**", "super_admin" / "Super Admin" all name the same token type.
    normalizeKey: (cell) => plain(cell).replace(/[^a-z0-9]/g, ''),
  },
  responses: {
    kind: 'responses',
    headings: ['response codes', 'responses', 'status codes', 'response status codes'],
    columns: [
      { id: 'status', header: 'Status', aliases: ['status', 'code', 'status code', 'http status', 'http status code'], role: 'key' },
      { id: 'meaning', header: 'Meaning', aliases: ['meaning', 'description'], role: 'fill' },
      { id: 'observed', header: 'Observed', aliases: ['observed', 'observed in', 'seen in', 'steps'], role: 'owned' },
    ],
    // "200", "200 OK", "`200`" are one status.
    normalizeKey: (cell) => {
      const p = plain(cell);
      return /\b[1-5]\d\d\b/.exec(p)?.[0] ?? p;
    },
  },
  discrepancies: {
    kind: 'discrepancies',
    headings: ['swagger discrepancies', 'openapi discrepancies', 'discrepancies', 'spec discrepancies'],
    columns: [
      { id: 'aspect', header: 'Aspect', aliases: ['aspect'], role: 'key' },
      { id: 'documented', header: 'Swagger Says', aliases: ['swagger says', 'openapi says', 'documented', 'spec says'], role: 'owned' },
      { id: 'actual', header: 'Actual Behavior', aliases: ['actual behavior', 'actual behaviour', 'actual'], role: 'owned' },
      { id: 'evidence', header: 'Evidence', aliases: ['evidence'], role: 'owned' },
    ],
    normalizeKey: plain,
  },
};

export function isTableKind(s: string): s is TableKind {
  return (TABLE_KINDS as readonly string[]).includes(s);
}

/** The column a header cell names, if any (case-insensitive, emphasis ignored). */
export function columnFor(kind: TableKind, header: string): ColumnDef | undefined {
  const h = plain(header);
  return KINDS[kind].columns.find((c) => c.aliases.includes(h));
}
