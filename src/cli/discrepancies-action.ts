import { renderDiagnostic } from '../diagnostics/render.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadSpecs, printDiagnostics } from './load-specs.js';
import { prepareEnvironment } from './environment.js';
import type { VerifyFlags } from './verify-action.js';

/** `discrepancies`'s options: the run options of `verify`, and --check. */
export interface DiscrepancyFlags extends Partial<VerifyFlags> {
  check?: boolean;
}

/**
 * `endpoint-verify discrepancies`: runs the specs that name a `swagger`
 * document (writing nothing back), with conformance on, and prints per spec
 * the seed's "Swagger Discrepancies" table. Exit 0, or 1 with `--check` when
 * any discrepancy was found; 2 when nothing could run.
 */
export async function runDiscrepancies(paths: string[], flags: DiscrepancyFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const loaded = await loadSpecs(paths, io.cwd);
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color, warnings: false });
  const specs = loaded.specs.filter((s) => typeof s.doc.frontMatter.swagger === 'string');
  if (specs.length === 0) {
    io.stderr.write('warning: no spec with a swagger key matched; nothing to compare\n');
    return loaded.broken.length ? EXIT.usage : EXIT.ok;
  }
  const got = await prepareEnvironment(flags, io, { paths });
  if (!got.ok) {
    for (const d of got.error.diagnostics) io.stderr.write(`${renderDiagnostic(d, { source: got.error.source?.(d), color })}\n\n`);
    return EXIT.usage;
  }
  const prepared = got.value;
  try {
    const [{ runSpecs }, { createConformanceChecker }, { discrepancySection }] = await Promise.all([
      import('../run/scheduler/run-specs.js'),
      import('../openapi/conformance.js'),
      import('../openapi/discrepancies.js'),
    ]);
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
    io.stdout.write('## Swagger Discrepancies\n\n');
    if (withFindings.length === 0) io.stdout.write('No discrepancies: every answer matched its OpenAPI document.\n');
    for (const s of withFindings) io.stdout.write(`${discrepancySection(s)}\n`);
    // Specs that could not run were not compared: say so, or "no discrepancies" would be read as clean.
    const notRun = result.specs.filter((s) => s.verdict === 'blocked' || s.verdict === 'skipped');
    if (notRun.length) io.stderr.write(`note: ${notRun.length} spec(s) did not run and were not compared: ${notRun.map((s) => s.file).join(', ')}\n`);
    return flags.check && withFindings.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await prepared.close();
  }
}
