import { failedWriteBacks } from '../result/write-back-failures.js';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type {
  AssertionResult,
  Finding,
  RunResult,
  SpecResult,
  StepErrorCode,
  StepResult,
  WriteBackResult,
} from '../result/result.js';
import {
  REPORT_SCHEMA_VERSION,
  type ReportAssertion,
  type ReportFinding,
  type ReportJson,
  type ReportSpec,
  type ReportStep,
  type ReportWriteBack,
} from './report-schema.js';

export const TOOL_NAME = 'endpoint-verify';

let cachedVersion: string | undefined;
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
      cachedVersion = pkg.version ?? '0.0.0';
    } catch {
      cachedVersion = '0.0.0';
    }
  }
  return cachedVersion;
}

/** RunResult to the documented JSON form (see report-schema.ts). */
export function toReportJson(result: RunResult): ReportJson {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: toolVersion() },
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    environment: result.environment,
    interrupted: result.interrupted,
    summary: { ...result.summary },
    specs: result.specs.map(specJson),
    reuseWrites: (result.reuseWrites ?? []).map((r) => ({ file: r.file, delta: r.delta, writeBack: writeBackJson(r.writeBack) })),
    writeBackFailures: failedWriteBacks(result).length,
  };
}

export function renderJson(result: RunResult): string {
  return `${JSON.stringify(toReportJson(result), null, 2)}\n`;
}

function specJson(s: SpecResult): ReportSpec {
  return {
    file: s.file,
    endpoint: s.endpoint,
    domain: s.domain ?? null,
    tags: s.tags ?? [],
    api: s.api,
    verdict: s.verdict,
    reason: s.reason ?? null,
    gateway: s.gateway,
    tokenType: s.tokenType ?? null,
    durationMs: s.durationMs,
    previousVerifiedAt: s.previousVerifiedAt ?? null,
    previousStatus: s.previousStatus ?? null,
    gatewayAttempts: s.gatewayAttempts?.map((g) => ({ gateway: g.gateway, verdict: g.verdict, reason: g.reason ?? null })) ?? null,
    tokenMatrix: s.tokenMatrix?.map((t) => ({ tokenType: t.tokenType, verdict: t.verdict, reason: t.reason ?? null })) ?? null,
    findings: s.findings.map(findingJson),
    writeBack: s.writeBack ? writeBackJson(s.writeBack) : null,
    steps: s.steps.map(stepJson),
    ...(s.diagnostics?.length
      ? {
          diagnostics: s.diagnostics.map((d) => ({
            code: d.code,
            severity: d.severity,
            message: d.message,
            hint: d.hint ?? null,
            file: d.span?.file ?? null,
            line: d.span?.line ?? null,
            col: d.span?.col ?? null,
          })),
        }
      : {}),
    ...(s.docs?.length ? { docs: s.docs.map((t) => ({ kind: t.kind, line: t.line, before: t.before, after: t.after, status: t.status, ...(t.diff !== undefined ? { diff: t.diff } : {}) })) } : {}),
  };
}

function stepJson(s: StepResult): ReportStep {
  return {
    id: s.id,
    phase: s.phase,
    outcome: s.outcome,
    line: Math.max(1, s.span.line),
    col: Math.max(1, s.span.col),
    description: s.description ?? null,
    method: s.method,
    url: s.url,
    gateway: s.gateway,
    tokenType: s.tokenType ?? null,
    status: s.status ?? null,
    durationMs: s.durationMs,
    attempts: s.attempts,
    assertions: s.assertions.map(assertionJson),
    extracted: { ...s.extracted },
    requestHeaders: s.requestHeaders ? { ...s.requestHeaders } : null,
    responseSnippet: s.responseSnippet ?? null,
    requestBody: s.requestBody ?? null,
    responseContentType: s.responseContentType ?? null,
    error: s.error ? { code: s.error.code, message: s.error.message } : null,
    skipReason: s.skipReason ?? null,
  };
}

function assertionJson(a: AssertionResult): ReportAssertion {
  const out: ReportAssertion = {
    kind: a.kind,
    target: a.target ?? null,
    op: a.op,
    passed: a.passed,
    message: a.message ?? null,
    line: a.span ? Math.max(1, a.span.line) : null,
    col: a.span ? Math.max(1, a.span.col) : null,
  };
  // undefined means "no value" and must stay distinguishable from null.
  if (a.expected !== undefined) out.expected = jsonSafe(a.expected);
  if (a.actual !== undefined) out.actual = jsonSafe(a.actual);
  return out;
}

function findingJson(f: Finding): ReportFinding {
  return {
    stepId: f.stepId,
    aspect: f.aspect,
    documented: f.documented,
    actual: f.actual,
    pointer: f.pointer ?? null,
    evidence: f.evidence ?? null,
    severity: f.severity,
  };
}

function writeBackJson(w: WriteBackResult): ReportWriteBack {
  return { outcome: w.outcome, message: w.message ?? null, changes: w.changes ? { ...w.changes } : null };
}

