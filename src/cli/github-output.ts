import { appendFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunResult } from '../result/result.js';
import type { CliIo } from './io.js';

/**
 * Under GitHub Actions (`GITHUB_ACTIONS=true`): workflow-command annotations on stdout and the
 * Markdown report appended to the job summary (`GITHUB_STEP_SUMMARY`). One place for `verify`
 * and `report merge`, so both give CI the same view of a run.
 */
export async function githubRunOutput(result: RunResult, io: CliIo): Promise<void> {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const { githubAnnotations } = await import('../report/github.js');
  for (const line of githubAnnotations(result)) io.stdout.write(`${line}\n`);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    const { markdownReport } = await import('../report/markdown.js');
    await appendFile(summaryFile, `${markdownReport(result)}\n`);
  }
}

/** `lint` under GitHub Actions: one annotation per diagnostic at its line, and a summary table. */
export async function githubLintOutput(diagnostics: readonly Diagnostic[], files: number, io: CliIo): Promise<void> {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const { diagnosticAnnotation } = await import('../report/github.js');
  for (const d of diagnostics) io.stdout.write(`${diagnosticAnnotation(d)}\n`);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    const { lintMarkdown } = await import('../report/markdown.js');
    await appendFile(summaryFile, `${lintMarkdown(diagnostics, files)}\n`);
  }
}
