import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../source/span.js';
import type { Phase } from '../specfile/model.js';

/**
 * The result of a run: plain data, the contract every reporter renders.
 * Everything in here is already redacted (tokens and secret-looking extracted
 * values are "***"), so a reporter can print any field as it is.
 * Documented for users in docs/results.md; the JSON reporter publishes it
 * with a JSON Schema.
 */

/**
 * What a run learned about a spec's documentation (docs/results.md, "Outcomes").
 * Only `verified`, `failing` and `blocked` come from what the API answered, and
 * only they are written into the spec file.
 * - `verified`: the API answered as documented.
 * - `failing`: the API answered and contradicts the doc.
 * - `blocked`: a prerequisite failed (on an answer), so the Test Request could not be judged.
 * - `error`: nothing was learned about the doc: no HTTP answer at all (refused, DNS, TLS, reset,
 *   timeout), or nothing could be sent (a missing token).
 * - `invalid`: the spec or its config is broken (parse and lint-level errors, config problems).
 * - `skipped`: not run to the end (`--bail`, interruption).
 */
export type Verdict = 'verified' | 'failing' | 'blocked' | 'error' | 'invalid' | 'skipped';
export type StepOutcome = 'passed' | 'failed' | 'skipped';
export type Gateway = 'primary' | 'fallback';

export interface AssertionResult {
  /** What was checked. */
  kind: 'status' | 'body' | 'header' | 'maxMs' | 'schema' | 'extract' | 'conformance';
  /** JSONPath, header name or variable name, when the kind has one. */
  target?: string;
  /** Operator: "in", "equals", "exists", "type", "matches", "length", "contains", "oneOf", "<=", "valid", "found", or "evaluate" (a JSONPath that could not be evaluated). */
  op: string;
  expected: unknown;
  actual: unknown;
  passed: boolean;
  /** Human sentence for failures, e.g. "expected JSON, got text/html". */
  message?: string;
  /**
   * Where the expectation is written in the spec file: the `status: [200]` entry, the
   * `$.data: {...}` line, the extract rule. Absent for checks no line asks for (the default
   * 2xx status, OpenAPI conformance).
   */
  span?: Span;
}

export type StepErrorCode =
  | 'template' // undefined or object-valued variable, unsafe path value
  | 'token' // no token available for the step
  | 'network' // connection refused/reset, DNS, TLS
  | 'timeout' // connect/headers/overall deadline
  | 'too-large' // response over the size cap
  | 'rate-limited' // 429 with a wait longer than --max-wait
  | 'redirect' // redirect not followed/refused, or loop
  | 'refused' // request refused before sending (absolute URL, //host)
  | 'use' // a `use:` prerequisite failed or cycled
  | 'interrupted';

export interface StepError {
  code: StepErrorCode;
  message: string;
  /** For `use`: the used spec's verdict, so an outage there is an outage here too. */
  usedVerdict?: Verdict;
}

/**
 * Which verdict a step error leads to, before the phase is considered: `error` when
 * nothing was learned about the doc (no answer, nothing sent, an answer we would not
 * read), `invalid` when the spec itself cannot be turned into a request, `answered`
 * when the API's answer is what failed (the phase then makes it failing or blocked).
 * See docs/results.md, "Outcomes".
 */
export function stepErrorClass(error: StepError): 'error' | 'invalid' | 'answered' {
  switch (error.code) {
    case 'network':
    case 'timeout':
    case 'too-large':
    case 'rate-limited':
    case 'token':
    case 'interrupted':
      return 'error';
    case 'template':
    case 'refused':
      return 'invalid';
    case 'redirect':
      return 'answered';
    case 'use':
      return error.usedVerdict === 'error' || error.usedVerdict === 'skipped' ? 'error' : error.usedVerdict === 'invalid' ? 'invalid' : 'answered';
  }
}

export interface StepResult {
  id: string;
  phase: Phase;
  outcome: StepOutcome;
  /** Where the step is in the spec file, for "file:line" in reports and annotations. */
  span: Span;
  description?: string;
  method: string;
  /** Full URL as sent, redacted. */
  url: string;
  gateway: Gateway;
  tokenType?: string;
  status?: number;
  durationMs: number;
  /** How many HTTP attempts (retries included). */
  attempts: number;
  assertions: AssertionResult[];
  /** Variables this step extracted, values redacted where the name looks secret. */
  extracted: Record<string, string>;
  /** Request headers as sent, redacted. */
  requestHeaders?: Record<string, string>;
  /**
   * The redacted response body, whitespace collapsed: up to the run's body cap (64 KiB by
   * default, `--keep-body`) for a failed step, a 300-character excerpt for a passed one.
   */
  responseSnippet?: string;
  /** The redacted request body as sent, with the same caps; absent when none was sent. */
  requestBody?: string;
  responseContentType?: string;
  error?: StepError;
  /** Why a skipped step was skipped ("an earlier step failed"). */
  skipReason?: string;
}

