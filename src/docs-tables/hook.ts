import { createTwoFilesPatch } from 'diff';
import type { ApiConfig } from '../config/types.js';
import type { DocsHook, DocsObservation, DocsPlan } from '../run/scheduler/observe.js';
import type { SpecResult } from '../result/result.js';
import type { LoadedSpec } from '../specfile/parse.js';
import { applyObservedTables, findOwnedTables, maskOwnedTables, KINDS, type OwnedRegion, type OwnedTables } from '../specfile/tables/index.js';
import { observedTables } from './observed.js';

/**
 * The `docs` hook of a run (--update-docs / --check-docs): reads a spec's owned tables, says
 * which token types its `auth` table needs observed, and plans the new tables from what the run
 * observed. The same plan is applied again to the text under the write lock (so a person's edit
 * of a Notes cell during the run is kept).
 */
export function createDocsHook(opts: {
  mode: 'update' | 'check';
  prune: boolean;
  conformance: boolean;
  /** Markers that do not pair up (their tables are left alone), once per spec. */
  onProblem?(file: string, line: number, message: string): void;
}): DocsHook {
  // One parse per spec between tokenTypes() and plan() (the Markdown parser is the costly part).
  const parsed = new Map<string, OwnedTables>();
  const foundIn = (spec: LoadedSpec): OwnedTables => {
    const known = parsed.get(spec.absPath);
    if (known) return known;
    const found = findOwnedTables(spec.doc.text);
    for (const p of found.problems) opts.onProblem?.(spec.file, p.line, p.message);
    parsed.set(spec.absPath, found);
    return found;
  };
  return {
    mode: opts.mode,
    tokenTypes(spec: LoadedSpec, api: ApiConfig): string[] | undefined {
      const auth = foundIn(spec).regions.find((r) => r.kind === 'auth');
      if (!auth) return undefined;
      return authTokenTypes(spec, api, auth);
    },
    plan(spec: LoadedSpec, _result: SpecResult, observations: DocsObservation[]): DocsPlan | undefined {
      const found = foundIn(spec);
      parsed.delete(spec.absPath);
      const regions = found.regions;
      if (regions.length === 0) return undefined;
      const observed = observedTables(
        regions.map((r) => r.kind),
        observations,
        { conformance: opts.conformance },
      );
      const applied = applyObservedTables(spec.doc.text, observed, { prune: opts.prune, found });
      const text = spec.doc.text;
      return {
        tables: applied.changes.map((c) => {
          if (!c.edit) return { kind: c.kind, line: c.line, before: c.before, after: c.after, status: 'unchanged' as const };
          // One table's change alone, so each stale table gets its own diff (with the file's line numbers).
          const one = text.slice(0, c.edit.start) + c.edit.insert + text.slice(c.edit.end);
          const diff = createTwoFilesPatch(`a/${spec.file}`, `b/${spec.file}`, text, one, '', '', { context: 3 }).replace(/^=+\n/, '');
          return { kind: c.kind, line: c.line, before: c.before, after: c.after, status: 'stale' as const, diff };
        }),
        edit: (text) => ({ text: applyObservedTables(text, observed, { prune: opts.prune }).text }),
      };
    },
    maskTables: maskOwnedTables,
  };
}

/**
 * The token types an auth table asks about: the spec's `tokens:`, and each row's key matched to
 * the API's configured token types (case and punctuation ignored: "Staff" is `staff`, "Super
 * Admin" is `super_admin`); a key that names no configured type is tried as written, lower-cased.
 */
function authTokenTypes(spec: LoadedSpec, api: ApiConfig, auth: OwnedRegion): string[] {
  const norm = KINDS.auth.normalizeKey;
  const configured = Object.keys(api.tokens);
  const out: string[] = [];
  const add = (t: string): void => {
    if (!out.some((o) => norm(o) === norm(t))) out.push(configured.find((c) => norm(c) === norm(t)) ?? t);
  };
  for (const t of spec.doc.frontMatter.tokens ?? []) if (typeof t === 'string') add(t);
  const table = auth.table;
  if (table) {
    const keyIdx = Math.max(0, table.header.cells.findIndex((h) => KINDS.auth.columns[0]!.aliases.includes(h.toLowerCase().trim())));
    for (const row of table.rows) {
      const key = norm(row.cells[keyIdx] ?? '');
      if (!key) continue;
      const match = configured.find((c) => norm(c) === key);
      add(match ?? (row.cells[keyIdx] ?? '').replace(/\(not observed\)\s*$/i, '').replace(/[`*_~]/g, '').trim().toLowerCase().replace(/\s+/g, '_'));
    }
  }
  return out;
}
