import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { authHeaderValue, resolveToken, secretForms } from '../config/tokens.js';
import type { AuthConfig } from '../config/types.js';
import type { ParsedStep } from '../spec/model.js';
import { chainOrder } from '../spec/lint-vars.js';
import type { LoadedSpec } from '../spec/parse.js';
import type { ChainContext, ChainResult, HttpRequest } from './chain-types.js';
import { checkExpect } from './expect.js';
import { extractValue, ResponseView } from './extract.js';
import { isSecretName } from './redact.js';
import type { AssertionResult, Finding, StepError, StepResult } from './result.js';
import { builtins, renderPath, renderString, renderValue, TemplateError, type Lookup } from './template.js';

export type { ChainContext, ChainResult } from './chain-types.js';

/**
 * Runs one spec's steps: Prerequisites, Test Request, then Cleanup (always).
 * Returns plain data and never throws for anything a spec or a server does.
 */

interface Token {
  type: string;
  value: string;
  auth: AuthConfig;
}

type TokenChoice = { token?: Token } | { error: StepError };

export async function runChain(spec: LoadedSpec, ctx: ChainContext): Promise<ChainResult> {
  const started = performance.now();
  const now = ctx.now ?? (() => new Date());
  const fm = spec.doc.frontMatter;
  const vars = new Map<string, unknown>();
  for (const [k, v] of Object.entries(ctx.environment.vars)) vars.set(k, v);
  for (const [k, v] of Object.entries(ctx.api.vars)) vars.set(k, v);
  const cli = ctx.cliVars ?? {};
  const builtin = builtins(now);
  const lookup: Lookup = (name) => (name.startsWith('$') ? builtin(name) : Object.hasOwn(cli, name) ? cli[name] : vars.get(name));

  const specToken = chooseToken(ctx, ctx.forceTokenType ? [ctx.forceTokenType] : (fm.tokens ?? []).filter((t): t is string => typeof t === 'string'));
  const steps: StepResult[] = [];
  const findings: Finding[] = [];
  let blockedBy: StepResult | undefined;
  let failedTest: StepResult | undefined;
  let stopReason: string | undefined;

  for (const parsed of chainOrder(spec.doc.steps)) {
    const skip = ctx.signal?.aborted ? 'interrupted' : parsed.phase !== 'cleanup' ? stopReason : undefined;
    let result: StepResult;
    if (skip) {
      result = base(parsed, ctx, 'skipped');
      result.skipReason = skip;
      if (skip === 'interrupted') result.error = { code: 'interrupted', message: 'the run was interrupted before this step' };
    } else {
      result = await runStep(parsed, { spec, ctx, lookup, vars, specToken, findings });
    }
    steps.push(result);
    ctx.onStep?.(result);
    if (result.outcome !== 'failed') continue;
    if (parsed.phase === 'prerequisites') blockedBy ??= result;
    if (parsed.phase === 'test') failedTest ??= result;
    if ((parsed.step.onFail ?? 'abort') === 'abort' && parsed.phase !== 'cleanup') stopReason ??= `an earlier step (${parsed.step.id}) failed`;
  }

  const tokenType = 'token' in specToken ? specToken.token?.type : undefined;
  const out: ChainResult = { verdict: 'verified', steps, findings, vars: Object.fromEntries(vars), durationMs: performance.now() - started, ...(tokenType ? { tokenType } : {}) };
  const testSteps = steps.filter((s) => s.phase === 'test');
  if (blockedBy) {
    out.verdict = 'blocked';
    out.reason = `prerequisite ${blockedBy.id} failed: ${why(blockedBy)}`;
  } else if (failedTest) {
    out.verdict = 'failing';
    out.reason = `${failedTest.id} failed: ${why(failedTest)}`;
  } else if (testSteps.length === 0) {
    out.verdict = 'failing';
    out.reason = 'no Test Request steps';
  } else if (testSteps.some((s) => s.outcome === 'skipped')) {
    out.verdict = 'skipped';
    out.reason = 'interrupted';
  }
  return out;
}

function why(s: StepResult): string {
  if (s.error) return s.error.message;
  const a = s.assertions.find((x) => !x.passed);
  if (!a) return 'failed';
  if (a.message) return a.message;
  if (a.kind === 'status') return `status ${String(a.actual)}, expected ${Array.isArray(a.expected) ? a.expected.join(' or ') : String(a.expected)}`;
  return `${a.target ?? a.kind} ${a.op} ${JSON.stringify(a.expected)}, got ${JSON.stringify(a.actual)}`;
}

