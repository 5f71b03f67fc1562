import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderDiagnostic } from '../diagnostics/render.js';
import type { RunResult } from '../result/result.js';
import type { Reporter } from '../report/reporter.js';
import { selectSpecs, type Selection } from '../select/filters.js';
import type { LoadedSpec } from '../specfile/parse.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { runBlockingChecks } from '../specfile/lint.js';
import { onInterrupt } from './signals.js';
import { failedWriteBacks } from '../result/write-back-failures.js';
import { useColor, type CliIo } from './io.js';
import { displayPath, loadSpecs, printDiagnostics } from './load-specs.js';
import { streamSpecs } from './spec-stream.js';
import { githubRunOutput } from './github-output.js';
import { withConsole } from '../report/reporter-list.js';
import { discoverSpecFiles } from '../specfile/discover.js';
import type { ConformanceChecker } from '../openapi/types.js';
import { prepareEnvironment, type Prepared } from './environment.js';
import { fail, ok, type Result } from '../result/ok.js';
import type { VarValue } from '../config/types.js';
import type { Shard } from '../select/shard.js';

/** `verify`'s options as commander parses them (defaults applied). */
export interface VerifyFlags {
  env?: string;
  sandbox?: boolean;
  passWithNoSpecs?: boolean;
  baseUrl?: string;
  fallbackUrl?: string;
  var?: Record<string, VarValue>;
  tags?: string[];
  domain?: string[];
  grep?: string;
  status?: string[];
  stale?: number;
  changedSince?: string;
  bail?: boolean;
  reporter?: string[];
  quiet?: boolean;
  verbose?: boolean;
  concurrency: number;
  perHost?: number;
  rate?: number;
  maxWait: number;
  timeout: number;
  maxResponseSize?: number;
  keepBody?: number;
  fallback: 'spec' | 'auto' | 'never';
  tokenMatrix?: boolean;
  write: boolean;
  dryRun?: boolean;
  shard?: Shard;
  conformance: 'off' | 'warn' | 'error';
  updateDocs?: boolean;
  checkDocs?: boolean;
  prune?: boolean;
}

/** --update-docs / --check-docs / --prune combinations that cannot be meant. */
function docsFlagProblem(flags: VerifyFlags): string | undefined {
  if (flags.updateDocs && flags.checkDocs) return '--update-docs and --check-docs cannot be combined: --check-docs writes nothing, --update-docs writes the tables';
  if (flags.updateDocs && (!flags.write || flags.dryRun)) return `--update-docs writes the owned tables with the verdict; it cannot be combined with ${flags.dryRun ? '--dry-run' : '--no-write'} (use --check-docs to see the changes without writing)`;
  if (flags.prune && !flags.updateDocs && !flags.checkDocs) return '--prune applies to owned tables: add --update-docs (or --check-docs to preview)';
  return undefined;
}

/**
 * After a docs run: --check-docs prints the unified diff of every stale table on stdout;
 * --update-docs lists the tables it rewrote (and those it could not) on stderr. Returns how many
 * tables differ from what the run observed.
 */
function reportDocs(result: RunResult, flags: VerifyFlags, io: CliIo): number {
  let stale = 0;
  const lines: string[] = [];
  for (const spec of result.specs) {
    for (const t of spec.docs ?? []) {
      if (t.status === 'unchanged') continue;
      stale++;
      if (flags.checkDocs && t.diff) io.stdout.write(t.diff.endsWith('\n') ? t.diff : `${t.diff}\n`);
      else if (t.status === 'updated') lines.push(`updated ${spec.file}:${t.line} ${t.kind} table`);
      else if (t.status === 'not-written') lines.push(`not updated ${spec.file}:${t.line} ${t.kind} table (${spec.writeBack?.message ?? spec.writeBack?.outcome ?? 'not written'})`);
    }
  }
  if (flags.checkDocs) io.stderr.write(stale > 0 ? `${stale} owned table${stale === 1 ? '' : 's'} out of date (run verify --update-docs to rewrite ${stale === 1 ? 'it' : 'them'})\n` : 'owned tables up to date\n');
  else for (const l of lines) io.stderr.write(`${l}\n`);
  return stale;
}

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
  /** How many specs the paths and filters matched before --shard took its part. */
  beforeShard: number;
}

