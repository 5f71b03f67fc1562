import type { VarValue } from '../../config/types.js';
import { setMaxListeners } from 'node:events';
import type { Dispatcher } from 'undici';
import type { Environment } from '../../config/types.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import type { ChainContext } from '../chain/run-chain.js';
import { createLimiter } from '../limiter.js';
import {
  summarize,
  type RunEvent,
  type ReuseWrite,
  type RunResult,
  type SpecResult,
  type StepResult,
  type WriteBackResult,
} from '../../result/result.js';
import { resolveDeps, type HttpClient, type Redactor, type SchedulerDeps } from './deps.js';
import { evaluateSpec, tokenMatrix, type EvaluateContext, type Evaluation, type FallbackMode } from './evaluate.js';
import { UseRegistry, type UseOutcome } from '../use-registry.js';
import { isFailedWriteBack } from '../../result/write-back-failures.js';
import { createTokenProviders } from '../token/login.js';
import { tokenTypesOf } from '../chain/token.js';
import { addToken } from '../../secret/index.js';
import { observeForDocs, type DocsHook, type DocsPlan } from './observe.js';

/**
 * Runs many specs: a concurrency pool, results in input order, `--bail`,
 * Ctrl-C, `--fallback`, `--token-matrix`, shared `use:` chains, and
 * write-back after each spec. Never throws for user input; never prints.
 */

export interface RunOptions {
  /**
   * Parsed specs, in report order: an array, or a stream that parses them while
   * earlier ones are in flight (then nothing holds a spec after its run; see `streamPaths`).
   * A spec with error diagnostics is not run: it is reported `invalid` with them.
   */
  specs: readonly LoadedSpec[] | AsyncIterable<LoadedSpec>;
  /**
   * For a stream: the specs it may give (the run-start event's total). A spec used by another
   * before its own turn comes has its step events held until then, as for an array.
   */
  streamPaths?: ReadonlySet<string>;
  /**
   * `failures`: once a verified spec's spec-end event is out, its passed steps keep only what the
   * summary needs (no headers, snippets or assertions), so memory stays flat over thousands of
   * specs, and passed steps get no response snippet at all (a regex pass over every body). For
   * reporters that only render failures and counts. Default `all`.
   *
   * `counts`: as `failures`, and a verified spec with nothing left to show after the run (primary
   * gateway, no findings, no token matrix, its write-back not failed) is dropped from
   * `RunResult.specs` once its spec-end event is out and its write-back is done; `summary` still
   * counts it. For the console reporter alone, which prints a verified spec's line at its
   * spec-end: the run's memory then stays flat however many specs pass.
   */
  retain?: 'all' | 'failures' | 'counts';
  environment: Environment;
  /** Where tokens are read from. */
  env: Record<string, string | undefined>;
  /** --var values (they win over every other variable). */
  cliVars?: Record<string, VarValue>;
  /** For `use:` targets that are not among `specs`. */
  loadSpec(absPath: string): Promise<LoadedSpec>;
  /** undici dispatcher; default: one Agent with pools and caps. */
  dispatcher?: Dispatcher;
  now?: () => Date;
  /** Specs in flight at once. Default 8. */
  concurrency?: number;
  /**
   * Connections per host (undici's per-origin pool). Default: `concurrency`, so every spec in
   * flight has a connection to send on; set it lower to be gentle with a host.
   */
  perHostConnections?: number;
  ratePerHost?: number;
  fallback?: FallbackMode;
  tokenMatrix?: boolean;
  /**
   * --update-docs / --check-docs: observe what each spec's owned tables need and let the hook
   * (the table layer) plan the new tables; `update` writes them in the verdict's write-back.
   */
  docs?: DocsHook;
  maxWaitMs?: number;
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  /** How much of a failed step's response and request body results keep (characters). Default 64 KiB. */
  keepBodyChars?: number;
  conformance?: ChainContext['conformance'];
  /**
   * Write verdicts back after each spec; `false` (or absent) writes nothing.
   * `only`: files this run may write (a shard writes only its own specs, so
   * shards never race on a file; a `use:` of another shard's spec is reported, not written).
   */
  write?: { roots: string[]; only?: ReadonlySet<string> } | false;
  bail?: boolean;
  signal?: AbortSignal;
  onEvent?(e: RunEvent): void;
  /** Shortcut for `deps.runChain`. */
  runChain?: SchedulerDeps['runChain'];
  /** Collaborators; anything left out is the real implementation. */
  deps?: Partial<SchedulerDeps>;
  /** An HTTP client to use instead of creating one (not closed by the run). */
  http?: HttpClient;
}

