import { renderDiagnostic } from '../diagnostics/render.js';
import type { Finding, SpecResult } from '../run/result.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadSpecs, printDiagnostics } from './load-specs.js';
import { prepareEnvironment } from './environment.js';
import type { DiscrepancyFlags } from './commands/authoring.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const ASPECT: Record<Finding['aspect'], string> = {
  status: 'Status code',
  schema: 'Response body',
  parameter: 'Query parameters',
  'content-type': 'Content type',
  operation: 'Operation',
};

/** The seed's "Swagger Discrepancies" table for one spec, ready to paste. */
export function discrepancyTable(spec: SpecResult): string {
  const rows = spec.findings.map((f) => {
    const evidence = [f.pointer ? `at \`${f.pointer}\`` : '', f.evidence ? `\`${f.evidence}\`` : '', `step ${f.stepId}`].filter(Boolean).join(' ');
    return `| ${cell(ASPECT[f.aspect])} | ${cell(f.documented)} | ${cell(f.actual)} | ${cell(evidence)} |`;
  });
  return [`### ${spec.endpoint} (${spec.file})`, '', '| Aspect | Swagger Says | Actual Behavior | Evidence |', '|--------|--------------|-----------------|----------|', ...rows, ''].join('\n');
}

export async function runDiscrepancies(paths: string[], flags: DiscrepancyFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const loaded = await loadSpecs(paths, io.cwd);
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color, warnings: false });
  const specs = loaded.specs.filter((s) => typeof s.doc.frontMatter.swagger === 'string');
  if (specs.length === 0) {
    io.stderr.write('warning: no spec with a swagger key matched; nothing to compare\n');
    return loaded.broken.length ? EXIT.usage : EXIT.ok;
  }
  const prepared = await prepareEnvironment(flags, io, { paths });
  if ('diagnostics' in prepared) {
    for (const d of prepared.diagnostics) io.stderr.write(`${renderDiagnostic(d, { source: prepared.source?.(d), color })}\n\n`);
    return EXIT.usage;
  }
  try {
    const [{ runSpecs }, { createConformanceChecker }] = await Promise.all([import('../run/scheduler.js'), import('../openapi/conformance.js')]);
    const result = await runSpecs({
      specs,
      environment: prepared.environment,
      env: prepared.env,
      cliVars: flags.var ?? {},
      loadSpec: prepared.loadSpec,
      fallback: flags.fallback ?? 'spec',
      conformance: { mode: 'warn', checker: createConformanceChecker() },
      write: false,
    });
    const withFindings = result.specs.filter((s) => s.findings.length > 0);
    io.stdout.write(`## Swagger Discrepancies\n\n`);
    if (withFindings.length === 0) io.stdout.write('No discrepancies: every answer matched its OpenAPI document.\n');
    for (const s of withFindings) io.stdout.write(`${discrepancyTable(s)}\n`);
    return flags.check && withFindings.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await prepared.close();
  }
}
