import { diffLines } from 'diff';
import type { RunResult, SpecDocsTable } from '../../result/result.js';
import { text } from './escape.js';

/**
 * The "Owned tables" section of the HTML report (--update-docs / --check-docs): each table that
 * changed (or would change), as a line diff of before and after. Static HTML, no script; its few
 * style rules are its own stylesheet (allowed by hash in the page's CSP, see render.ts).
 */

export const DOCS_DIFF_STYLE = [
  '#docs-tables .docs-diff{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;white-space:pre;overflow-x:auto;border:1px solid #d0d7de;border-radius:6px;margin:.25rem 0 1rem;padding:0}',
  '#docs-tables .docs-diff span{display:block;padding:0 .5rem}',
  '#docs-tables .docs-diff .del{background:#ffebe9;color:#82071e}',
  '#docs-tables .docs-diff .ins{background:#dafbe1;color:#116329}',
  '#docs-tables .docs-status{font-weight:600}',
].join('\n');

const STATUS_LABEL: Record<SpecDocsTable['status'], string> = {
  updated: 'updated',
  stale: 'out of date (not written: --check-docs)',
  'not-written': 'not written (see the spec\'s write-back)',
  unchanged: 'unchanged',
};

/** The section, or "" when no spec of the run has an owned table that changed. */
export function docsDiffSection(result: RunResult): string {
  const parts: string[] = [];
  for (const spec of result.specs) {
    for (const t of spec.docs ?? []) {
      if (t.status === 'unchanged') continue;
      parts.push(
        `<h3>${text(spec.file)}:${t.line} <code>${text(t.kind)}</code> <span class="docs-status">${text(STATUS_LABEL[t.status])}</span></h3>`,
        `<div class="docs-diff" role="figure" aria-label="${text(`${t.kind} table of ${spec.file}, before and after`)}">${diffHtml(t.before, t.after)}</div>`,
      );
    }
  }
  if (parts.length === 0) return '';
  return ['<section id="docs-tables" class="card"><h2>Owned tables</h2>', ...parts, '</section>'].join('\n');
}

/** Before and after as lines: removed lines marked `-` (class del), added `+` (class ins). */
export function diffHtml(before: string, after: string): string {
  const out: string[] = [];
  for (const change of diffLines(before.endsWith('\n') ? before : `${before}\n`, after.endsWith('\n') ? after : `${after}\n`)) {
    const cls = change.added ? 'ins' : change.removed ? 'del' : 'ctx';
    const sign = change.added ? '+' : change.removed ? '-' : ' ';
    for (const line of change.value.replace(/\r?\n$/, '').split(/\r?\n/)) out.push(`<span class="${cls}">${sign} ${text(line)}</span>`);
  }
  return out.join('');
}