/** The `verify` command: select, run, report, write back. Returns the exit code. */
export async function runVerify(paths: string[], flags: VerifyFlags, rawIo: CliIo): Promise<number> {
  // Anything written to stderr while the run goes (a broken spec's diagnostics, the interrupt
  // notice) first takes the console's progress line off the terminal, so the two never mix.
  const terminal: { clear?: () => void } = {};
  const io: CliIo = {
    ...rawIo,
    stderr: {
      write: (s: string) => {
        terminal.clear?.();
        return rawIo.stderr.write(s);
      },
      ...(rawIo.stderr.isTTY !== undefined ? { isTTY: rawIo.stderr.isTTY } : {}),
      ...(rawIo.stderr.columns !== undefined ? { columns: rawIo.stderr.columns } : {}),
    },
  };
  const color = useColor(io.stderr, io.env);
  const docsProblem = docsFlagProblem(flags);
  if (docsProblem) {
    io.stderr.write(`error: ${docsProblem}\n`);
    return EXIT.usage;
  }
  // Filters on front-matter need every spec parsed before the run; without them the specs are
  // parsed while the run goes, which is faster and keeps memory flat on large corpora.
  const byFrontMatter = Boolean(flags.tags?.length || flags.domain?.length || flags.grep || flags.status?.length || flags.stale !== undefined);
  const planned = byFrontMatter ? await parsedInput(paths, flags, io, color) : await streamedInput(paths, flags, io, color);
  if (!planned.ok) {
    io.stderr.write(`error: ${planned.error}\n`);
    return EXIT.usage;
  }
  const { input } = planned.value;
  let exit: number = planned.value.usageError ? EXIT.usage : EXIT.ok;
  if (input.count === 0) {
    // A shard that happens to hold nothing of a non-empty corpus is a normal part of a sharded job.
    if (flags.shard && input.beforeShard > 0) {
      io.stderr.write(`no spec in shard ${flags.shard.index}/${flags.shard.total} (${input.beforeShard} specs matched before sharding); nothing to verify\n`);
      return exit;
    }
    const pass = flags.passWithNoSpecs === true;
    // The flag's hint only where the flag changes the exit: a path that does not exist stays an error.
    const hint = pass || exit !== EXIT.ok ? '' : ' (--pass-with-no-specs exits 0 here)';
    io.stderr.write(`${pass ? 'warning' : 'error'}: no spec matched (${describeSelection(paths, flags)}); nothing verified${hint}\n`);
    return exit === EXIT.ok && !pass ? EXIT.failed : exit;
  }

  const got = await prepareEnvironment(flags, io, { paths });
  if (!got.ok) {
    // Spec errors are worth seeing in the same go as the config's (a stream prints them as it parses).
    if (input.streamed) for await (const spec of input.specs) void spec;
    for (const d of got.error.diagnostics) io.stderr.write(`${renderDiagnostic(d, { source: got.error.source?.(d), color })}\n\n`);
    return EXIT.usage;
  }
  const prepared = got.value;
  try {
    if (flags.dryRun) {
      const { dryRun } = await import('../run/dry-run.js');
      const specs: LoadedSpec[] = [];
      for await (const spec of input.specs) if (!spec.diagnostics.some((d) => d.severity === 'error')) specs.push(spec);
      if (input.broken() > 0) exit = EXIT.usage;
      for (const entry of await dryRun({ specs, environment: prepared.environment, env: prepared.env, cliVars: flags.var ?? {} })) {
        io.stdout.write(`# ${entry.file}:${entry.line} ${entry.phase} ${entry.stepId}\n${entry.curl}\n\n`);
      }
      return exit;
    }
    const executed = await execute(input, flags, io, prepared, terminal);
    if (!executed.ok) {
      io.stderr.write(`error: ${executed.error}\n`);
      return EXIT.usage;
    }
    const { result, reportFailures } = executed.value;
    // An incomplete run (write-backs or report files not written) is a runtime problem (3).
    const unwritten = failedWriteBacks(result).length;
    const incomplete = unwritten > 0 || reportFailures > 0;
    // Broken specs are in the result as `invalid`; the precedence is documented with exitCodeFor.
    let code: number = exitCodeFor(result, { usage: exit === EXIT.usage || input.broken() > 0, runtime: incomplete });
    if (flags.checkDocs || flags.updateDocs) {
      const stale = reportDocs(result, flags, io);
      // A stale table is a doc that contradicts the API: the same exit as a failing spec.
      if (flags.checkDocs && stale > 0 && code === EXIT.ok) code = EXIT.failed;
    }
    if (incomplete && !result.interrupted) {
      const parts = [unwritten > 0 ? `${unwritten} write-back${unwritten === 1 ? '' : 's'} failed` : '', reportFailures > 0 ? `${reportFailures} report${reportFailures === 1 ? '' : 's'} not written` : ''];
      io.stderr.write(`error: the run is incomplete: ${parts.filter(Boolean).join(', ')} (see above); exit ${code}\n`);
    }
    return code;
  } finally {
    await prepared.close();
  }
}

