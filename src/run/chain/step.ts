import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ParsedStep } from '../../specfile/model.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import { displayText } from '../json-value.js';
import { checkConformance } from './conformance.js';
import { planRequest } from './request.js';
import { stepToken, type TokenChoice } from './token.js';
import { sendWithTokenRefresh } from '../token/retry.js';
import type { ChainContext } from './types.js';
import { checkExpect } from '../expect.js';
import { registerSecretExtractions, ResponseView, runExtractions } from '../extract.js';
import { addNamed, MASK } from '../../secret/index.js';
import type { AssertionResult, Finding, StepError, StepOutcome, StepResult } from '../../result/result.js';
import type { Span } from '../../source/span.js';
import type { Lookup } from '../template.js';

/** What one step needs from its chain. */
export interface StepEnv {
  spec: LoadedSpec;
  ctx: ChainContext;
  lookup: Lookup;
  /** The chain's variables; extractions and `use:` imports are added here. */
  vars: Map<string, unknown>;
  token: TokenChoice;
  findings: Finding[];
}

/** A result with every field a step has before it runs. */
export function baseResult(parsed: ParsedStep, ctx: ChainContext, outcome: StepOutcome): StepResult {
  const s = parsed.step;
  return {
    id: s.id,
    phase: parsed.phase,
    outcome,
    span: parsed.span,
    ...(s.description ? { description: s.description } : {}),
    method: s.use ? 'USE' : (s.method ?? 'GET').toUpperCase(),
    url: ctx.redact(s.use ?? s.path ?? ''),
    gateway: ctx.gateway,
    durationMs: 0,
    attempts: 0,
    assertions: [],
    extracted: {},
  };
}

const show = displayText;

/** Runs one step. Never throws for anything a spec or a server does. */
export async function runStep(parsed: ParsedStep, e: StepEnv): Promise<StepResult> {
  const { ctx } = e;
  const s = parsed.step;
  const r = baseResult(parsed, ctx, 'passed');
  const fail = (error: StepError): StepResult => {
    r.outcome = 'failed';
    r.error = { ...error, message: ctx.redact(error.message) };
    return r;
  };

  if (s.use) return runUseStep(r, s.use, e, fail);

  const token = await stepToken(ctx, s.token, e.token);
  if ('error' in token) return fail(token.error);
  if (token.token) r.tokenType = token.token.type;

  const first = planRequest(parsed, ctx, e.lookup, token.token);
  if ('error' in first) return fail(first.error);
  r.url = ctx.redact(first.request.url);
  r.requestHeaders = first.shownHeaders;

  const { sent, built } = await sendWithTokenRefresh(first, { parsed, ctx, lookup: e.lookup, token: token.token });
  const { request } = built;
  r.attempts = sent.attempts;
  r.durationMs = sent.durationMs;
  if (!sent.ok) {
    if (sent.status !== undefined) r.status = sent.status;
    if (request.body !== undefined && request.body !== '') r.requestBody = capped(ctx.redact(request.body), keepBody(ctx));
    return fail(sent.error);
  }
  const view = new ResponseView(sent.response, ctx.redact);
  registerSecretExtractions(s.extract, view, ctx.redact);
  r.status = sent.response.status;
  const type = sent.response.headers['content-type'];
  if (type) r.responseContentType = type;

  const assertions = await checkExpect(s.expect, view, { durationMs: sent.durationMs, redact: (v) => ctx.redact.value(v) });
  // Extracting from a wrong-status response would only add a second, misleading failure.
  if (assertions[0]?.passed === true) {
    const x = runExtractions(s.extract, view, ctx.redact);
    for (const [name, value] of x.vars) e.vars.set(name, value);
    r.extracted = x.shown;
    assertions.push(...x.assertions);
  }
  const conf = await checkConformance({ spec: e.spec, parsed, ctx, request, view });
  e.findings.push(...conf.findings);
  assertions.push(...conf.assertions);
  for (const a of assertions) {
    const span = expectationSpan(parsed, a);
    if (span) a.span = span;
  }
  r.assertions = assertions;
  if (assertions.some((a) => !a.passed)) r.outcome = 'failed';
  if (r.outcome === 'failed' || ctx.passedSnippets !== false) {
    // A failure keeps enough to debug (a server's validation message is often far down the body);
    // a passed step keeps an excerpt, so thousands of them do not fill memory.
    const max = r.outcome === 'failed' ? keepBody(ctx) : PASSED_EXCERPT;
    const snippet = view.snippet(max);
    if (snippet) r.responseSnippet = snippet;
    if (request.body !== undefined && request.body !== '') r.requestBody = capped(ctx.redact(request.body), max);
  }
  return r;
}

const PASSED_EXCERPT = 300;
/** Default cap on the bodies a failed step keeps (docs/results.md). */
export const DEFAULT_KEEP_BODY_CHARS = 64 * 1024;

function keepBody(ctx: ChainContext): number {
  const n = ctx.keepBodyChars;
  return n !== undefined && Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_KEEP_BODY_CHARS;
}

function capped(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The span of the spec line an assertion comes from (keys as the parser records them: "expect.body.$.data"). */
function expectationSpan(parsed: ParsedStep, a: AssertionResult): Span | undefined {
  const k = parsed.keySpans;
  switch (a.kind) {
    case 'status':
      return k['expect.status'];
    case 'body':
      return k[`expect.body.${a.target ?? ''}.${a.op}`] ?? k[`expect.body.${a.target ?? ''}`];
    case 'header':
      return k[`expect.headers.${a.target ?? ''}.${a.op}`] ?? k[`expect.headers.${a.target ?? ''}`];
    case 'maxMs':
      return k['expect.maxMs'];
    case 'schema':
      return k['expect.schema'];
    case 'extract':
      return k[`extract.${a.target ?? ''}`];
    default:
      return undefined;
  }
}

async function runUseStep(r: StepResult, use: string, e: StepEnv, fail: (error: StepError) => StepResult): Promise<StepResult> {
  const { ctx } = e;
  const t0 = performance.now();
  let used;
  try {
    used = await ctx.runUse(path.resolve(path.dirname(e.spec.absPath), use));
  } catch (err) {
    used = { ok: false as const, reason: `use ${use} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  r.durationMs = performance.now() - t0;
  if (!used.ok) return fail({ code: 'use', message: used.reason, ...(used.verdict ? { usedVerdict: used.verdict } : {}) });
  for (const [k, v] of Object.entries(used.vars)) {
    const secret = addNamed(ctx.redact, k, v, show);
    e.vars.set(k, v);
    r.extracted[k] = secret ? MASK : ctx.redact(show(v));
  }
  return r;
}