function chooseToken(ctx: ChainContext, types: string[]): TokenChoice {
  const candidates = types.length > 0 ? types : Object.keys(ctx.api.tokens);
  const tried: string[] = [];
  for (const type of candidates) {
    const r = resolveToken(ctx.api, type, ctx.env);
    if (r.value) {
      for (const form of secretForms(r.value, r.auth)) ctx.redact.add(form);
      return { token: { type, value: r.value, auth: r.auth } };
    }
    tried.push(...r.tried);
  }
  // A spec that lists no token types and an API with none configured sends no credentials.
  if (types.length === 0) return {};
  return {
    error: {
      code: 'token',
      message: `no token for ${types.join(' or ')}: set ${[...new Set(tried)].join(' or ')} (nothing was sent)`,
    },
  };
}

function base(parsed: ParsedStep, ctx: ChainContext, outcome: StepResult['outcome']): StepResult {
  const s = parsed.step;
  return {
    id: s.id,
    phase: parsed.phase,
    outcome,
    span: parsed.span,
    ...(s.description ? { description: s.description } : {}),
    method: s.use ? 'USE' : (s.method ?? 'GET').toUpperCase(),
    url: s.use ? s.use : s.path ?? '',
    gateway: ctx.gateway,
    durationMs: 0,
    attempts: 0,
    assertions: [],
    extracted: {},
  };
}

interface StepEnv {
  spec: LoadedSpec;
  ctx: ChainContext;
  lookup: Lookup;
  vars: Map<string, unknown>;
  specToken: TokenChoice;
  findings: Finding[];
}

async function runStep(parsed: ParsedStep, e: StepEnv): Promise<StepResult> {
  const { ctx } = e;
  const s = parsed.step;
  const r = base(parsed, ctx, 'passed');
  const fail = (error: StepError): StepResult => {
    r.outcome = 'failed';
    r.error = { code: error.code, message: ctx.redact(error.message) };
    return r;
  };

  if (s.use) {
    const t0 = performance.now();
    const used = await ctx.runUse(path.resolve(path.dirname(e.spec.absPath), s.use));
    r.durationMs = performance.now() - t0;
    if (!used.ok) return fail({ code: 'use', message: used.reason });
    for (const [k, v] of Object.entries(used.vars)) {
      e.vars.set(k, v);
      r.extracted[k] = isSecretName(k) ? '***' : ctx.redact(typeof v === 'string' ? v : JSON.stringify(v));
    }
    return r;
  }

  let token: Token | undefined;
  if (s.token === 'none') token = undefined;
  else if (s.token) {
    const c = chooseToken(ctx, [s.token]);
    if ('error' in c) return fail(c.error);
    token = c.token;
  } else {
    if ('error' in e.specToken) return fail(e.specToken.error);
    token = e.specToken.token;
  }
  if (token) r.tokenType = token.type;

  const request = buildRequest(parsed, e, token);
  if ('error' in request) return fail(request.error);
  r.url = ctx.redact(request.url);
  r.requestHeaders = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, token && k.toLowerCase() === token.auth.header.toLowerCase() ? '***' : ctx.redact(v)]),
  );

  const sent = await ctx.http.request(request);
  r.attempts = sent.attempts;
  r.durationMs = sent.durationMs;
  if (!sent.ok) {
    if (sent.status !== undefined) r.status = sent.status;
    return fail(sent.error);
  }
  const response = sent.response;
  r.status = response.status;
  const type = response.headers['content-type'];
  if (type) r.responseContentType = type;
  const view = new ResponseView(response, ctx.redact);
  const snippet = view.snippet();
  if (snippet) r.responseSnippet = snippet;

  const assertions: AssertionResult[] = await checkExpect(s.expect, view, { durationMs: sent.durationMs, redact: (v) => ctx.redact.value(v) });
  const statusOk = assertions[0]?.passed === true;
  if (statusOk) {
    for (const [name, rule] of Object.entries(s.extract ?? {})) {
      const x = extractValue(rule, view);
      if (!x.ok) {
        assertions.push({ kind: 'extract', target: name, op: 'found', expected: typeof rule === 'string' ? rule : rule, actual: undefined, passed: false, message: ctx.redact(x.message) });
        continue;
      }
      if (isSecretName(name) && typeof x.value === 'string') ctx.redact.add(x.value);
      e.vars.set(name, x.value);
      const shown = isSecretName(name) ? '***' : ctx.redact(typeof x.value === 'string' ? x.value : JSON.stringify(x.value));
      r.extracted[name] = shown;
      assertions.push({ kind: 'extract', target: name, op: 'found', expected: typeof rule === 'string' ? rule : rule, actual: shown, passed: true });
    }
  }
  await conformance(parsed, e, { request, view, assertions });
  r.assertions = assertions;
  if (assertions.some((a) => !a.passed)) r.outcome = 'failed';
  return r;
}