/** Every spec parsed, then selected: for filters that read the front-matter. */
async function parsedInput(paths: string[], flags: VerifyFlags, io: CliIo, color: boolean): Promise<Result<{ input: RunInput; usageError: boolean }, string>> {
  const loaded = await loadSpecs(paths, io.cwd);
  for (const spec of loaded.specs) {
    const more = runBlockingChecks(spec.doc);
    spec.diagnostics.push(...more);
    loaded.diagnostics.push(...more);
  }
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color, warnings: false });
  const selected = await buildSelection(flags, loaded.specs, io);
  if (!selected.ok) return selected;
  const selection = selected.value;
  // Broken specs are selected like the others (by what front-matter they have) and reported `invalid`.
  const order = new Map(loaded.all.map((s, i) => [s.absPath, i]));
  const candidates = [...loaded.specs, ...loaded.broken]
    .sort((a, b) => (order.get(a.absPath) ?? 0) - (order.get(b.absPath) ?? 0))
    .map((s) => ({ ...s, frontMatter: s.doc.frontMatter }));
  const specs = selectSpecs(candidates, selection, { now: new Date(), rootDir: io.cwd });
  const beforeShard = selection.shard ? selectSpecs(candidates, { ...selection, shard: undefined }, { now: new Date(), rootDir: io.cwd }).length : specs.length;
  return ok({
    input: { specs, count: specs.length, paths: new Set(specs.map((s) => s.absPath)), streamed: false, sources: loaded.sources, broken: () => loaded.broken.length, beforeShard },
    usageError: loaded.diagnostics.some((d) => !d.span && d.severity === 'error'),
  });
}

/** Files found and selected by path (shard, --changed-since); parsed while the run goes. */
async function streamedInput(paths: string[], flags: VerifyFlags, io: CliIo, color: boolean): Promise<Result<{ input: RunInput; usageError: boolean }, string>> {
  const found = await discoverSpecFiles(paths, io.cwd);
  const sources = new Map<string, string>();
  printDiagnostics(io.stderr, found.diagnostics, { sources, color, warnings: false });
  const selected = await buildSelection(flags, [], io);
  if (!selected.ok) return selected;
  const selection = selected.value;
  // Without front-matter filters only the path decides, so the front-matter is not read here.
  const candidates = found.files.map((absPath) => ({ absPath, file: displayPath(io.cwd, absPath), frontMatter: {} }));
  const files = selectSpecs(candidates, selection, { now: new Date(), rootDir: io.cwd }).map((s) => s.absPath);
  const beforeShard = selection.shard ? selectSpecs(candidates, { ...selection, shard: undefined }, { now: new Date(), rootDir: io.cwd }).length : files.length;
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
    check: (spec) => runBlockingChecks(spec.doc),
  });
  return ok({
    input: { specs, count: files.length, paths: new Set(files), streamed: true, sources, broken: () => broken, beforeShard },
    usageError: found.diagnostics.some((d) => d.severity === 'error'),
  });
}

