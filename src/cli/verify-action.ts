import { appendFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import type { RunResult } from '../run/result.js';
import { changedSince, GitError, lastContentCommit } from '../select/git.js';
import { selectSpecs, type Selection } from '../select/filters.js';
import type { LoadedSpec } from '../spec/parse.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { displayPath, loadSpecs, printDiagnostics } from './load-specs.js';
import { streamSpecs } from './spec-stream.js';
import { discoverSpecFiles } from '../spec/discover.js';
import type { ConformanceChecker } from '../openapi/types.js';
import { prepareEnvironment } from './environment.js';
import type { VerifyFlags } from './commands/verify.js';

/** What the run gets: parsed specs, or a stream that parses them as the run goes. */
interface RunInput {
  specs: readonly LoadedSpec[] | AsyncIterable<LoadedSpec>;
  count: number;
  /** The paths of the specs the run is given. */
  paths: ReadonlySet<string>;
  streamed: boolean;
  /** Spec file texts for failure excerpts (a stream keeps only those of specs not verified). */
  sources: Map<string, string>;
  /** Specs with errors so far (a stream finds them as it goes). */
  broken(): number;
}

/** The `verify` command: select, run, report, write back. Returns the exit code. */
export async function runVerify(paths: string[], flags: VerifyFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  // Filters on front-matter need every spec parsed before the run; without them the specs are
  // parsed while the run goes, which is faster and keeps memory flat on large corpora.
  const byFrontMatter = Boolean(flags.tags?.length || flags.domain?.length || flags.grep || flags.status?.length || flags.stale !== undefined);
  const planned = byFrontMatter ? await parsedInput(paths, flags, io, color) : await streamedInput(paths, flags, io, color);
  if ('exit' in planned) return planned.exit;
  const { input } = planned;
  let exit: number = planned.usageError ? EXIT.usage : EXIT.ok;
  if (input.count === 0) {
    io.stderr.write(`warning: no spec matched (${describeSelection(paths, flags)}); nothing to verify\n`);
    return exit;
  }

  const prepared = await prepareEnvironment(flags, io, { paths });
  if ('diagnostics' in prepared) {
    // Spec errors are worth seeing in the same go as the config's (a stream prints them as it parses).
    if (input.streamed) for await (const spec of input.specs) void spec;
    for (const d of prepared.diagnostics) io.stderr.write(`${renderDiagnostic(d, { source: prepared.source?.(d), color })}\n\n`);
    return EXIT.usage;
  }
  try {
    if (flags.dryRun) {
      const { dryRun } = await import('../run/dry-run.js');
      const specs: LoadedSpec[] = [];
      for await (const spec of input.specs) specs.push(spec);
      if (input.broken() > 0) exit = EXIT.usage;
      for (const entry of await dryRun({ specs, environment: prepared.environment, env: prepared.env, cliVars: flags.var ?? {} })) {
        io.stdout.write(`# ${entry.file}:${entry.line} ${entry.phase} ${entry.stepId}\n${entry.curl}\n\n`);
      }
      return exit;
    }
    const result = await execute(input, flags, io, prepared);
    if (result.interrupted) return EXIT.interrupted;
    if (input.broken() > 0) exit = EXIT.usage;
    // A parse or config error (2) outranks failing specs (1): the run was incomplete.
    // Precedence: 130 > 2 > 3 > 1 > 0.
    if (exit !== EXIT.usage && result.specs.some((s) => s.verdict === 'invalid')) exit = EXIT.usage;
    if (exit !== EXIT.usage && result.specs.some((s) => s.verdict === 'error')) exit = EXIT.runtime;
    if (exit === EXIT.ok && result.specs.some((s) => s.verdict === 'failing' || s.verdict === 'blocked')) exit = EXIT.failed;
    return exit;
  } finally {
    await prepared.close();
  }
}

/** Every spec parsed, then selected: for filters that read the front-matter. */
async function parsedInput(paths: string[], flags: VerifyFlags, io: CliIo, color: boolean): Promise<{ input: RunInput; usageError: boolean } | { exit: number }> {
  const loaded = await loadSpecs(paths, io.cwd);
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color, warnings: false });
  const selection = await buildSelection(flags, loaded.specs, io);
  if ('error' in selection) {
    io.stderr.write(`error: ${selection.error}\n`);
    return { exit: EXIT.usage };
  }
  const specs = selectSpecs(
    loaded.specs.map((s) => ({ ...s, frontMatter: s.doc.frontMatter })),
    selection,
    { now: new Date(), rootDir: io.cwd },
  );
  return {
    input: { specs, count: specs.length, paths: new Set(specs.map((s) => s.absPath)), streamed: false, sources: loaded.sources, broken: () => loaded.broken.length },
    usageError: loaded.broken.length > 0 || loaded.diagnostics.some((d) => !d.span && d.severity === 'error'),
  };
}

