import type { VarValue } from '../../config/types.js';
import type { ApiConfig, Environment } from '../../config/types.js';
import { diag, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import type { ChainContext, ChainResult } from '../chain/run-chain.js';
import type { Gateway, GatewayAttempt, StepResult, TokenMatrixRow } from '../../result/result.js';
import type { HttpClient, Redactor, SchedulerDeps } from './deps.js';
import type { TokenProviders } from '../token/providers.js';
import { tokenTypesOf } from '../chain/token.js';
import { addToken } from '../../secret/index.js';
import type { UseOutcome } from '../use-registry.js';

/**
 * One spec's evaluation: pick its API and gateway, run its chain, and with
 * `--fallback auto` run it again on the fallback gateway when the primary did
 * not verify. This is the unit `use:` shares: it runs once per spec per run.
 */

export type FallbackMode = 'spec' | 'auto' | 'never';

export interface EvaluateContext {
  deps: SchedulerDeps;
  environment: Environment;
  env: Record<string, string | undefined>;
  cliVars?: Record<string, VarValue>;
  /** False: passed steps get no response snippet (see RunOptions.retain). */
  passedSnippets?: boolean;
  keepBodyChars?: number;
  fallback: FallbackMode;
  http: HttpClient;
  redact: Redactor;
  tokens?: TokenProviders;
  now?: () => Date;
  conformance?: ChainContext['conformance'];
  signal?: AbortSignal;
  runUse(caller: LoadedSpec, usePath: string): Promise<UseOutcome>;
  onStep?(spec: LoadedSpec, step: StepResult): void;
}

/** The spec could not run: no API, or a gateway it needs is not configured. */
export interface NotRun {
  kind: 'config';
  reason: string;
  api?: string;
  /** The config problem, with its code, the config or spec line, and its hint. */
  diagnostic: Diagnostic;
}

export interface Ran {
  kind: 'ran';
  api: ApiConfig;
  /** The chain result the verdict comes from. */
  result: ChainResult;
  gateway: Gateway;
  /** Set with --fallback auto: each gateway tried, in order. */
  attempts?: GatewayAttempt[];
  /** --fallback auto verified on the fallback after the primary failed. */
  viaFallback: boolean;
  /** All chain runs together. */
  durationMs: number;
  /** The chain threw (a bug, not the endpoint): never written back. */
  internalError?: string;
  /** Stopped by the run's signal: the verdict says nothing about the endpoint. */
  interrupted: boolean;
}

export type Evaluation = NotRun | Ran;

export async function evaluateSpec(spec: LoadedSpec, ctx: EvaluateContext): Promise<Evaluation> {
  const fm = spec.doc.frontMatter;
  const found = ctx.deps.apiForSpec(ctx.environment, spec.absPath, fm);
  if (!found.ok) {
    // A problem of the spec's own `api:` key points at that key; one of the config's, at its line.
    const problem = found.error;
    const span = problem.span ?? (typeof fm.api === 'string' ? spec.doc.frontMatterSpans.api : undefined) ?? { file: spec.file, line: 1, col: 1 };
    return { kind: 'config', reason: `config: ${problem.message}`, diagnostic: { ...problem, span }, ...(typeof fm.api === 'string' ? { api: fm.api } : {}) };
  }
  const api = found.value;
  addTokenSecrets(ctx, api, spec);

  const wantsFallback = ctx.fallback !== 'never' && fm.useFallbackApi === true;
  if (wantsFallback && !api.fallbackUrl) {
    const message = `the spec sets useFallbackApi: true but API "${api.name}" has no fallbackUrl in environment "${ctx.environment.name}"`;
    return {
      kind: 'config',
      api: api.name,
      reason: `config: ${message}`,
      diagnostic: diag('error', 'config-no-fallback', message, {
        span: spec.doc.frontMatterSpans.useFallbackApi ?? { file: spec.file, line: 1, col: 1 },
        hint: ctx.environment.adHoc
          ? 'pass --fallback-url (or set VERIFY_FALLBACK_URL), or run with --fallback never'
          : `add environments.${ctx.environment.name}.apis.${api.name}.fallbackUrl to the config, pass --fallback-url, or run with --fallback never`,
      }),
    };
  }
  const first: Gateway = wantsFallback ? 'fallback' : 'primary';
  const primaryRun = await runOnce(spec, api, first, ctx, { emitSteps: true });
  const ran: Ran = {
    kind: 'ran',
    api,
    result: primaryRun.result,
    gateway: first,
    viaFallback: false,
    durationMs: primaryRun.result.durationMs,
    interrupted: interrupted(primaryRun.result, ctx.signal),
    ...(primaryRun.internalError ? { internalError: primaryRun.internalError } : {}),
  };
  if (ctx.fallback !== 'auto') return ran;

  ran.attempts = [attempt(first, primaryRun.result)];
  const retry =
    first === 'primary' && api.fallbackUrl && primaryRun.result.verdict !== 'verified' && !ran.interrupted && !ran.internalError;
  if (!retry) return ran;

  const fallbackRun = await runOnce(spec, api, 'fallback', ctx, { emitSteps: true });
  ran.attempts.push(attempt('fallback', fallbackRun.result));
  ran.durationMs += fallbackRun.result.durationMs;
  if (fallbackRun.result.verdict === 'verified' && !fallbackRun.internalError) {
    ran.result = {
      ...fallbackRun.result,
      reason: `verified via the fallback gateway; the primary was ${primaryRun.result.verdict}${primaryRun.result.reason ? `: ${primaryRun.result.reason}` : ''}`,
    };
    ran.gateway = 'fallback';
    ran.viaFallback = true;
    return ran;
  }
  // Both failed: the primary's result stands (the gateway the spec asked for); the fallback's is a footnote.
  ran.interrupted ||= interrupted(fallbackRun.result, ctx.signal);
  const why = fallbackRun.result.reason ?? fallbackRun.internalError;
  ran.result = {
    ...primaryRun.result,
    reason: `${primaryRun.result.reason ?? primaryRun.result.verdict}; fallback gateway: ${fallbackRun.result.verdict}${why ? ` (${why})` : ''}`,
  };
  return ran;
}

/**
 * `--token-matrix`: one row per token type the spec lists. The type the normal
 * run used is not run again: its row carries the spec's verdict. Other
 * configured types run on the gateway the verdict was reached on.
 */
export async function tokenMatrix(spec: LoadedSpec, ran: Ran, ctx: EvaluateContext): Promise<{ rows: TokenMatrixRow[]; durationMs: number }> {
  const types = (spec.doc.frontMatter.tokens ?? []).filter((t): t is string => typeof t === 'string');
  const available = types.map((type) => ({ type, token: ctx.deps.resolveToken(ran.api, type, ctx.env) }));
  const normal = ran.result.tokenType ?? available.find((a) => a.token.value)?.type;
  const rows: TokenMatrixRow[] = [];
  let durationMs = 0;
  for (const { type, token } of available) {
    // A type with a provider (oauth2, login) is available: its token is fetched when the row runs.
    if (!token.value && !ctx.tokens?.providerOf(ran.api, type)) {
      rows.push({ tokenType: type, verdict: 'unavailable', reason: `no token: set ${token.tried.join(' or ')}` });
    } else if (normal !== undefined && type.toLowerCase() === normal.toLowerCase()) {
      rows.push(row(type, ran.result));
    } else if (ctx.signal?.aborted) {
      rows.push({ tokenType: type, verdict: 'skipped', reason: 'interrupted' });
    } else {
      const run = await runOnce(spec, ran.api, ran.gateway, ctx, { emitSteps: false, forceTokenType: type });
      durationMs += run.result.durationMs;
      rows.push(row(type, run.result));
    }
  }
  return { rows, durationMs };
}

function row(type: string, result: ChainResult): TokenMatrixRow {
  return { tokenType: type, verdict: result.verdict, ...(result.reason ? { reason: result.reason } : {}) };
}

function attempt(gateway: Gateway, result: ChainResult): GatewayAttempt {
  return { gateway, verdict: result.verdict, ...(result.reason ? { reason: result.reason } : {}) };
}

function interrupted(result: ChainResult, signal: AbortSignal | undefined): boolean {
  if (result.steps.some((s) => s.error?.code === 'interrupted')) return true;
  // A request cut short by the abort can surface as a network error; it still says nothing about the endpoint.
  return signal?.aborted === true && result.verdict !== 'verified';
}

/** One chain run of a spec on one gateway (optionally with another token type); never throws. */
export async function runOnce(
  spec: LoadedSpec,
  api: ApiConfig,
  gateway: Gateway,
  ctx: EvaluateContext,
  opts: { emitSteps: boolean; forceTokenType?: string },
): Promise<{ result: ChainResult; internalError?: string }> {
  const chainCtx: ChainContext = {
    api,
    environment: ctx.environment,
    env: ctx.env,
    gateway,
    http: ctx.http,
    redact: ctx.redact,
    ...(ctx.tokens ? { tokens: ctx.tokens } : {}),
    runUse: (absPath) => ctx.runUse(spec, absPath),
    ...(ctx.cliVars ? { cliVars: ctx.cliVars } : {}),
    ...(ctx.passedSnippets === false ? { passedSnippets: false } : {}),
    ...(ctx.keepBodyChars !== undefined ? { keepBodyChars: ctx.keepBodyChars } : {}),
    ...(opts.forceTokenType ? { forceTokenType: opts.forceTokenType } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(ctx.conformance ? { conformance: ctx.conformance } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(opts.emitSteps && ctx.onStep ? { onStep: (s: StepResult) => ctx.onStep?.(spec, s) } : {}),
  };
  try {
    return { result: await ctx.deps.runChain(spec, chainCtx) };
  } catch (err) {
    const message = ctx.redact(err instanceof Error ? err.message : String(err));
    return {
      internalError: message,
      result: { verdict: 'error', reason: `internal error: ${message}`, steps: [], findings: [], vars: {}, durationMs: 0 },
    };
  }
}

/** Token values are registered with the redactor before the chain can send (or echo) them. */
function addTokenSecrets(ctx: EvaluateContext, api: ApiConfig, spec: LoadedSpec): void {
  for (const type of tokenTypesOf(spec.doc, api)) {
    const { value, auth } = ctx.deps.resolveToken(api, type, ctx.env);
    addToken(ctx.redact, value, auth);
  }
}