async function execute(
  input: RunInput,
  flags: VerifyFlags,
  io: CliIo,
  prepared: Prepared,
  terminal: { clear?: () => void },
): Promise<Result<{ result: RunResult; reportFailures: number }, string>> {
  const [{ runSpecs }, { finishReporters, describeWriteError }, { createReporters }] = await Promise.all([
    import('../run/scheduler/run-specs.js'),
    import('../report/reporter.js'),
    import('./reporters.js'),
  ]);
  const { sources } = input;
  const reporterNames = withConsole(flags.reporter, flags.quiet === true);
  const created = await createReporters(reporterNames, {
    stdout: io.stdout,
    cwd: io.cwd,
    color: useColor(io.stdout, io.env),
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
    terminal,
    // A config problem points into verify.config.yaml, which is not among the specs' texts.
    sources: (file: string) => sources.get(file) ?? (/\.ya?ml$/i.test(file) ? readQuietly(path.resolve(io.cwd, file)) : undefined),
  });
  if (!created.ok) return created;
  const reporters = created.value;
  // The checker (and ajv, and the OpenAPI parser) is loaded by the first spec with a swagger: key.
  const conformance = flags.conformance !== 'off' ? { mode: flags.conformance, checker: lazyChecker() } : undefined;

  const broken = new Map<Reporter, unknown>();
  const controller = new AbortController();
  // The first signal stops the run gracefully; a second one exits at once (src/cli/signals.ts).
  const release = onInterrupt((sig) => {
    io.stderr.write(`\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}: no new specs will start; finishing write-backs in flight (press Ctrl-C again to stop now)\n`);
    controller.abort();
  });
  try {
    const result = await runSpecs({
      specs: input.specs,
      ...(input.streamed ? { streamPaths: input.paths } : {}),
      // The console reporter shows verified specs as one line each, at their spec-end: what it does
      // not show again can go (the GitHub job summary lists more of them).
      retain: reporterNames.every((r) => r === 'console') ? (io.env.GITHUB_ACTIONS === 'true' ? 'failures' : 'counts') : 'all',
      environment: prepared.environment,
      env: prepared.env,
      cliVars: flags.var ?? {},
      loadSpec: prepared.loadSpec,
      concurrency: flags.concurrency,
      ...(flags.perHost ? { perHostConnections: flags.perHost } : {}),
      ...(flags.rate ? { ratePerHost: flags.rate } : {}),
      ...(flags.maxResponseSize ? { maxResponseBytes: flags.maxResponseSize } : {}),
      ...(flags.keepBody ? { keepBodyChars: flags.keepBody } : {}),
      fallback: flags.fallback,
      tokenMatrix: flags.tokenMatrix === true,
      maxWaitMs: flags.maxWait,
      requestTimeoutMs: flags.timeout,
      ...(conformance ? { conformance } : {}),
      write:
        flags.write && !flags.dryRun && !flags.checkDocs
          ? { roots: prepared.roots, ...(flags.shard ? { only: input.paths } : {}) }
          : false,
      ...(flags.updateDocs || flags.checkDocs
        ? {
            // Loaded only for a docs run: the Markdown parser is not needed otherwise.
            docs: (await import('../docs-tables/hook.js')).createDocsHook({
              mode: flags.checkDocs ? 'check' : 'update',
              prune: flags.prune === true,
              conformance: flags.conformance !== 'off',
              onProblem: (file, line, message) => io.stderr.write(`warning: ${file}:${line}: ${message}; that table is left as it is\n`),
            }),
          }
        : {}),
      bail: flags.bail === true,
      signal: controller.signal,
      onEvent: (e) => {
        for (const r of reporters) {
          if (broken.has(r)) continue;
          try {
            r.onEvent?.(e);
          } catch (err) {
            broken.set(r, err);
          }
        }
        // A verified spec's text is not shown again; only failures quote their source.
        if (input.streamed && e.type === 'spec-end' && e.result.verdict === 'verified') sources.delete(e.result.file);
      },
    });
    // Each reporter on its own: one that fails (a full disk, a bad path) is named, the others finish.
    const failures = await finishReporters(reporters, result, broken);
    try {
      await githubRunOutput(result, io);
    } catch (err) {
      failures.push({ label: `GitHub job summary ${io.env.GITHUB_STEP_SUMMARY ?? ''}`, message: describeWriteError(err) });
    }
    for (const f of failures) io.stderr.write(`error: the ${f.label} could not be written: ${f.message}\n`);
    return ok({ result, reportFailures: failures.length });
  } finally {
    release();
  }
}

function lazyChecker(): ConformanceChecker {
  let real: Promise<ConformanceChecker> | undefined;
  return {
    check: async (input) => (await (real ??= import('../openapi/conformance.js').then((m) => m.createConformanceChecker()))).check(input),
  };
}

async function buildSelection(flags: VerifyFlags, specs: LoadedSpec[], io: CliIo): Promise<Result<Selection, string>> {
  const sel: Selection = {};
  if (flags.tags) sel.tags = flags.tags;
  if (flags.domain) sel.domain = flags.domain;
  if (flags.grep) sel.grep = flags.grep;
  if (flags.status) sel.status = flags.status;
  if (flags.shard) sel.shard = flags.shard;
  if (flags.changedSince === undefined && flags.stale === undefined) return ok(sel);
  // git (and child_process) only for the two options that need it.
  const { changedSince, GitError, lastContentCommit } = await import('../select/git.js');
  try {
    if (flags.changedSince) sel.changed = await changedSince(io.cwd, flags.changedSince);
    if (flags.stale !== undefined) {
      sel.staleMs = flags.stale;
      // Outside a git checkout staleness falls back to verifiedAt alone.
      sel.lastContentCommit = await lastContentCommit(io.cwd, specs.map((s) => s.absPath)).catch(() => new Map());
    }
  } catch (err) {
    if (err instanceof GitError) return fail(`--changed-since: ${err.message}`);
    throw err;
  }
  return ok(sel);
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

function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