/** Values from YAML/JSON are JSON already; anything else (a RegExp, a bigint) becomes its string. */
function jsonSafe(v: unknown): unknown {
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    return s === undefined ? String(v) : (JSON.parse(s) as unknown);
  } catch {
    return String(v);
  }
}

/** The inverse of toReportJson, for `report merge`: the doc must have been validated against the schema. */
export function fromReportJson(doc: ReportJson): RunResult {
  const result: RunResult = {
    startedAt: doc.startedAt,
    finishedAt: doc.finishedAt,
    environment: doc.environment,
    interrupted: doc.interrupted,
    // error and invalid are absent from reports written before those outcomes existed.
    summary: { error: 0, invalid: 0, ...doc.summary },
    specs: doc.specs.map(specFromJson),
  };
  if (doc.reuseWrites.length > 0) {
    result.reuseWrites = doc.reuseWrites.map((r) => ({ file: r.file, delta: r.delta, writeBack: writeBackFromJson(r.writeBack) }));
  }
  return result;
}

function specFromJson(s: ReportSpec): SpecResult {
  const out: SpecResult = {
    file: s.file,
    endpoint: s.endpoint,
    api: s.api,
    verdict: s.verdict,
    gateway: s.gateway,
    durationMs: s.durationMs,
    steps: s.steps.map((st) => stepFromJson(st, s.file)),
    findings: s.findings.map(findingFromJson),
  };
  if (s.domain !== null) out.domain = s.domain;
  if (s.tags.length > 0) out.tags = [...s.tags];
  if (s.reason !== null) out.reason = s.reason;
  if (s.diagnostics?.length) {
    out.diagnostics = s.diagnostics.map((d) => {
      const x: Diagnostic = { code: d.code, severity: d.severity, message: d.message };
      if (d.hint !== null) x.hint = d.hint;
      if (d.file !== null && d.line !== null) x.span = { file: d.file, line: d.line, col: d.col ?? 1 };
      return x;
    });
  }
  if (s.tokenType !== null) out.tokenType = s.tokenType;
  if (s.previousVerifiedAt !== null) out.previousVerifiedAt = s.previousVerifiedAt;
  if (s.previousStatus !== null) out.previousStatus = s.previousStatus;
  if (s.gatewayAttempts !== null) {
    out.gatewayAttempts = s.gatewayAttempts.map((g) => (g.reason === null ? { gateway: g.gateway, verdict: g.verdict } : { gateway: g.gateway, verdict: g.verdict, reason: g.reason }));
  }
  if (s.tokenMatrix !== null) {
    out.tokenMatrix = s.tokenMatrix.map((t) => (t.reason === null ? { tokenType: t.tokenType, verdict: t.verdict } : { tokenType: t.tokenType, verdict: t.verdict, reason: t.reason }));
  }
  if (s.writeBack !== null) out.writeBack = writeBackFromJson(s.writeBack);
  if (s.docs?.length) out.docs = s.docs.map((t) => ({ ...t }));
  return out;
}

function stepFromJson(s: ReportStep, file: string): StepResult {
  const out: StepResult = {
    id: s.id,
    phase: s.phase,
    outcome: s.outcome,
    span: { file, line: s.line, col: s.col },
    method: s.method,
    url: s.url,
    gateway: s.gateway,
    durationMs: s.durationMs,
    attempts: s.attempts,
    assertions: s.assertions.map((a) => {
      const r: AssertionResult = { kind: a.kind as AssertionResult['kind'], op: a.op, expected: a.expected, actual: a.actual, passed: a.passed };
      if (a.target !== null) r.target = a.target;
      if (a.message !== null) r.message = a.message;
      if (a.line !== undefined && a.line !== null) r.span = { file, line: a.line, col: a.col ?? 1 };
      return r;
    }),
    extracted: { ...s.extracted },
  };
  if (s.description !== null) out.description = s.description;
  if (s.tokenType !== null) out.tokenType = s.tokenType;
  if (s.status !== null) out.status = s.status;
  if (s.requestHeaders !== null) out.requestHeaders = { ...s.requestHeaders };
  if (s.responseSnippet !== null) out.responseSnippet = s.responseSnippet;
  if (s.requestBody !== undefined && s.requestBody !== null) out.requestBody = s.requestBody;
  if (s.responseContentType !== null) out.responseContentType = s.responseContentType;
  if (s.error !== null) out.error = { code: s.error.code as StepErrorCode, message: s.error.message };
  if (s.skipReason !== null) out.skipReason = s.skipReason;
  return out;
}

function findingFromJson(f: ReportFinding): Finding {
  const out: Finding = { stepId: f.stepId, aspect: f.aspect as Finding['aspect'], documented: f.documented, actual: f.actual, severity: f.severity };
  if (f.pointer !== null) out.pointer = f.pointer;
  if (f.evidence !== null) out.evidence = f.evidence;
  return out;
}

function writeBackFromJson(w: ReportWriteBack): WriteBackResult {
  const out: WriteBackResult = { outcome: w.outcome };
  if (w.message !== null) out.message = w.message;
  if (w.changes !== null) out.changes = { ...w.changes };
  return out;
}
