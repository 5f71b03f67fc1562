/**
 * The JSON report format: its TypeScript shape and the JSON Schema published
 * as docs/report.schema.json (printed by `endpoint-verify schema --report`).
 * Every key is always present (null when there is nothing to say) so that
 * consumers can rely on the shape; the version changes only with a breaking
 * change, and `report merge` refuses reports of another version.
 */

import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../diagnostics/codes.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportAssertion {
  kind: string;
  target: string | null;
  op: string;
  /** Absent when there was no value (e.g. a JSONPath that matched nothing). */
  expected?: unknown;
  actual?: unknown;
  passed: boolean;
  message: string | null;
  /** Where the expectation is written (1-based), null when no line asks for the check (absent in older reports). */
  line?: number | null;
  col?: number | null;
}

export interface ReportStep {
  id: string;
  phase: 'prerequisites' | 'test' | 'cleanup';
  outcome: 'passed' | 'failed' | 'skipped';
  line: number;
  col: number;
  description: string | null;
  method: string;
  url: string;
  gateway: 'primary' | 'fallback';
  tokenType: string | null;
  status: number | null;
  durationMs: number;
  attempts: number;
  assertions: ReportAssertion[];
  extracted: Record<string, string>;
  requestHeaders: Record<string, string> | null;
  responseSnippet: string | null;
  /** Absent in reports written before it existed. */
  requestBody?: string | null;
  responseContentType: string | null;
  error: { code: string; message: string } | null;
  skipReason: string | null;
}

export interface ReportFinding {
  stepId: string;
  aspect: string;
  documented: string;
  actual: string;
  pointer: string | null;
  evidence: string | null;
  severity: 'warning' | 'error';
}

export interface ReportWriteBack {
  outcome: 'written' | 'unchanged' | 'conflict' | 'refused' | 'error' | 'skipped';
  message: string | null;
  changes: Record<string, string | number | boolean> | null;
}

export type ReportVerdict = 'verified' | 'failing' | 'blocked' | 'error' | 'invalid' | 'skipped';

export interface ReportDiagnostic {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  message: string;
  hint: string | null;
  /** Null when the problem has no place in a file (a config problem). */
  file: string | null;
  line: number | null;
  col: number | null;
}

export interface ReportSpec {
  file: string;
  endpoint: string;
  domain: string | null;
  tags: string[];
  api: string;
  verdict: ReportVerdict;
  reason: string | null;
  /** Why an `invalid` spec could not run (absent otherwise). */
  diagnostics?: ReportDiagnostic[];
  gateway: 'primary' | 'fallback';
  tokenType: string | null;
  durationMs: number;
  previousVerifiedAt: string | null;
  previousStatus: string | null;
  gatewayAttempts: { gateway: 'primary' | 'fallback'; verdict: ReportVerdict; reason: string | null }[] | null;
  tokenMatrix: { tokenType: string; verdict: ReportVerdict | 'unavailable'; reason: string | null }[] | null;
  findings: ReportFinding[];
  writeBack: ReportWriteBack | null;
  steps: ReportStep[];
  /** With --update-docs / --check-docs: the spec's owned tables; absent otherwise (and in reports written before it existed). */
  docs?: { kind: string; line: number; before: string; after: string; status: 'updated' | 'unchanged' | 'stale' | 'not-written'; diff?: string }[];
}

export interface ReportJson {
  schemaVersion: number;
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  environment: string;
  interrupted: boolean;
  summary: { total: number; verified: number; failing: number; blocked: number; error?: number; invalid?: number; skipped: number; durationMs: number };
  specs: ReportSpec[];
  reuseWrites: { file: string; delta: number; writeBack: ReportWriteBack }[];
  /** Write-backs (specs and reuseWrites) that did not record the verdict: conflict, refused, error. */
  writeBackFailures?: number;
}

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const verdict = {
  enum: ['verified', 'failing', 'blocked', 'error', 'invalid', 'skipped'],
  description: 'see docs/results.md, Outcomes; only verified, failing and blocked are written into the spec file',
} as const;
const gateway = { enum: ['primary', 'fallback'], description: 'primary = baseUrl, fallback = fallbackUrl' } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

function obj(properties: Record<string, object>, optional: string[] = []): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const writeBack = obj({
  outcome: {
    enum: ['written', 'unchanged', 'conflict', 'refused', 'error', 'skipped'],
    description: 'conflict: the file changed during the run and was not updated; refused: read-only, symlink out of the roots; error: I/O error',
  },
  message: nullableStr,
  changes: {
    type: ['object', 'null'],
    additionalProperties: { type: ['string', 'number', 'boolean'] },
    description: 'front-matter keys written and their new values',
  },
});