/** An OpenAPI conformance finding (see the OpenAPI issue); data, not prose. */
export interface Finding {
  stepId: string;
  aspect: 'status' | 'schema' | 'parameter' | 'content-type' | 'operation';
  /** What the OpenAPI document says. */
  documented: string;
  /** What the API did. */
  actual: string;
  /** JSON pointer into the response body (or the document), when relevant. */
  pointer?: string;
  /** Short redacted excerpt of the evidence. */
  evidence?: string;
  severity: 'warning' | 'error';
}

export interface WriteBackResult {
  outcome: 'written' | 'unchanged' | 'conflict' | 'refused' | 'error' | 'skipped';
  message?: string;
  /** The keys and new values written. */
  changes?: Record<string, string | number | boolean>;
}

export interface GatewayAttempt {
  gateway: Gateway;
  verdict: Verdict;
  /** Why the attempt did not verify (redacted). */
  reason?: string;
}

export interface TokenMatrixRow {
  tokenType: string;
  verdict: Verdict | 'unavailable';
  reason?: string;
}

export interface SpecResult {
  file: string;
  endpoint: string;
  domain?: string;
  tags?: string[];
  /** Name of the API (from the environment) this spec ran against. */
  api: string;
  verdict: Verdict;
  /** One line saying why, for every verdict but verified ("prerequisite get_client failed: status 500"). */
  reason?: string;
  /** For `invalid`: what is wrong with the spec or its config (parse, lint or config diagnostics). */
  diagnostics?: Diagnostic[];
  /** Gateway the verdict was reached on. */
  gateway: Gateway;
  tokenType?: string;
  durationMs: number;
  steps: StepResult[];
  /** With --fallback auto: the primary attempt and the fallback retry. */
  gatewayAttempts?: GatewayAttempt[];
  tokenMatrix?: TokenMatrixRow[];
  findings: Finding[];
  /** verifiedAt as it was in the front-matter before the run (for freshness). */
  previousVerifiedAt?: string;
  previousStatus?: string;
  writeBack?: WriteBackResult;
  /** With --update-docs / --check-docs: the spec's owned tables, before and after (docs/spec-format.md, "Owned tables"). */
  docs?: SpecDocsTable[];
}

/**
 * One owned table of a spec: `updated` (written with the verdict), `unchanged`, `stale` (differs
 * from what the run observed; --check-docs writes nothing), `not-written` (the write-back did not
 * happen: see `writeBack`).
 */
export interface SpecDocsTable {
  kind: string;
  /** 1-based line of the table's opening marker. */
  line: number;
  before: string;
  after: string;
  status: 'updated' | 'unchanged' | 'stale' | 'not-written';
  /** For a table that changed: a unified diff of the spec file (this table only, file line numbers). */
  diff?: string;
}

export interface RunSummary {
  total: number;
  verified: number;
  failing: number;
  blocked: number;
  error: number;
  invalid: number;
  skipped: number;
  durationMs: number;
}

/** Per (API, type): what the run did, for reports. */
export interface TokenProviderStats {
  api: string;
  tokenType: string;
  provider: string;
  /** Token requests made (the first one included). */
  fetches: number;
  /** Of those, made because the API answered 401 with the cached token. */
  after401: number;
  /** Of those, made because the cached token was about to expire. */
  beforeExpiry: number;
}

export interface RunResult {
  startedAt: string;
  finishedAt: string;
  environment: string;
  summary: RunSummary;
  specs: SpecResult[];
  /** True when Ctrl-C (or a signal) stopped the run early. */
  interrupted: boolean;
  /**
   * `timesReused` bumps for specs used by other specs (`use:`), written once
   * per used file at the end of the run. Absent when nothing was written.
   */
  reuseWrites?: ReuseWrite[];
  /** Token types fetched by a provider (oauth2, login): how often each was fetched, and why. */
  tokenProviders?: TokenProviderStats[];
}

export interface ReuseWrite {
  file: string;
  /** Distinct specs that used this one in the run. */
  delta: number;
  writeBack: WriteBackResult;
}

/** Live progress, for reporters that draw while the run goes. */
export type RunEvent =
  | { type: 'run-start'; total: number }
  | { type: 'spec-start'; file: string; endpoint: string }
  | { type: 'step-end'; file: string; step: StepResult }
  | { type: 'spec-end'; result: SpecResult }
  | { type: 'run-end'; result: RunResult };

export function summarize(specs: readonly SpecResult[], durationMs: number): RunSummary {
  const s: RunSummary = { total: specs.length, verified: 0, failing: 0, blocked: 0, error: 0, invalid: 0, skipped: 0, durationMs };
  for (const r of specs) s[r.verdict]++;
  return s;
}
