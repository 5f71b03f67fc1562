import { failedWriteBacks } from '../../result/write-back-failures.js';
import type { RunResult, SpecResult, Verdict } from '../../result/result.js';
import { formatDuration, VERDICT_SYMBOL, VERDICTS } from '../format.js';
import { escapeHtml, text } from './escape.js';

/** The static top of the run report: run facts, totals by verdict, per domain and per API. */

export function runFacts(result: RunResult): string {
  const facts: [string, string][] = [
    ['Environment', result.environment],
    ['Started', result.startedAt],
    ['Finished', result.finishedAt],
    ['Duration', formatDuration(result.summary.durationMs)],
    ['Specs', String(result.summary.total)],
  ];
  const items = facts.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${text(v)}</dd></div>`).join('');
  let banner = result.interrupted ? '<p class="banner">The run was interrupted: not every spec ran.</p>' : '';
  const unwritten = failedWriteBacks(result);
  if (unwritten.length > 0) {
    const items = unwritten.map((w) => `<li><code>${text(w.file)}</code>: ${text(w.outcome)}, ${text(w.message)}</li>`).join('');
    banner += `<div class="banner"><p>${unwritten.length} write-back${unwritten.length === 1 ? '' : 's'} failed: the front-matter of ${unwritten.length === 1 ? 'this file was' : 'these files were'} not updated.</p><ul>${items}</ul></div>`;
  }
  return `<dl class="facts">${items}</dl>${banner}`;
}

export function totalsCards(result: RunResult): string {
  const s = result.summary;
  const cards = VERDICTS.map(
    (v) =>
      `<div class="vcard v-${v}" data-verdict="${v}"><span class="count">${s[v]}</span> <span class="label">${VERDICT_SYMBOL[v]} ${v}</span></div>`,
  ).join('');
  const fallback = result.specs.filter((x) => x.verdict === 'verified' && x.gateway === 'fallback').length;
  const note = fallback > 0 ? `<p class="note"><span class="fallback">${fallback} verified only via the fallback gateway</span></p>` : '';
  return `<div id="totals" class="totals">${cards}</div>${note}`;
}

type Counts = Record<Verdict, number>;

function groupCounts(specs: readonly SpecResult[], key: (s: SpecResult) => string): [string, Counts][] {
  const groups = new Map<string, Counts>();
  for (const s of specs) {
    const k = key(s);
    let c = groups.get(k);
    if (!c) groups.set(k, (c = { verified: 0, failing: 0, blocked: 0, error: 0, invalid: 0, skipped: 0 }));
    c[s.verdict]++;
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

function groupTable(id: string, title: string, rows: [string, Counts][]): string {
  const head = `<tr><th scope="col">${escapeHtml(title)}</th>${VERDICTS.map((v) => `<th scope="col" class="n">${v}</th>`).join('')}<th scope="col" class="n">total</th></tr>`;
  const body = rows
    .map(([name, c]) => {
      const total = VERDICTS.reduce((n, v) => n + c[v], 0);
      const cells = VERDICTS.map((v) => `<td class="n v-${v}${c[v] === 0 ? ' zero' : ''}">${c[v]}</td>`).join('');
      return `<tr><th scope="row">${text(name)}</th>${cells}<td class="n total">${total}</td></tr>`;
    })
    .join('');
  return `<table id="${id}" class="grid"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

export function groupTables(result: RunResult): string {
  const byDomain = groupCounts(result.specs, (s) => (s.domain?.trim() ? s.domain : '(no domain)'));
  const byApi = groupCounts(result.specs, (s) => s.api);
  return `<div class="groups"><div>${groupTable('by-domain', 'Domain', byDomain)}</div><div>${groupTable('by-api', 'API', byApi)}</div></div>`;
}