export async function runSpecs(opts: RunOptions): Promise<RunResult> {
  const deps = await resolveDeps({ ...opts.deps, ...(opts.runChain ? { runChain: opts.runChain } : {}) });
  const now = opts.now ?? (() => new Date());
  const started = now();
  const startMs = Date.now();
  const emit = (e: RunEvent): void => opts.onEvent?.(e);
  // Every request in flight listens on the run's signal: at --concurrency 16 that is more than
  // Node's default of 10 listeners, which is by design here, not a leak.
  if (opts.signal) setMaxListeners(0, opts.signal);

  const list = Array.isArray(opts.specs) ? (opts.specs as readonly LoadedSpec[]) : undefined;
  const redact = deps.createRedactor([]);
  seedSecrets(redact, deps, opts, list ?? []);
  const ownHttp = opts.http === undefined;
  // Absent is the documented default of 8 (Number.isFinite(undefined) made it 1).
  const wanted = opts.concurrency ?? 8;
  const concurrency = Number.isFinite(wanted) && wanted >= 1 ? Math.floor(wanted) : 1;
  const http = opts.http ?? deps.createHttpClient(httpOptions(opts, concurrency));
  const tokens = createTokenProviders({ opts, deps, http, redact });

  // A streamed spec is not kept for `use:`: a spec that uses it before its turn reads it itself.
  const selected = new Map<string, LoadedSpec>();
  for (const s of list ?? []) if (!selected.has(s.absPath) && !broken(s)) selected.set(s.absPath, s);
  const steps = new StepEvents(emit, (abs) => selected.has(abs) || opts.streamPaths?.has(abs) === true);

  const registry: UseRegistry<LoadedSpec, Evaluation> = new UseRegistry<LoadedSpec, Evaluation>({
    known: selected,
    load: async (abs) => {
      const spec = await opts.loadSpec(abs);
      const bad = spec.diagnostics.find((d) => d.severity === 'error');
      if (!bad) return spec;
      const where = bad.span ? `${bad.span.file}:${bad.span.line}: ` : '';
      return { error: `${spec.file} has errors: ${where}${bad.message}` };
    },
    evaluate: (spec) => evaluateSpec(spec, ectx),
    settle: (spec, e) => settleEvaluation(spec, e, opts.write !== undefined && opts.write !== false),
    outcome: useOutcome,
    // A use counts toward timesReused only when the used spec's own verdict is one that is written.
    ran: (e) => e.kind === 'ran' && !e.interrupted && !e.internalError && ['verified', 'failing', 'blocked'].includes(e.result.verdict),
  });
  const ectx: EvaluateContext = {
    deps,
    environment: opts.environment,
    env: opts.env,
    fallback: opts.fallback ?? 'spec',
    http,
    redact,
    tokens: tokens.providers,
    runUse: (caller, usePath) => registry.use(caller, usePath),
    onStep: (spec, step) => steps.step(spec, step),
    ...(opts.cliVars ? { cliVars: opts.cliVars } : {}),
    ...(opts.retain === 'failures' || opts.retain === 'counts' ? { passedSnippets: false } : {}),
    ...(opts.keepBodyChars !== undefined ? { keepBodyChars: opts.keepBodyChars } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.conformance ? { conformance: opts.conformance } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };

  // A spec that does not run still belongs to its API's suite in the reports.
  const apiName = (spec: LoadedSpec): string => {
    const api = deps.apiForSpec(opts.environment, spec.absPath, spec.doc.frontMatter);
    return api.ok ? api.value.name : typeof spec.doc.frontMatter.api === 'string' ? spec.doc.frontMatter.api : '';
  };
  emit({ type: 'run-start', total: list ? list.length : (opts.streamPaths?.size ?? 0) });
  // A slot per spec in report order; with retain `counts` a quiet verified spec's slot is emptied.
  const results: (SpecResult | undefined)[] = [];
  const counts = summarize([], 0);
  let bailed = false;
  let reuse: ReuseWrite[] = [];
  const seen = new Set<string>();
  const writes = { limiter: createLimiter(8), pending: [] as Promise<void>[], of: new WeakMap<SpecResult, Promise<void>>() };

  try {
    // Workers take the next spec in order when they are free: specs start in report order, so a
    // bail or an interrupt skips the tail of the list, and a stream is read only as fast as it runs.
    const source: Iterator<LoadedSpec> | AsyncIterator<LoadedSpec> = list
      ? list[Symbol.iterator]()
      : (opts.specs as AsyncIterable<LoadedSpec>)[Symbol.asyncIterator]();
    let index = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        const spec = next.value;
        const i = index++;
        // Decided when a worker is free, not when queued: that is what makes --bail and Ctrl-C stop the tail.
        const notRun = opts.signal?.aborted ? 'interrupted' : bailed ? 'not run: --bail' : seen.has(spec.absPath) ? 'listed twice' : undefined;
        seen.add(spec.absPath);
        let result: SpecResult;
        if (notRun) {
          result = skipped(spec, notRun, apiName(spec));
        } else if (broken(spec)) {
          result = invalid(spec, apiName(spec));
          if (opts.bail) bailed = true;
        } else {
          emit({ type: 'spec-start', file: spec.file, endpoint: endpointOf(spec) });
          steps.open(spec);
          result = await runOne(spec, { opts, deps, ectx, registry, now, writes });
          // --bail stops at the first spec that is not verified, whatever the reason.
          if (opts.bail && result.verdict !== 'verified' && result.verdict !== 'skipped') bailed = true;
        }
        results[i] = result;
        counts.total++;
        counts[result.verdict]++;
        emit({ type: 'spec-end', result });
        if (!notRun && !broken(spec)) steps.close(spec);
        if (opts.retain !== undefined && opts.retain !== 'all' && result.verdict === 'verified') slimSteps(result);
        if (opts.retain === 'counts' && result.verdict === 'verified') {
          const drop = (): void => {
            if (quiet(result)) results[i] = undefined;
          };
          const writing = writes.of.get(result);
          if (writing) void writing.then(drop);
          else drop();
        }
        registry.settle(spec.absPath);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await Promise.all(writes.pending);
    reuse = await writeUseCounts(registry, deps, opts);
  } finally {
    await tokens.close();
    if (ownHttp) await http.close();
  }

  const durationMs = Date.now() - startMs;
  const result: RunResult = {
    startedAt: started.toISOString(),
    finishedAt: new Date(started.getTime() + durationMs).toISOString(),
    environment: opts.environment.name,
    summary: { ...counts, durationMs },
    specs: results.filter((r): r is SpecResult => r !== undefined),
    interrupted: opts.signal?.aborted === true,
  };
  if (reuse.length > 0) result.reuseWrites = reuse;
  const fetched = tokens.providers.stats();
  if (fetched.length > 0) result.tokenProviders = fetched;
  emit({ type: 'run-end', result });
  return result;
}

interface RunOneContext {
  opts: RunOptions;
  deps: SchedulerDeps;
  ectx: EvaluateContext;
  registry: UseRegistry<LoadedSpec, Evaluation>;
  now: () => Date;
  /**
   * Write-backs run beside the next specs rather than before them (the fsyncs would
   * otherwise serialise the run); the run waits for all of them before it returns.
   */
  writes: { limiter: ReturnType<typeof createLimiter>; pending: Promise<void>[]; of: WeakMap<SpecResult, Promise<void>> };
}

async function runOne(spec: LoadedSpec, c: RunOneContext): Promise<SpecResult> {
  const evaluation = await c.registry.evaluation(spec);
  if (evaluation.kind === 'config') {
    // A config problem is the run's setup being wrong, not the endpoint: `invalid`, never written back.
    return {
      ...base(spec),
      api: evaluation.api ?? '',
      verdict: 'invalid',
      reason: evaluation.reason,
      gateway: 'primary',
      durationMs: 0,
      steps: [],
      findings: [],
      diagnostics: [evaluation.diagnostic],
    };
  }
  const chain = evaluation.result;
  const result: SpecResult = {
    ...base(spec),
    api: evaluation.api.name,
    verdict: evaluation.interrupted ? 'skipped' : evaluation.internalError ? 'error' : chain.verdict,
    gateway: evaluation.gateway,
    durationMs: evaluation.durationMs,
    steps: chain.steps,
    findings: chain.findings,
  };
  const reason = evaluation.interrupted ? 'interrupted' : chain.reason;
  if (reason) result.reason = reason;
  if (chain.tokenType) result.tokenType = chain.tokenType;
  if (evaluation.attempts) result.gatewayAttempts = evaluation.attempts;

  if (c.opts.tokenMatrix && !evaluation.interrupted && (spec.doc.frontMatter.tokens?.length ?? 0) > 0) {
    const matrix = await tokenMatrix(spec, evaluation, c.ectx);
    result.tokenMatrix = matrix.rows;
    result.durationMs += matrix.durationMs;
  }

  // Only an answer from the API says something about the doc's tables, as about its status.
  let docsPlan: DocsPlan | undefined;
  if (c.opts.docs && !evaluation.interrupted && !evaluation.internalError && isWritten(result.verdict)) {
    const observed = await observeForDocs(spec, evaluation, c.ectx, c.opts.docs.tokenTypes(spec, evaluation.api));
    result.durationMs += observed.durationMs;
    docsPlan = c.opts.docs.plan(spec, result, observed.observations);
    if (docsPlan) result.docs = docsPlan.tables;
  }

  const write = c.opts.write;
  if (write && result.verdict !== 'skipped') {
    if (!isWritten(result.verdict)) {
      // Only an answer from the API teaches something about the doc (docs/results.md, "Outcomes").
      result.writeBack = { outcome: 'skipped', message: notWritten(result.verdict, evaluation.internalError !== undefined) };
    } else {
      const writing = c.writes.limiter.run(async () => {
        result.writeBack = await writeVerdict(spec, result, { viaFallback: evaluation.viaFallback, roots: write.roots, docs: docsPlan }, c);
        if (result.docs && c.opts.docs?.mode === 'update') {
          const written = result.writeBack.outcome === 'written';
          for (const t of result.docs) if (t.status === 'stale') t.status = written ? 'updated' : 'not-written';
        }
      });
      c.writes.pending.push(writing);
      c.writes.of.set(result, writing);
    }
  }
  return result;
}

/** The verdicts that are a claim about the doc, and so the only ones written into the spec file. */
export function isWritten(verdict: SpecResult['verdict']): verdict is 'verified' | 'failing' | 'blocked' {
  return verdict === 'verified' || verdict === 'failing' || verdict === 'blocked';
}

function notWritten(verdict: SpecResult['verdict'], internal: boolean): string {
  if (internal) return 'not written: the run itself failed, not the endpoint';
  if (verdict === 'invalid') return 'not written: the spec or its config is broken; nothing was sent to judge the doc';
  return 'not written: the API gave no answer to judge the doc by';
}

async function writeVerdict(
  spec: LoadedSpec,
  result: SpecResult,
  w: { viaFallback: boolean; roots: string[]; docs: DocsPlan | undefined },
  c: RunOneContext,
): Promise<WriteBackResult> {
  const { viaFallback, roots } = w;
  const status = isWritten(result.verdict) ? result.verdict : undefined;
  if (!status) return { outcome: 'skipped' };
  try {
    return await c.deps.writeBack({
      file: spec.absPath,
      originalBytes: spec.bytes,
      roots,
      changes: {
        status,
        ...(status === 'verified' ? { verifiedAt: c.now().toISOString() } : {}),
        // The spec's own run; uses by other specs are added once at the end of the run.
        timesReusedDelta: 1,
        ...(viaFallback ? { useFallbackApi: true } : {}),
      },
      ...(w.docs?.edit && c.opts.docs?.mode === 'update' ? { editText: w.docs.edit } : {}),
      ...(c.opts.docs ? { maskTables: c.opts.docs.maskTables } : {}),
    });
  } catch (err) {
    return { outcome: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/** One write per used spec with the number of distinct specs that used it. */
async function writeUseCounts(
  registry: UseRegistry<LoadedSpec, Evaluation>,
  deps: SchedulerDeps,
  opts: RunOptions,
): Promise<ReuseWrite[]> {
  const write = opts.write;
  if (!write) return [];
  const done: ReuseWrite[] = [];
  // Sequential: a handful of files, and a lock each; no need to race them.
  for (const { spec, users } of registry.counts()) {
    let writeBack: WriteBackResult;
    if (write.only && !write.only.has(spec.absPath)) {
      done.push({ file: spec.file, delta: users.size, writeBack: { outcome: 'skipped', message: 'another shard owns this file; its use count is in the report, not written' } });
      continue;
    }
    try {
      writeBack = await deps.writeBack({ file: spec.absPath, originalBytes: spec.bytes, roots: write.roots, changes: { timesReusedDelta: users.size } });
    } catch (err) {
      writeBack = { outcome: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    done.push({ file: spec.file, delta: users.size, writeBack });
  }
  return done;
}

/**
 * What a spec's registry entry keeps once the scheduler is done with it: enough for a
 * later `use:` (verdict, reason, variables) and the use counts, not its document or step results.
 * The file's bytes only when the run writes (a use count is written against them at the end).
 */
function settleEvaluation(spec: LoadedSpec, e: Evaluation, writes: boolean): { spec: LoadedSpec; evaluation: Evaluation } {
  // Thousands of entries stay to the end of a run: the empty parts are shared, not made per spec.
  const slim: LoadedSpec = { file: spec.file, absPath: spec.absPath, bytes: writes ? spec.bytes : NO_BYTES, diagnostics: NONE as [], doc: EMPTY_DOC };
  if (e.kind !== 'ran') return { spec: slim, evaluation: e };
  // An `error` keeps its failed steps: a later `use:` passes their error code on (see useOutcome).
  const steps = e.result.verdict === 'error' ? e.result.steps.filter((s) => s.outcome === 'failed') : (NONE as []);
  return { spec: slim, evaluation: { ...e, result: { ...e.result, steps, findings: NONE as [] } } };
}

const NO_BYTES = Buffer.alloc(0);
const NONE: readonly never[] = Object.freeze([]);
const EMPTY_DOC: LoadedSpec['doc'] = Object.freeze({ file: '', text: '', frontMatter: Object.freeze({}), frontMatterSpans: Object.freeze({}), steps: NONE as [], blocks: NONE as [] });

function useOutcome(e: Evaluation, spec: LoadedSpec): UseOutcome {
  if (e.kind === 'config') return { ok: false, verdict: 'invalid', reason: `${spec.file}: ${e.reason}` };
  if (e.result.verdict === 'verified') return { ok: true, vars: e.result.vars };
  const why = e.interrupted ? 'interrupted' : e.result.reason;
  const verdict = e.interrupted ? 'skipped' : e.internalError ? 'error' : e.result.verdict;
  return { ok: false, verdict, reason: `${spec.file} is ${verdict}${why ? `: ${why}` : ''}` };
}

function endpointOf(spec: LoadedSpec): string {
  return typeof spec.doc.frontMatter.endpoint === 'string' ? spec.doc.frontMatter.endpoint : '';
}

/** The front-matter facts every SpecResult carries, whatever happened. */
function base(spec: LoadedSpec): Pick<SpecResult, 'file' | 'endpoint' | 'domain' | 'tags' | 'previousVerifiedAt' | 'previousStatus'> {
  const fm = spec.doc.frontMatter;
  const out: ReturnType<typeof base> = { file: spec.file, endpoint: endpointOf(spec) };
  if (typeof fm.domain === 'string') out.domain = fm.domain;
  if (Array.isArray(fm.tags)) out.tags = fm.tags.filter((t): t is string => typeof t === 'string');
  if (fm.verifiedAt !== undefined && fm.verifiedAt !== null) out.previousVerifiedAt = String(fm.verifiedAt);
  if (typeof fm.status === 'string') out.previousStatus = fm.status;
  return out;
}

function broken(spec: LoadedSpec): boolean {
  return spec.diagnostics.some((d) => d.severity === 'error');
}

/** A spec that cannot run as written: its error diagnostics are the reason. */
function invalid(spec: LoadedSpec, api: string): SpecResult {
  const errors = spec.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0]!;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { ...base(spec), api, verdict: 'invalid', reason: `error[${first.code}]: ${first.message}${more}`, diagnostics: errors, gateway: 'primary', durationMs: 0, steps: [], findings: [] };
}

function skipped(spec: LoadedSpec, reason: string, api: string): SpecResult {
  return { ...base(spec), api, verdict: 'skipped', reason, gateway: 'primary', durationMs: 0, steps: [], findings: [] };
}

function httpOptions(opts: RunOptions, concurrency: number): Parameters<SchedulerDeps['createHttpClient']>[0] {
  return {
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    // One connection per spec in flight: with fewer, specs queue for a socket (c=16 on 8: 2.26x -> 2.11x).
    perHostConnections: opts.perHostConnections ?? concurrency,
    ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
    ...(opts.maxResponseBytes ? { maxResponseBytes: opts.maxResponseBytes } : {}),
    ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
    ...(opts.ratePerHost ? { ratePerHost: opts.ratePerHost } : {}),
  };
}

/** A verified spec that no reporter shows again after its spec-end (see RunOptions.retain `counts`). */
function quiet(result: SpecResult): boolean {
  return (
    result.verdict === 'verified' &&
    result.gateway !== 'fallback' &&
    result.findings.length === 0 &&
    (result.tokenMatrix?.length ?? 0) === 0 &&
    !isFailedWriteBack(result.writeBack)
  );
}

/**
 * A verified spec's passed steps, cut to what a summary shows. In place: a write-back still in
 * flight sets `writeBack` on the same object.
 */
function slimSteps(result: SpecResult): void {
  result.steps = result.steps.map((s) => {
    if (s.outcome !== 'passed') return s;
    const slim: StepResult = { id: s.id, phase: s.phase, outcome: s.outcome, span: s.span, method: s.method, url: s.url, gateway: s.gateway, durationMs: s.durationMs, attempts: s.attempts, assertions: [], extracted: {} };
    if (s.status !== undefined) slim.status = s.status;
    if (s.tokenType !== undefined) slim.tokenType = s.tokenType;
    return slim;
  });
}

/**
 * Before any request: every token value any spec of the run could send is known to the redactor.
 * A streamed spec's own token types are added when it is evaluated, still before it sends.
 */
export function seedSecrets(redact: Redactor, deps: Pick<SchedulerDeps, 'resolveToken'>, opts: Pick<RunOptions, 'env' | 'environment'>, specs: readonly LoadedSpec[]): void {
  for (const [name, value] of Object.entries(opts.env)) if (name.startsWith('VERIFY_TOKEN_')) addToken(redact, value);
  for (const api of opts.environment.apis) {
    const types = new Set(Object.keys(api.tokens));
    for (const spec of specs) for (const t of tokenTypesOf(spec.doc, api)) types.add(t);
    for (const type of types) {
      const token = deps.resolveToken(api, type, opts.env);
      addToken(redact, token.value, token.auth);
    }
  }
}

/**
 * step-end events belong between a spec's spec-start and spec-end. A selected
 * spec can run early as another spec's `use:`; its steps wait here until its
 * own turn comes. Specs that are only used emit no step events.
 */
class StepEvents {
  readonly #emit: (e: RunEvent) => void;
  readonly #buffers = new Map<string, StepResult[]>();
  readonly #open = new Set<string>();
  readonly #selected: (absPath: string) => boolean;

  constructor(emit: (e: RunEvent) => void, selected: (absPath: string) => boolean) {
    this.#emit = emit;
    this.#selected = selected;
  }

  open(spec: LoadedSpec): void {
    this.#open.add(spec.absPath);
    for (const step of this.#buffers.get(spec.absPath) ?? []) this.#emit({ type: 'step-end', file: spec.file, step });
    this.#buffers.delete(spec.absPath);
  }

  /** After the spec's spec-end: its chain is done, so no step of it comes any more. */
  close(spec: LoadedSpec): void {
    this.#open.delete(spec.absPath);
  }

  step(spec: LoadedSpec, step: StepResult): void {
    if (this.#open.has(spec.absPath)) {
      this.#emit({ type: 'step-end', file: spec.file, step });
      return;
    }
    if (!this.#selected(spec.absPath)) return;
    const buffer = this.#buffers.get(spec.absPath) ?? [];
    buffer.push(step);
    this.#buffers.set(spec.absPath, buffer);
  }
}