function buildRequest(parsed: ParsedStep, e: StepEnv, token: Token | undefined): HttpRequest | { error: StepError } {
  const { ctx } = e;
  const s = parsed.step;
  const line = (name: string): string => {
    const ref = parsed.templates.find((t) => t.name === name);
    return ref ? ` (${ref.span.file}:${ref.span.line}:${ref.span.col})` : ` (${parsed.span.file}:${parsed.span.line})`;
  };
  try {
    const rawPath = s.path ?? '';
    // Tokens go only to the API's own gateways: a step cannot name another host.
    if (/^[a-z][a-z0-9+.-]*:/i.test(rawPath) || rawPath.startsWith('//') || !rawPath.startsWith('/')) {
      return { error: { code: 'refused', message: `path "${rawPath}" must start with a single "/": steps are sent only to the configured gateway` } };
    }
    const p = renderPath(rawPath, e.lookup);
    const base = ctx.gateway === 'fallback' ? ctx.api.fallbackUrl : ctx.api.baseUrl;
    if (!base) return { error: { code: 'refused', message: `API "${ctx.api.name}" has no ${ctx.gateway} gateway configured` } };
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(s.params ?? {})) query.append(k, renderString(String(v), e.lookup, `params.${k}`));
    const qs = query.toString();
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(s.headers ?? {})) headers[k] = renderString(String(v), e.lookup, `headers.${k}`);
    if (token) headers[token.auth.header] = authHeaderValue(token.auth, token.value);
    let body: string | undefined;
    if (s.body !== undefined) {
      const rendered = renderValue(s.body, e.lookup, 'the body');
      body = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const retry = typeof s.retry === 'number' ? { attempts: s.retry } : s.retry;
    return {
      method: (s.method ?? 'GET').toUpperCase(),
      url: `${base}${p}${qs ? `?${qs}` : ''}`,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
      ...(s.followRedirects ? { followRedirects: true } : {}),
      credentialHeaders: [token?.auth.header ?? 'Authorization', 'Cookie'],
      ...(retry ? { retry } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    };
  } catch (err) {
    if (err instanceof TemplateError) return { error: { code: 'template', message: `${err.message}${line(err.variable)}` } };
    throw err;
  }
}

async function conformance(parsed: ParsedStep, e: StepEnv, o: { request: HttpRequest; view: ResponseView; assertions: AssertionResult[] }): Promise<void> {
  const c = e.ctx.conformance;
  const swagger = e.spec.doc.frontMatter.swagger;
  if (!c || c.mode === 'off' || typeof swagger !== 'string') return;
  const base = e.ctx.gateway === 'fallback' ? e.ctx.api.fallbackUrl : e.ctx.api.baseUrl;
  const url = new URL(o.request.url);
  const basePath = base ? new URL(base).pathname.replace(/\/$/, '') : '';
  const sentPath = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  const json = o.view.json();
  const type = o.view.response.headers['content-type'];
  let found: Finding[];
  try {
    found = await c.checker.check({
      specFile: e.spec.file,
      specAbsPath: e.spec.absPath,
      swagger,
      stepId: parsed.step.id,
      method: o.request.method,
      pathTemplate: parsed.step.path ?? '',
      path: sentPath || '/',
      query: Object.fromEntries(url.searchParams),
      status: o.view.response.status,
      ...(type ? { contentType: type } : {}),
      ...(json.ok ? { body: json.value } : {}),
      bodyText: o.view.snippet(2000),
    });
  } catch (err) {
    found = [{ stepId: parsed.step.id, aspect: 'operation', documented: swagger, actual: `the OpenAPI check failed: ${(err as Error).message}`, severity: 'warning' }];
  }
  for (const f of found) {
    const finding: Finding = { ...f, actual: e.ctx.redact(f.actual), evidence: f.evidence === undefined ? undefined : e.ctx.redact(f.evidence), severity: c.mode === 'error' ? 'error' : 'warning' } as Finding;
    if (finding.evidence === undefined) delete finding.evidence;
    e.findings.push(finding);
    if (c.mode === 'error') {
      o.assertions.push({ kind: 'conformance', target: f.aspect, op: 'documented', expected: f.documented, actual: f.actual, passed: false, message: `OpenAPI: ${f.documented} vs ${f.actual}` });
    }
  }
}
