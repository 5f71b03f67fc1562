import { lintPaths } from '../specfile/lint-run.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { printDiagnostics } from './load-specs.js';
import { knownVariables } from './known-vars.js';
import { githubLintOutput } from './github-output.js';
import type { VarValue } from '../config/types.js';

/** `lint`'s options as commander parses them. */
export interface LintFlags {
  format: 'text' | 'json';
  env?: string;
  var?: Record<string, VarValue>;
  strict?: boolean;
}

export async function runLint(paths: string[], flags: LintFlags, io: CliIo): Promise<number> {
  const known = await knownVariables(io, flags.env, flags.var);
  const result = await lintPaths({ paths, cwd: io.cwd, knownVars: known.names, mayComeFromEnv: true });
  const all: Diagnostic[] = [...known.diagnostics, ...result.diagnostics, ...result.files.flatMap((f) => f.diagnostics)];
  const errors = all.filter((d) => d.severity === 'error').length;
  const warnings = all.length - errors;
  if (flags.format === 'json') {
    io.stdout.write(
      `${JSON.stringify(
        {
          summary: { files: result.files.length, errors, warnings },
          diagnostics: result.diagnostics.concat(known.diagnostics),
          files: result.files.map((f) => ({ file: f.file, diagnostics: f.diagnostics })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const sources = new Map(result.files.map((f) => [f.file, f.source]));
    printDiagnostics(io.stdout, all, { sources, color: useColor(io.stdout, io.env) });
    io.stdout.write(`${result.files.length} file${result.files.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
    // Not with --format json: stdout is then one JSON document.
    await githubLintOutput(all, result.files.length, io);
  }
  if (result.diagnostics.some((d) => d.severity === 'error') && result.files.length === 0) return EXIT.usage;
  if (errors > 0 || (flags.strict && warnings > 0)) return EXIT.failed;
  return EXIT.ok;
}
