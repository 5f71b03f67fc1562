import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunResult, SpecResult } from '../result/result.js';
import { failedWriteBacks } from '../result/write-back-failures.js';
import { describeAssertion, diagnosticLines, failingStep, failureLocation, formatDuration, needsAttention, specReason, stripEscapes, VERDICTS } from './format.js';

const ICON: Record<SpecResult['verdict'], string> = { verified: '✅', failing: '❌', blocked: '⛔', error: '⚠️', invalid: '📝', skipped: '⏭️' };

/**
 * A Markdown summary (GitHub job summary, pull-request comment): totals,
 * the specs that did not verify with their reason and file:line, and the
 * OpenAPI findings as the seed's "Swagger Discrepancies" table.
 */
export function markdownReport(result: RunResult): string {
  const s = result.summary;
  const out: string[] = ['## endpoint-verify report', ''];
  const facts = [`environment \`${code(result.environment)}\``, `${s.total} specs`, formatDuration(s.durationMs)];
  if (result.interrupted) facts.push('**interrupted**: not every spec ran');
  const unwritten = failedWriteBacks(result).length;
  if (unwritten > 0) facts.push(`**${unwritten} write-back${unwritten === 1 ? '' : 's'} failed**`);
  out.push(facts.join(' · '), '');
  out.push('| Verdict | Count |', '|---|---:|');
  for (const v of VERDICTS) out.push(`| ${ICON[v]} ${v} | ${s[v]} |`);
  const fallback = result.specs.filter((x) => x.verdict === 'verified' && x.gateway === 'fallback');
  if (fallback.length > 0) out.push('', `${fallback.length} verified via the fallback gateway: ${fallback.map((x) => `\`${code(x.endpoint)}\``).join(', ')}`);

  const bad = result.specs.filter((x) => needsAttention(x.verdict));
  if (bad.length > 0) {
    out.push('', '### Not verified', '', '| Verdict | Endpoint | Where | Reason |', '|---|---|---|---|');
    for (const spec of bad) {
      out.push(`| ${ICON[spec.verdict]} ${spec.verdict} | ${cell(spec.endpoint)} | ${cell(failureLocation(spec).text)} | ${cell(specReason(spec))} |`);
    }
    for (const spec of bad) out.push(...details(spec));
  }

  const withFindings = result.specs.filter((x) => x.findings.length > 0);
  if (withFindings.length > 0) {
    out.push('', '### Swagger Discrepancies');
    for (const spec of withFindings) {
      out.push('', `**${cell(spec.endpoint)}** (${cell(spec.file)})`, '', '| Aspect | Swagger Says | Actual Behavior | Evidence |', '|--------|--------------|-----------------|----------|');
      for (const f of spec.findings) {
        const evidence = [f.evidence, f.pointer ? `at ${f.pointer}` : undefined, `step ${f.stepId}`].filter(Boolean).join('; ');
        out.push(`| ${cell(f.aspect)} | ${cell(f.documented)} | ${cell(f.actual)} | ${cell(evidence)} |`);
      }
    }
  }

  const writes = failedWriteBacks(result);
  if (writes.length > 0) {
    out.push('', `### Write-back problems (${writes.length} ${writes.length === 1 ? 'file' : 'files'} not updated)`, '', '| File | Outcome | Message |', '|---|---|---|');
    for (const w of writes) out.push(`| ${cell(w.file)} | ${w.outcome} | ${cell(w.message)} |`);
  }
  return `${out.join('\n')}\n`;
}

function details(spec: SpecResult): string[] {
  const step = failingStep(spec);
  const diagnostics = diagnosticLines(spec);
  if (!step && diagnostics.length === 0) return [];
  if (!step) return ['', `<details><summary>${html(spec.endpoint || spec.file)}: ${spec.verdict}</summary>`, '', ...fenced(diagnostics), '', '</details>'];
  const body = [`${step.method} ${stripEscapes(step.url)}${step.status !== undefined ? ` -> ${step.status}` : ''}`];
  for (const a of step.assertions.filter((x) => !x.passed)) body.push(describeAssertion(a));
  if (step.error) body.push(`error (${step.error.code}): ${stripEscapes(step.error.message)}`);
  if (step.requestBody) body.push(`request body: ${stripEscapes(step.requestBody)}`);
  if (step.responseSnippet) body.push(`response: ${stripEscapes(step.responseSnippet)}`);
  return ['', `<details><summary>${html(spec.endpoint)}: step ${html(step.id)} (${step.phase})</summary>`, '', ...fenced(body), '', '</details>'];
}

function fenced(body: string[]): string[] {
  // The fence is longer than any backtick run inside, so a snippet cannot end the block early.
  const longest = Math.max(0, ...body.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, ...body, fence];
}

/** `lint`'s job summary: counts, then one row per diagnostic. */
export function lintMarkdown(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const out = ['## endpoint-verify lint', '', `${files} file${files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${diagnostics.length - errors} warning${diagnostics.length - errors === 1 ? '' : 's'}`];
  if (diagnostics.length > 0) {
    out.push('', '| Severity | Where | Code | Message |', '|---|---|---|---|');
    for (const d of diagnostics) {
      const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}` : '';
      out.push(`| ${d.severity} | ${cell(where)} | ${cell(d.code)} | ${cell(`${d.message}${d.hint ? ` (${d.hint})` : ''}`)} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A table cell: `|` and line breaks would end the cell or the row; `<` could start HTML. */
export function cell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function code(s: string): string {
  return s.replace(/`/g, "'").replace(/\r\n|\r|\n/g, ' ');
}

function html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
