import type { ApiConfig } from '../../config/types.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import type { Phase } from '../../specfile/model.js';
import type { Finding, Gateway, SpecDocsTable, SpecResult, StepOutcome, Verdict } from '../../result/result.js';
import { runOnce, type EvaluateContext, type Ran } from './evaluate.js';

/**
 * What a run observed of one spec for its owned doc tables (--update-docs, --check-docs): the
 * spec's own run and, for a spec with an `auth` table, one run per token type and gateway. Plain
 * data, handed to the `docs` hook of RunOptions (the table layer, wired by the CLI), which turns
 * it into table text; run/ knows nothing of Markdown.
 */
export interface DocsObservation {
  tokenType?: string;
  gateway: Gateway;
  /** `unavailable`: the environment has no value for the token type (nothing was sent). */
  verdict: Verdict | 'unavailable';
  /** The spec's own run (the one its verdict comes from). */
  own: boolean;
  steps: { id: string; phase: Phase; outcome: StepOutcome; status?: number }[];
  findings: Finding[];
  reason?: string;
}

/** What the docs layer does with a spec's observations. */
export interface DocsPlan {
  tables: SpecDocsTable[];
  /** Applies the table changes to the spec text as it is under the write lock (BOM removed). */
  edit?(text: string): { text: string } | { error: string };
}

export interface DocsHook {
  /** `update` writes the tables with the verdict; `check` writes nothing. */
  mode: 'update' | 'check';
  /**
   * The token types to run on every gateway for this spec (it has an `auth` table), or
   * undefined (only the spec's own run is observed). Names as the API's config spells them.
   */
  tokenTypes(spec: LoadedSpec, api: ApiConfig): string[] | undefined;
  /** The tables' new text; undefined when the spec has no owned table. Never throws. */
  plan(spec: LoadedSpec, result: SpecResult, observations: DocsObservation[]): DocsPlan | undefined;
  /** Blanks the owned tables' contents, for the write-back's conflict check (see WriteBackRequest.maskTables). */
  maskTables(text: string): string;
}

/** The observations of one spec: its own run, then each token type on each gateway. */
export async function observeForDocs(spec: LoadedSpec, ran: Ran, ctx: EvaluateContext, tokenTypes: readonly string[] | undefined): Promise<{ observations: DocsObservation[]; durationMs: number }> {
  const own = observation(ran.result, ran.gateway, true);
  const observations: DocsObservation[] = [own];
  let durationMs = 0;
  if (!tokenTypes) return { observations, durationMs };
  const gateways: Gateway[] = ran.api.fallbackUrl ? ['primary', 'fallback'] : ['primary'];
  for (const type of tokenTypes) {
    const token = ctx.deps.resolveToken(ran.api, type, ctx.env);
    for (const gateway of gateways) {
      if (own.tokenType !== undefined && own.tokenType.toLowerCase() === type.toLowerCase() && gateway === ran.gateway) continue;
      if (!token.value && !ctx.tokens?.providerOf(ran.api, type)) {
        observations.push({ tokenType: type, gateway, verdict: 'unavailable', own: false, steps: [], findings: [], reason: `no token: set ${token.tried.join(' or ')}` });
        continue;
      }
      if (ctx.signal?.aborted) return { observations, durationMs };
      const run = await runOnce(spec, ran.api, gateway, ctx, { emitSteps: false, forceTokenType: type });
      durationMs += run.result.durationMs;
      observations.push(observation(run.internalError ? { ...run.result, verdict: 'error' } : run.result, gateway, false, type));
    }
  }
  return { observations, durationMs };
}

function observation(result: Ran['result'], gateway: Gateway, own: boolean, forced?: string): DocsObservation {
  const tokenType = forced ?? result.tokenType;
  return {
    ...(tokenType ? { tokenType } : {}),
    gateway,
    verdict: result.verdict,
    own,
    steps: result.steps.map((s) => ({ id: s.id, phase: s.phase, outcome: s.outcome, ...(s.status !== undefined ? { status: s.status } : {}) })),
    findings: result.findings,
    ...(result.reason ? { reason: result.reason } : {}),
  };
}
