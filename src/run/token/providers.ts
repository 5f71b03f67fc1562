import type { Dispatcher } from 'undici';
import { loadUndici } from '../../lazy.js';
import { describeProvider, type OAuth2Provider, type TokenProvider, type ValueSource } from '../../config/token-provider.js';
import { addToken } from '../../secret/index.js';
import type { ApiConfig, AuthConfig } from '../../config/types.js';
import type { StepError, TokenProviderStats } from '../../result/result.js';
import { loadJose, loadOpenidClient } from '../../lazy.js';

/**
 * Fetches, caches and refreshes the tokens of token types that have a
 * provider (token-provider.ts). One instance per run:
 *
 * - one fetch per (API, type) however many specs ask at once: concurrent
 *   callers share the request in flight;
 * - a token is reused until shortly before it expires (`expires_in` from the
 *   token response, else the JWT's `exp` claim, else until a 401);
 * - after a 401, `refresh` fetches once more; every caller that saw the same
 *   rejected token shares that one refetch;
 * - every secret it reads or receives (client secret, password, refresh
 *   token, access token) goes to the run's redactor before it is used.
 *
 * OAuth2 requests use openid-client (RFC 6749 grants, error responses) with
 * the run's undici dispatcher; a token URL is used as configured, without
 * discovery, and plain http is allowed (loopback test servers, private nets).
 */

export interface FetchedToken {
  value: string;
  /** "oauth2 client_credentials at https://…/token", for messages. */
  provider: string;
}

export type TokenAnswer = FetchedToken | { error: StepError };

/** What a login provider needs from the run: the login spec's chain result. */
export type RunLogin = (absPath: string, api: ApiConfig) => Promise<{ ok: true; vars: Record<string, unknown> } | { ok: false; reason: string }>;

/**
 * What the providers need of the run's redactor (`Redactor` in chain/types.ts): register a
 * secret before it is used, mask a message. Declared here so the chain's types, which name the
 * providers, are not needed back.
 */
export type SecretSink = ((text: string) => string) & { add(secret: string): void };

export interface TokenProvidersOptions {
  redact: SecretSink;
  env: Record<string, string | undefined>;
  /** The run's dispatcher: token requests go through it (tests point it at local servers). */
  dispatcher?: Dispatcher;
  runLogin?: RunLogin;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  now?: () => number;
  /** Token request deadline, seconds. Default 30. */
  timeoutSec?: number;
  /** The run's signal: Ctrl-C also stops a token request in flight. */
  signal?: AbortSignal;
}

interface Entry {
  api: ApiConfig;
  type: string;
  provider: TokenProvider;
  value?: string;
  /** ms epoch; undefined: valid until a 401. */
  expiresAt?: number;
  /** Fetch again this long before expiresAt. */
  skewMs: number;
  /** A refresh token the server gave (used for the next fetch, RFC 6749 §6). */
  refreshToken?: string;
  inflight?: Promise<TokenAnswer>;
  /** The current token was fetched because of a 401: a 401 to it is the API's answer, not a stale token. */
  fromRefresh: boolean;
  stats: TokenProviderStats;
}

/** A token this close to its expiry is fetched again: at most 30 s, and at most a tenth of its lifetime. */
const MAX_SKEW_MS = 30_000;