/** Files found and selected by path (shard, --changed-since); parsed while the run goes. */
async function streamedInput(paths: string[], flags: VerifyFlags, io: CliIo, color: boolean): Promise<{ input: RunInput; usageError: boolean } | { exit: number }> {
  const found = await discoverSpecFiles(paths, io.cwd);
  const sources = new Map<string, string>();
  printDiagnostics(io.stderr, found.diagnostics, { sources, color, warnings: false });
  const selection = await buildSelection(flags, [], io);
  if ('error' in selection) {
    io.stderr.write(`error: ${selection.error}\n`);
    return { exit: EXIT.usage };
  }
  // Without front-matter filters only the path decides, so the front-matter is not read here.
  const files = selectSpecs(
    found.files.map((absPath) => ({ absPath, file: displayPath(io.cwd, absPath), frontMatter: {} })),
    selection,
    { now: new Date(), rootDir: io.cwd },
  ).map((s) => s.absPath);
  let broken = 0;
  const specs = streamSpecs({
    files,
    displayPath: (abs) => displayPath(io.cwd, abs),
    readAhead: Math.max(4, 2 * (flags.concurrency ?? 8)),
    onBroken: (spec) => {
      broken++;
      printDiagnostics(io.stderr, spec.diagnostics, { sources: new Map([[spec.file, spec.doc.text]]), color, warnings: false });
    },
    onSpec: (spec) => sources.set(spec.file, spec.doc.text),
  });
  return {
    input: { specs, count: files.length, paths: new Set(files), streamed: true, sources, broken: () => broken },
    usageError: found.diagnostics.some((d) => d.severity === 'error'),
  };
}

async function execute(
  input: RunInput,
  flags: VerifyFlags,
  io: CliIo,
  prepared: Exclude<Awaited<ReturnType<typeof prepareEnvironment>>, { diagnostics: Diagnostic[] }>,
): Promise<RunResult> {
  const [{ runSpecs }, { createReporters }] = await Promise.all([
    import('../run/scheduler.js'),
    import('../report/reporter.js'),
  ]);
  const { sources } = input;
  const reporterNames = flags.reporter?.length ? flags.reporter : ['console'];
  const reporters = await createReporters(reporterNames, {
    stdout: io.stdout,
    cwd: io.cwd,
    color: useColor(io.stdout, io.env),
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    sources: (file: string) => sources.get(file),
  });
  // The checker (and ajv, and the OpenAPI parser) is loaded by the first spec with a swagger: key.
  const conformance = flags.conformance !== 'off' ? { mode: flags.conformance, checker: lazyChecker() } : undefined;

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
      specs: input.specs,
      ...(input.streamed ? { streamPaths: input.paths } : {}),
      // The console reporter shows verified specs as one line each: their step details can go.
      retain: reporterNames.every((r) => r === 'console') ? 'failures' : 'all',
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
          ? { roots: prepared.roots, ...(flags.shard ? { only: input.paths } : {}) }
          : false,
      bail: flags.bail === true,
      signal: controller.signal,
      onEvent: (e) => {
        for (const r of reporters) r.onEvent?.(e);
        // A verified spec's text is not shown again; only failures quote their source.
        if (input.streamed && e.type === 'spec-end' && e.result.verdict === 'verified') sources.delete(e.result.file);
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

function lazyChecker(): ConformanceChecker {
  let real: Promise<ConformanceChecker> | undefined;
  return {
    check: async (input) => (await (real ??= import('../openapi/conformance.js').then((m) => m.createConformanceChecker()))).check(input),
  };
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
