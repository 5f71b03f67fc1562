import type { AssertionResult, Finding, RunResult, SpecResult, StepResult } from '../../result/result.js';
import { diagnosticLines, formatAge, formatDuration, formatValue, oneLine, pointerLines, specReason, stripEscapes } from '../format.js';

/**
 * The data the page's script renders the spec table from. Everything is a
 * ready-to-show string (formatted, control characters made visible), so the
 * script only ever puts it into textContent.
 */
export interface ClientData {
  specs: ClientSpec[];
}

export interface ClientSpec {
  verdict: string;
  endpoint: string;
  file: string;
  domain: string;
  api: string;
  gateway: string;
  fallback: boolean;
  tokenType: string;
  durationMs: number;
  duration: string;
  /** Last successful verification (this run's when it verified), ISO; "" for never. */
  verifiedAt: string;
  /** Milliseconds since verifiedAt, or -1 for never (the script sorts never last). */
  ageMs: number;
  age: string;
  reason: string;
  /** For invalid specs: "file:line:col: error[code]: message (hint: ...)", one per diagnostic. */
  diagnostics: string[];
  writeBack: string;
  gatewayAttempts: string[][];
  tokenMatrix: string[][];
  steps: ClientStep[];
  /** Findings whose step is not in the chain. */
  findings: string[][];
}

export interface ClientStep {
  id: string;
  phase: string;
  outcome: string;
  method: string;
  url: string;
  status: string;
  durationMs: number;
  duration: string;
  meta: string;
  description: string;
  error: string;
  skipReason: string;
  snippet: string;
  requestBody: string;
  /** [kind, target, op, expected, actual, "pass" | "fail", message] */
  assertions: string[][];
  /** For each failed assertion with a place in the spec: the hurl-style pointer at its line. */
  pointers: string[];
  extracted: string[][];
  headers: string[][];
  /** [aspect, documented, actual, pointer, evidence, severity] */
  findings: string[][];
}

const t = (s: string | undefined): string => (s === undefined ? '' : stripEscapes(s));

/** When a spec was last verified, as far as this run knows. */
export function lastVerifiedAt(spec: SpecResult, run: RunResult): string | undefined {
  if (spec.verdict !== 'verified') return spec.previousVerifiedAt;
  const written = spec.writeBack?.changes?.verifiedAt;
  // Not written back (--no-write, a merged shard): the run's end is when it verified.
  return typeof written === 'string' ? written : run.finishedAt;
}

export function ageText(ageMs: number): string {
  if (ageMs < 0) return 'never';
  if (ageMs < 60_000) return 'just now';
  return `${formatAge(ageMs)} ago`;
}

function assertion(a: AssertionResult): string[] {
  return [a.kind, t(a.target), a.op, formatValue(a.expected, 500), formatValue(a.actual, 500), a.passed ? 'pass' : 'fail', t(a.message)];
}

function finding(f: Finding): string[] {
  return [f.aspect, t(f.documented), t(f.actual), t(f.pointer), t(f.evidence), f.severity];
}

type Sources = ((file: string) => string | undefined) | undefined;

function sourceLine(sources: Sources, file: string, line: number): string | undefined {
  const text = sources?.(file);
  if (text === undefined) return undefined;
  return text.split(/\r\n|\r|\n/)[line - 1];
}

function step(s: StepResult, findings: Finding[], sources: Sources): ClientStep {
  const meta = [
    s.gateway === 'fallback' ? 'fallback gateway' : '',
    s.tokenType ? `token ${s.tokenType}` : '',
    s.attempts > 1 ? `${s.attempts} attempts` : '',
    s.responseContentType ? oneLine(s.responseContentType) : '',
    `line ${s.span.line}`,
  ].filter(Boolean);
  return {
    id: t(s.id),
    phase: s.phase,
    outcome: s.outcome,
    method: t(s.method),
    url: t(s.url),
    status: s.status === undefined ? '' : String(s.status),
    durationMs: Math.max(0, s.durationMs),
    duration: formatDuration(s.durationMs),
    meta: meta.join(' · '),
    description: t(s.description),
    error: s.error ? `${s.error.code}: ${t(s.error.message)}` : '',
    skipReason: t(s.skipReason),
    snippet: t(s.responseSnippet),
    requestBody: t(s.requestBody),
    assertions: s.assertions.map(assertion),
    pointers: s.assertions
      .filter((a) => !a.passed && a.span)
      .map((a) => pointerLines(a, sourceLine(sources, a.span!.file, a.span!.line)).join('\n'))
      .filter((p) => p !== ''),
    extracted: Object.entries(s.extracted).map(([k, v]) => [t(k), t(v)]),
    headers: Object.entries(s.requestHeaders ?? {}).map(([k, v]) => [t(k), t(v)]),
    findings: findings.filter((f) => f.stepId === s.id).map(finding),
  };
}

function spec(s: SpecResult, run: RunResult, now: number, sources: Sources): ClientSpec {
  const verifiedAt = lastVerifiedAt(s, run);
  const at = verifiedAt === undefined ? NaN : Date.parse(verifiedAt);
  const ageMs = Number.isNaN(at) ? -1 : Math.max(0, now - at);
  const stepIds = new Set(s.steps.map((x) => x.id));
  const wb = s.writeBack;
  return {
    verdict: s.verdict,
    endpoint: t(s.endpoint),
    file: t(s.file),
    domain: t(s.domain),
    api: t(s.api),
    gateway: s.gateway,
    fallback: s.gateway === 'fallback',
    tokenType: t(s.tokenType),
    durationMs: Math.max(0, s.durationMs),
    duration: formatDuration(s.durationMs),
    verifiedAt: Number.isNaN(at) ? '' : new Date(at).toISOString(),
    ageMs,
    age: ageText(ageMs),
    reason: s.verdict === 'verified' ? t(s.reason) : specReason(s),
    diagnostics: diagnosticLines(s),
    writeBack: wb ? [wb.outcome, wb.message ? oneLine(wb.message) : ''].filter(Boolean).join(': ') : '',
    gatewayAttempts: (s.gatewayAttempts ?? []).map((a) => [a.gateway, a.verdict, t(a.reason)]),
    tokenMatrix: (s.tokenMatrix ?? []).map((r) => [t(r.tokenType), r.verdict, t(r.reason)]),
    steps: s.steps.map((x) => step(x, s.findings, sources)),
    findings: s.findings.filter((f) => !stepIds.has(f.stepId)).map((f) => [t(f.stepId), ...finding(f)]),
  };
}

export function clientData(run: RunResult, now: number, sources?: (file: string) => string | undefined): ClientData {
  return { specs: run.specs.map((s) => spec(s, run, now, sources)) };
}