export const reportJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'endpoint-verify JSON report',
  description: 'Written by `endpoint-verify verify --reporter json:<file>` and `report merge`. All values are redacted.',
  ...obj({
    schemaVersion: { const: REPORT_SCHEMA_VERSION },
    tool: obj({ name: str, version: str }),
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    environment: { ...str, description: 'name of the environment the run used' },
    interrupted: { type: 'boolean', description: 'true when Ctrl-C or a signal stopped the run early' },
    summary: obj({ total: count, verified: count, failing: count, blocked: count, error: count, invalid: count, skipped: count, durationMs: ms }, ['error', 'invalid']),
    specs: { type: 'array', items: { $ref: '#/$defs/spec' } },
    reuseWrites: {
      type: 'array',
      description: 'timesReused bumps of specs used by other specs (use:)',
      items: obj({ file: str, delta: count, writeBack: { $ref: '#/$defs/writeBack' } }),
    },
    writeBackFailures: { ...count, description: 'write-backs (specs and reuseWrites) whose outcome is conflict, refused or error: the run exits 3' },
  }, ['writeBackFailures']),
  $defs: {
    writeBack,
    spec: obj({
      file: { ...str, description: 'path of the spec file relative to the working directory' },
      endpoint: str,
      domain: nullableStr,
      tags: { type: 'array', items: str },
      api: str,
      verdict,
      reason: { ...nullableStr, description: 'one line saying why, for every verdict but verified' },
      gateway,
      tokenType: nullableStr,
      durationMs: ms,
      previousVerifiedAt: nullableStr,
      previousStatus: nullableStr,
      gatewayAttempts: {
        type: ['array', 'null'],
        description: 'with --fallback auto: the primary attempt and the fallback retry',
        items: obj({ gateway, verdict, reason: nullableStr }),
      },
      tokenMatrix: {
        type: ['array', 'null'],
        description: 'with --token-matrix: the verdict per token type',
        items: obj({ tokenType: str, verdict: { enum: [...verdict.enum, 'unavailable'] }, reason: nullableStr }),
      },
      findings: { type: 'array', items: { $ref: '#/$defs/finding' } },
      writeBack: { anyOf: [{ $ref: '#/$defs/writeBack' }, { type: 'null' }] },
      steps: { type: 'array', items: { $ref: '#/$defs/step' } },
      diagnostics: {
        type: 'array',
        description: 'why an invalid spec could not run: parse, lint or config problems (docs/diagnostics.md)',
        items: obj({
          code: { enum: Object.keys(DIAGNOSTIC_CODES), description: 'one of the codes listed in docs/diagnostics.md' },
          severity: { enum: ['error', 'warning'] },
          message: str,
          hint: nullableStr,
          file: nullableStr,
          line: { type: ['integer', 'null'] },
          col: { type: ['integer', 'null'] },
        }),
      },
      docs: {
        type: 'array',
        description: 'with --update-docs / --check-docs: the owned Markdown tables of the spec file, their text before and after, and what became of them; absent otherwise',
        items: obj({
          kind: { ...str, description: 'auth, responses or discrepancies' },
          line: { type: 'integer', description: '1-based line of the opening marker' },
          before: str,
          after: str,
          status: { enum: ['updated', 'unchanged', 'stale', 'not-written'] },
          diff: { ...str, description: 'for a table that changed: a unified diff with the file\'s line numbers' },
        }, ['diff']),
      },
    }, ['diagnostics', 'docs']),
    finding: obj({
      stepId: str,
      aspect: { ...str, description: 'status, schema, parameter, content-type or operation' },
      documented: { ...str, description: 'what the OpenAPI document says' },
      actual: { ...str, description: 'what the API did' },
      pointer: nullableStr,
      evidence: nullableStr,
      severity: { enum: ['warning', 'error'] },
    }),
    step: obj({
      id: str,
      phase: { enum: ['prerequisites', 'test', 'cleanup'] },
      outcome: { enum: ['passed', 'failed', 'skipped'] },
      line: { type: 'integer', minimum: 1, description: '1-based line of the step in the spec file' },
      col: { type: 'integer', minimum: 1 },
      description: nullableStr,
      method: str,
      url: { ...str, description: 'full URL as sent, redacted' },
      gateway,
      tokenType: nullableStr,
      status: { type: ['integer', 'null'], description: 'HTTP status, null when no response arrived' },
      durationMs: ms,
      attempts: count,
      assertions: { type: 'array', items: { $ref: '#/$defs/assertion' } },
      extracted: { ...stringMap, description: 'variables the step extracted, secret-looking values redacted' },
      requestHeaders: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
      responseSnippet: { ...nullableStr, description: 'the redacted response body, whitespace collapsed: up to 64 KiB (--keep-body) for a failed step, 300 characters for a passed one' },
      requestBody: { ...nullableStr, description: 'the redacted request body as sent, with the same caps; null when none was sent' },
      responseContentType: nullableStr,
      error: {
        anyOf: [obj({ code: { ...str, description: 'template, token, network, timeout, too-large, rate-limited, redirect, refused, use, interrupted' }, message: str }), { type: 'null' }],
      },
      skipReason: nullableStr,
    }, ['requestBody']),
    assertion: obj(
      {
        kind: { ...str, description: 'status, body, header, maxMs, schema, extract or conformance' },
        target: { ...nullableStr, description: 'JSONPath, header or variable name' },
        op: str,
        expected: { description: 'any JSON value; absent when there was none' },
        actual: { description: 'any JSON value; absent when there was none (e.g. nothing matched)' },
        passed: { type: 'boolean' },
        message: nullableStr,
        line: { type: ['integer', 'null'], minimum: 1, description: 'line of the expectation in the spec file; null when no line asks for the check' },
        col: { type: ['integer', 'null'], minimum: 1 },
      },
      ['expected', 'actual', 'line', 'col'],
    ),
  },
};
