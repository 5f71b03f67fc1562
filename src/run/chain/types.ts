import type { Redactor } from '../../secret/index.js';
import type { VarValue } from '../../config/types.js';
import type { ApiConfig, Environment } from '../../config/types.js';
import type { ConformanceChecker } from '../../openapi/types.js';
import type { Finding, Gateway, StepError, StepResult, Verdict } from '../../result/result.js';
import type { TokenProviders } from '../token/providers.js';
import type { UseOutcome } from '../use-registry.js';

/**
 * Contracts between the chain runner (one spec), the HTTP client and the
 * scheduler (many specs). Kept apart from their implementations so each can
 * be tested with a small fake of the others.
 */

/** The run's redactor: its owner is src/secret/. */
export type { Redactor } from '../../secret/index.js';

export interface HttpRequest {
  method: string;
  /** Absolute URL, already templated and encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Overall deadline for this attempt, request to last body byte. */
  timeoutMs?: number;
  /** Follow redirects (off by default); a cross-origin hop drops `credentialHeaders`. */
  followRedirects?: boolean;
  /** Header names that carry credentials (the auth header, Cookie...). */
  credentialHeaders?: string[];
  /**
   * Retries on network errors, 502, 503 and 504. Applied only to GET, HEAD
   * and OPTIONS, or to another method that sends an Idempotency-Key header.
   */
  retry?: { attempts: number; backoffMs?: number };
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decoded body text (undefined for HEAD and empty bodies). */
  bodyText: string;
  bodyBytes: number;
  /** The URL of the final response (differs from the request after redirects). */
  finalUrl: string;
}

export type HttpOutcome =
  | { ok: true; response: HttpResponse; attempts: number; durationMs: number }
  | { ok: false; error: StepError; attempts: number; durationMs: number; status?: number };

export interface HttpClient {
  /** Never throws: every failure is an `HttpOutcome` with a StepError. */
  request(req: HttpRequest): Promise<HttpOutcome>;
  close(): Promise<void>;
}

export interface ChainContext {
  /** The API this spec runs against (gateways, auth, tokens, vars). */
  api: ApiConfig;
  environment: Environment;
  /** Where tokens and variables are read from. */
  env: Record<string, string | undefined>;
  /** Which gateway every step of this run goes to. */
  gateway: Gateway;
  http: HttpClient;
  redact: Redactor;
  /** Runs a `use:` target (absolute path) once per run and returns its variables. */
  runUse(absPath: string): Promise<UseOutcome>;
  /** --var values; they win over every other variable. */
  cliVars?: Record<string, VarValue>;
  /** False: a passed step gets no response snippet; only failures are shown. Default true. */
  passedSnippets?: boolean;
  /** Fetches the tokens of types that have a provider (oauth2, login); shared by the whole run. */
  tokens?: TokenProviders;
  /** How much of a failed step's response and request body results keep, in characters. Default 65536. */
  keepBodyChars?: number;
  /** --token-matrix: use this token type instead of the spec's preference. */
  forceTokenType?: string;
  now?: () => Date;
  conformance?: { mode: 'off' | 'warn' | 'error'; checker: ConformanceChecker };
  signal?: AbortSignal;
  onStep?(step: StepResult): void;
}

export interface ChainResult {
  verdict: Verdict;
  /** One line saying why, when not verified ("prerequisite get_client failed: status 500"). */
  reason?: string;
  steps: StepResult[];
  findings: Finding[];
  /** Variables at the end of the chain (for specs that `use:` this one). */
  vars: Record<string, unknown>;
  durationMs: number;
  /** The token type the chain sent (the first of the spec's `tokens` that is configured). */
  tokenType?: string;
}
