import type { Finding, SpecResult } from '../result/result.js';

/**
 * Conformance findings as the seed's "Swagger Discrepancies" table
 * (`| Aspect | Swagger Says | Actual Behavior | Evidence |`), ready to paste
 * into the spec file. Pure text; cells are escaped so no value breaks the row.
 */

export const ASPECT: Record<Finding['aspect'], string> = {
  status: 'Status code',
  schema: 'Response body',
  parameter: 'Query parameters',
  'content-type': 'Content type',
  operation: 'Operation',
};

export const DISCREPANCY_HEADER = ['| Aspect | Swagger Says | Actual Behavior | Evidence |', '|--------|--------------|-----------------|----------|'];

export function discrepancyRows(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  const rows: string[] = [];
  for (const f of findings) {
    const evidence = [`step \`${f.stepId}\``, f.pointer ? `at ${code(f.pointer)}` : '', f.evidence ? code(f.evidence) : ''].filter(Boolean).join(' ');
    const row = `| ${escapeCell(ASPECT[f.aspect])} | ${escapeCell(f.documented)} | ${escapeCell(f.actual)} | ${escapeCell(evidence)} |`;
    // The same discrepancy seen by several steps (or gateways) is one row.
    const key = `${f.aspect}|${f.documented}|${f.actual}|${f.pointer ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}

/** One Markdown section per spec. */
export function discrepancySection(spec: Pick<SpecResult, 'endpoint' | 'file' | 'findings'>): string {
  const title = `### ${escapeInline(spec.endpoint || spec.file)} (${escapeInline(spec.file)})`;
  if (spec.findings.length === 0) return [title, '', 'No discrepancies found.', ''].join('\n');
  return [title, '', ...DISCREPANCY_HEADER, ...discrepancyRows(spec.findings), ''].join('\n');
}

export function escapeCell(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ').replace(/\|/g, '\\|');
}

function escapeInline(s: string): string {
  return s.replace(/\r?\n|\r/g, ' ');
}

/** A code span that survives backticks inside the value. */
export function code(s: string): string {
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}