export class TokenProviders {
  readonly #o: TokenProvidersOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(opts: TokenProvidersOptions, apis: readonly ApiConfig[] = []) {
    this.#o = opts;
    this.#now = opts.now ?? Date.now;
    // Secrets the providers read are known to the redactor before anything runs.
    for (const api of apis) for (const src of Object.values(api.tokens)) if (src.provider?.kind === 'oauth2') this.#registerInputs(src.provider);
  }

  /** The provider of `type` for `api`, if it has one. */
  providerOf(api: ApiConfig, type: string): TokenProvider | undefined {
    const key = Object.keys(api.tokens).find((k) => k.toLowerCase() === type.toLowerCase());
    return key === undefined ? undefined : api.tokens[key]?.provider;
  }

  /** The cached token, or one fetch shared by every concurrent caller. */
  get(api: ApiConfig, type: string, auth: AuthConfig): Promise<TokenAnswer> {
    const e = this.#entry(api, type);
    if (!e) return Promise.resolve({ error: { code: 'token', message: `token type "${type}" of API "${api.name}" has no provider` } });
    if (e.inflight) return e.inflight;
    if (e.value !== undefined) {
      if (!this.#expiring(e)) return Promise.resolve({ value: e.value, provider: e.stats.provider });
      e.stats.beforeExpiry++;
    }
    return this.#fetch(e, auth, false);
  }

  /**
   * After the API answered 401 to `rejected`: one new token. Callers that saw
   * the same rejected token share one fetch; a caller whose token was already
   * replaced gets the replacement.
   */
  refresh(api: ApiConfig, type: string, rejected: string, auth: AuthConfig): Promise<TokenAnswer> {
    const e = this.#entry(api, type);
    if (!e) return this.get(api, type, auth);
    if (e.inflight) return e.inflight;
    if (e.value !== undefined && (e.value !== rejected || e.fromRefresh)) {
      // Replaced already, or the API refuses even a token fetched after a 401: no fetch loop,
      // the caller resends with it and its second 401 is the verdict.
      return Promise.resolve({ value: e.value, provider: e.stats.provider });
    }
    e.stats.after401++;
    delete e.value;
    return this.#fetch(e, auth, true);
  }

  /** One row per (API, type) whose provider was asked. */
  stats(): TokenProviderStats[] {
    return [...this.#entries.values()].filter((e) => e.stats.fetches > 0).map((e) => ({ ...e.stats }));
  }

  #entry(api: ApiConfig, type: string): Entry | undefined {
    const key = `${api.name}\0${type.toLowerCase()}`;
    let e = this.#entries.get(key);
    if (!e) {
      const provider = this.providerOf(api, type);
      if (!provider) return undefined;
      e = { api, type, provider, skewMs: 0, fromRefresh: false, stats: { api: api.name, tokenType: type, provider: describeProvider(provider), fetches: 0, after401: 0, beforeExpiry: 0 } };
      this.#entries.set(key, e);
    }
    return e;
  }

  #expiring(e: Entry): boolean {
    if (e.expiresAt === undefined) return false;
    return this.#now() >= e.expiresAt - e.skewMs;
  }

  #fetch(e: Entry, auth: AuthConfig, after401: boolean): Promise<TokenAnswer> {
    e.fromRefresh = after401;
    const p = (e.provider.kind === 'oauth2' ? this.#oauth2(e, e.provider) : this.#login(e, e.provider.file)).then(async (answer) => {
      delete e.inflight;
      if ('error' in answer) {
        delete e.value;
        return answer;
      }
      addToken(this.#o.redact, answer.value, auth);
      e.value = answer.value;
      const lifetimeMs = answer.expiresInSec !== undefined ? answer.expiresInSec * 1000 : await jwtLifetimeMs(answer.value, this.#now());
      if (lifetimeMs !== undefined) {
        e.expiresAt = this.#now() + lifetimeMs;
        e.skewMs = Math.min(MAX_SKEW_MS, lifetimeMs / 10);
      } else {
        delete e.expiresAt;
      }
      return { value: answer.value, provider: e.stats.provider };
    });
    e.inflight = p;
    return p;
  }

  async #oauth2(e: Entry, p: OAuth2Provider): Promise<{ value: string; expiresInSec?: number } | { error: StepError }> {
    const who = `token provider ${e.stats.provider} (API "${e.api.name}", token type "${e.type}")`;
    const missing: string[] = [];
    const read = (src: ValueSource | undefined): string | undefined => {
      if (!src) return undefined;
      if ('value' in src) return src.value;
      const v = this.#o.env[src.env]?.trim();
      if (!v) missing.push(src.env);
      return v || undefined;
    };
    const clientId = read(p.clientId);
    const clientSecret = read(p.clientSecret);
    const username = read(p.username);
    const password = read(p.password);
    const refreshToken = e.refreshToken ?? read(p.refreshToken);
    if (missing.length > 0) return { error: { code: 'token', message: `${who}: set ${missing.join(' and ')} (nothing was sent)` } };
    e.stats.fetches++;
    for (const s of [clientSecret, password, refreshToken]) if (s) this.#o.redact.add(s);

    // Loaded on the first token request: runs without providers never load the OAuth client.
    const oauth = await loadOpenidClient();
    const origin = new URL(p.tokenUrl).origin;
    const clientAuth = clientSecret === undefined ? oauth.None() : p.clientAuth === 'post' ? oauth.ClientSecretPost(clientSecret) : oauth.ClientSecretBasic(clientSecret);
    const config = new oauth.Configuration({ issuer: origin, token_endpoint: p.tokenUrl }, clientId ?? '', undefined, clientAuth);
    oauth.allowInsecureRequests(config);
    config.timeout = this.#o.timeoutSec ?? 30;
    const dispatcher = this.#o.dispatcher;
    const runSignal = this.#o.signal;
    // The run's undici (and its dispatcher) rather than the global fetch.
    config[oauth.customFetch] = (url, options) => {
      const signal = runSignal && options.signal ? AbortSignal.any([runSignal, options.signal]) : (runSignal ?? options.signal);
      const init = { ...options, redirect: 'manual', ...(signal ? { signal } : {}), ...(dispatcher ? { dispatcher } : {}) };
      const { fetch } = loadUndici();
      return fetch(url, init as Parameters<typeof fetch>[1]) as unknown as Promise<Response>;
    };
    const params: Record<string, string> = { ...p.params };
    if (p.scope) params.scope = p.scope;
    if (p.audience) params.audience = p.audience;
    try {
      let answer;
      if (e.refreshToken !== undefined || p.grant === 'refresh_token') {
        answer = await oauth.refreshTokenGrant(config, refreshToken ?? '', params);
      } else if (p.grant === 'password') {
        answer = await oauth.genericGrantRequest(config, 'password', { ...params, username: username ?? '', password: password ?? '' });
      } else {
        answer = await oauth.clientCredentialsGrant(config, params);
      }
      if (answer.refresh_token) {
        this.#o.redact.add(answer.refresh_token);
        e.refreshToken = answer.refresh_token;
      }
      const expiresInSec = answer.expiresIn();
      return { value: answer.access_token, ...(expiresInSec !== undefined ? { expiresInSec } : {}) };
    } catch (err) {
      // A refresh token the server no longer takes: start over with the configured grant once.
      if (e.refreshToken !== undefined && p.grant !== 'refresh_token' && (err as { code?: unknown }).code === 'OAUTH_RESPONSE_BODY_ERROR') {
        delete e.refreshToken;
        return this.#oauth2(e, p);
      }
      return { error: { code: 'token', message: this.#o.redact(`${who}: ${await oauthFailure(err)} (nothing was sent to the API)`) } };
    }
  }

  async #login(e: Entry, file: string): Promise<{ value: string; expiresInSec?: number } | { error: StepError }> {
    const who = `token provider ${e.stats.provider} (API "${e.api.name}", token type "${e.type}")`;
    if (!this.#o.runLogin) return { error: { code: 'token', message: `${who}: login specs cannot run here` } };
    e.stats.fetches++;
    const r = await this.#o.runLogin(file, e.api);
    if (!r.ok) return { error: { code: 'token', message: this.#o.redact(`${who} failed: ${r.reason}`) } };
    const token = r.vars.token;
    if (typeof token !== 'string' || token.trim() === '') {
      return { error: { code: 'token', message: `${who}: the login chain verified but extracted no "token" variable (add extract: { token: $.… } to its login step)` } };
    }
    return { value: token.trim() };
  }

  #registerInputs(p: OAuth2Provider): void {
    for (const src of [p.clientSecret, p.password, p.refreshToken]) {
      const v = src ? this.#o.env[src.env]?.trim() : undefined;
      if (v) this.#o.redact.add(v);
    }
  }
}

/** Lifetime from a JWT's `exp` (RFC 7519 §4.1.4), when the token is a JWT that has one. */
async function jwtLifetimeMs(token: string, nowMs: number): Promise<number | undefined> {
  if (token.split('.').length !== 3) return undefined;
  const { decodeJwt } = await loadJose();
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? Math.max(0, exp * 1000 - nowMs) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One line for a failed token request: the OAuth error code and description
 * (RFC 6749 §5.2), the HTTP status, or what kept the request from an answer.
 * Never the response body.
 */
export async function oauthFailure(err: unknown): Promise<string> {
  const body = err as { code?: unknown; status?: number; error?: string; error_description?: string; response?: Response };
  if (body?.code === 'OAUTH_RESPONSE_BODY_ERROR') return oauthError(body.status, body.error, body.error_description);
  // A 401 with WWW-Authenticate (RFC 6749 §5.2 invalid_client over Basic): the error is in the body all the same.
  if (body?.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE' && body.response) {
    const parsed = (await body.response.json().catch(() => undefined)) as { error?: unknown; error_description?: unknown } | undefined;
    if (typeof parsed?.error === 'string') return oauthError(body.status, parsed.error, typeof parsed.error_description === 'string' ? parsed.error_description : undefined);
    return `answered HTTP ${body.status} (${body.response.headers.get('www-authenticate') ?? 'a challenge'})`;
  }
  const cause = (err as { cause?: unknown })?.cause;
  if (cause instanceof Response) return `answered HTTP ${cause.status} without an OAuth token response`;
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'unreachable: no answer before the deadline';
  const code = networkCode(err);
  if (code) return `unreachable: ${code}`;
  return `unusable answer: ${err instanceof Error ? err.message : String(err)}`;
}

function oauthError(status: number | undefined, error: string | undefined, description: string | undefined): string {
  // One line: a description is the server's text, so it is cut and its line breaks dropped.
  const d = description?.replace(/\s+/g, ' ').slice(0, 200);
  return `answered HTTP ${status} ${error}${d ? `: ${d}` : ''}`;
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string' && !c.startsWith('OAUTH_')) {
      const known: Record<string, string> = { ECONNREFUSED: 'connection refused', ENOTFOUND: 'host not found', ECONNRESET: 'connection reset', ETIMEDOUT: 'connection timed out', UND_ERR_CONNECT_TIMEOUT: 'connection timed out' };
      return known[c] ?? c;
    }
    if (e instanceof TypeError && e.message === 'fetch failed' && !(e as { cause?: unknown }).cause) return 'fetch failed';
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof TypeError && err.message === 'fetch failed' ? 'fetch failed' : undefined;
}
