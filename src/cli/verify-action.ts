import { appendFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import type { RunResult } from '../run/result.js';
import { changedSince, GitError, lastContentCommit } from '../select/git.js';
import { selectSpecs, type Selection } from '../select/filters.js';
import type { LoadedSpec } from '../spec/parse.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadSpecs, printDiagnostics } from './load-specs.js';
import { prepareEnvironment } from './environment.js';
import type { VerifyFlags } from './commands/verify.js';

/** The `verify` command: select, run, report, write back. Returns the exit code. */
export async function runVerify(paths: string[], flags: VerifyFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const loaded = await loadSpecs(paths, io.cwd);
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color, warnings: false });
  let exit: number = loaded.broken.length > 0 || loaded.diagnostics.some((d) => !d.span && d.severity === 'error') ? EXIT.usage : EXIT.ok;

  const selection = await buildSelection(flags, loaded.specs, io);
  if ('error' in selection) {
    io.stderr.write(`error: ${selection.error}\n`);
    return EXIT.usage;
  }
  const specs = selectSpecs(
    loaded.specs.map((s) => ({ ...s, frontMatter: s.doc.frontMatter })),
    selection,
    { now: new Date(), rootDir: io.cwd },
  );
  if (specs.length === 0) {
    io.stderr.write(`warning: no spec matched (${describeSelection(paths, flags)}); nothing to verify\n`);
    return exit;
  }

  const prepared = await prepareEnvironment(flags, io, { paths });
  if ('diagnostics' in prepared) {
    for (const d of prepared.diagnostics) io.stderr.write(`${renderDiagnostic(d, { source: prepared.source?.(d), color })}\n\n`);
    return EXIT.usage;
  }
  try {
    if (flags.dryRun) {
      const { dryRun } = await import('../run/dry-run.js');
      for (const entry of await dryRun({ specs, environment: prepared.environment, env: prepared.env, cliVars: flags.var ?? {} })) {
        io.stdout.write(`# ${entry.file}:${entry.line} ${entry.phase} ${entry.stepId}\n${entry.curl}\n\n`);
      }
      return exit;
    }
    const result = await execute(specs, flags, io, prepared);
    if (result.interrupted) return EXIT.interrupted;
    // A parse or config error (2) outranks failing specs (1): the run was incomplete.
    if (exit !== EXIT.usage && result.specs.some((s) => s.verdict === 'failing' || s.verdict === 'blocked')) exit = EXIT.failed;
    return exit;
  } finally {
    await prepared.close();
  }
}

async function execute(
  specs: LoadedSpec[],
  flags: VerifyFlags,
  io: CliIo,
  prepared: Exclude<Awaited<ReturnType<typeof prepareEnvironment>>, { diagnostics: Diagnostic[] }>,
): Promise<RunResult> {
  const [{ runSpecs }, { createReporters }] = await Promise.all([
    import('../run/scheduler.js'),
    import('../report/reporter.js'),
  ]);
  const sources = new Map(specs.map((s) => [s.file, s.doc.text]));
  const reporters = await createReporters(flags.reporter?.length ? flags.reporter : ['console'], {
    stdout: io.stdout,
    cwd: io.cwd,
    color: useColor(io.stdout, io.env),
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    sources: (file: string) => sources.get(file),
  });
  const conformance =
    flags.conformance !== 'off' && specs.some((s) => typeof s.doc.frontMatter.swagger === 'string')
      ? { mode: flags.conformance, checker: (await import('../openapi/conformance.js')).createConformanceChecker() }
      : undefined;

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      io.stderr.write(`\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}: no new specs will start; finishing write-backs in flight (press Ctrl-C again to stop now)\n`);
      controller.abort();
    } else {
      process.exit(EXIT.interrupted);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runSpecs({
      specs,
      environment: prepared.environment,
      env: prepared.env,
      cliVars: flags.var ?? {},
      loadSpec: prepared.loadSpec,
      concurrency: flags.concurrency,
      ...(flags.perHost ? { perHostConnections: flags.perHost } : {}),
      ...(flags.rate ? { ratePerHost: flags.rate } : {}),
      ...(flags.maxResponseSize ? { maxResponseBytes: flags.maxResponseSize } : {}),
      fallback: flags.fallback,
      tokenMatrix: flags.tokenMatrix === true,
      maxWaitMs: flags.maxWait,
      requestTimeoutMs: flags.timeout,
      ...(conformance ? { conformance } : {}),
      write:
        flags.write && !flags.dryRun
          ? { roots: prepared.roots, ...(flags.shard ? { only: new Set(specs.map((s) => s.absPath)) } : {}) }
          : false,
      bail: flags.bail === true,
      signal: controller.signal,
      onEvent: (e) => {
        for (const r of reporters) r.onEvent?.(e);
      },
    });
    for (const r of reporters) await r.finish(result);
    await github(result, io);
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Under GitHub Actions: annotations on the failing lines and a job summary. */
async function github(result: RunResult, io: CliIo): Promise<void> {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const { githubAnnotations } = await import('../report/github.js');
  for (const line of githubAnnotations(result)) io.stdout.write(`${line}\n`);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    const { markdownReport } = await import('../report/markdown.js');
    await appendFile(summaryFile, `${markdownReport(result)}\n`);
  }
}

async function buildSelection(flags: VerifyFlags, specs: LoadedSpec[], io: CliIo): Promise<Selection | { error: string }> {
  const sel: Selection = {};
  if (flags.tags) sel.tags = flags.tags;
  if (flags.domain) sel.domain = flags.domain;
  if (flags.grep) sel.grep = flags.grep;
  if (flags.status) sel.status = flags.status;
  if (flags.shard) sel.shard = flags.shard;
  try {
    if (flags.changedSince) sel.changed = await changedSince(io.cwd, flags.changedSince);
    if (flags.stale !== undefined) {
      sel.staleMs = flags.stale;
      // Outside a git checkout staleness falls back to verifiedAt alone.
      sel.lastContentCommit = await lastContentCommit(io.cwd, specs.map((s) => s.absPath)).catch(() => new Map());
    }
  } catch (err) {
    if (err instanceof GitError) return { error: `--changed-since: ${err.message}` };
    throw err;
  }
  return sel;
}

function describeSelection(paths: string[], flags: VerifyFlags): string {
  const parts = [`paths: ${paths.join(' ')}`];
  if (flags.tags) parts.push(`--tags ${flags.tags.join(',')}`);
  if (flags.domain) parts.push(`--domain ${flags.domain.join(',')}`);
  if (flags.grep) parts.push(`--grep ${flags.grep}`);
  if (flags.status) parts.push(`--status ${flags.status.join(',')}`);
  if (flags.stale !== undefined) parts.push('--stale');
  if (flags.changedSince) parts.push(`--changed-since ${flags.changedSince}`);
  if (flags.shard) parts.push(`--shard ${flags.shard.index}/${flags.shard.total}`);
  return parts.join(', ');
}
