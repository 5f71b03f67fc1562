import path from 'node:path';
import { httpUrlProblem } from './http-url.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { KeyPath, Report } from './key-path.js';

/**
 * Token providers: a token type whose value is fetched during the run instead
 * of read from a variable. Two kinds:
 *
 * - `oauth2`: an OAuth 2.0 token request (RFC 6749 §4.3 password, §4.4
 *   client_credentials, §6 refresh_token) to `tokenUrl`.
 * - `login`: a spec file (relative to the config file) whose chain extracts a
 *   variable named `token`.
 *
 * Secret inputs (client secret, password, refresh token) are only ever named
 * by environment variable (`{ env: NAME }`), so a committed config holds no
 * secret; clientId and username may also be written as plain strings.
 */

export type OAuth2Grant = 'client_credentials' | 'password' | 'refresh_token';
export const OAUTH2_GRANTS: readonly OAuth2Grant[] = ['client_credentials', 'password', 'refresh_token'];

/** A value written in the config, or the name of the variable holding it. */
export type ValueSource = { value: string } | { env: string };

export interface OAuth2Provider {
  kind: 'oauth2';
  /** http(s) URL of the token endpoint, ${VARS} expanded. */
  tokenUrl: string;
  grant: OAuth2Grant;
  clientId?: ValueSource;
  /** Always from a variable. */
  clientSecret?: { env: string };
  /** RFC 6749 §2.3.1: HTTP Basic (default) or the client_id/client_secret form fields. */
  clientAuth: 'basic' | 'post';
  username?: ValueSource;
  password?: { env: string };
  refreshToken?: { env: string };
  scope?: string;
  audience?: string;
  /** Extra form fields sent with the token request. */
  params: Record<string, string>;
}

export interface LoginProvider {
  kind: 'login';
  /** Absolute path of the login spec. */
  file: string;
  /** As written in the config (for messages). */
  shown: string;
}

export type TokenProvider = OAuth2Provider | LoginProvider;

export const OAUTH2_KEYS = ['tokenUrl', 'grant', 'clientId', 'clientSecret', 'clientAuth', 'username', 'password', 'refreshToken', 'scope', 'audience', 'params'];
const SECRET_KEYS = ['clientSecret', 'password', 'refreshToken'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks `oauth2:` / `login:` of one token entry (`src`) at `parts`. Called by
 * validateConfig; reports every problem with its key path.
 */
export function validateTokenProvider(src: Record<string, unknown>, parts: KeyPath, report: Report): void {
  const has = (k: string): boolean => src[k] !== undefined;
  const kinds = ['env', 'oauth2', 'login'].filter(has);
  if (kinds.length > 1) {
    report(`token "${String(parts.at(-1))}" sets ${kinds.join(' and ')}: choose one source`, [...parts, kinds[1]!], {
      at: 'key',
      hint: 'env reads a fixed token; oauth2 and login fetch one during the run',
    });
  }
  if (has('login') && (typeof src.login !== 'string' || src.login.trim() === '')) {
    report('login must be the path of a spec file (relative to the config file)', [...parts, 'login'], { hint: 'e.g. login: auth/login-staff.md' });
  }
  if (!has('oauth2')) return;
  const o = src.oauth2;
  const at = [...parts, 'oauth2'];
  if (!isRecord(o)) {
    report('oauth2 must be a mapping with tokenUrl, grant and client credentials', at);
    return;
  }
  for (const k of Object.keys(o)) {
    if (OAUTH2_KEYS.includes(k)) continue;
    const close = didYouMean(k, OAUTH2_KEYS);
    report(`unknown key "${k}" in oauth2`, [...at, k], { at: 'key', hint: close ? `did you mean "${close}"?` : `allowed keys: ${OAUTH2_KEYS.join(', ')}` });
  }
  if (typeof o.tokenUrl !== 'string' || o.tokenUrl.trim() === '') report('oauth2.tokenUrl is required: the token endpoint URL', [...at, 'tokenUrl'], { hint: 'e.g. tokenUrl: ${AUTH_URL}/oauth/token' });
  const grant = o.grant ?? 'client_credentials';
  if (typeof grant !== 'string' || !(OAUTH2_GRANTS as readonly string[]).includes(grant)) {
    report(`oauth2.grant must be one of ${OAUTH2_GRANTS.join(', ')}`, [...at, 'grant']);
  }
  if (o.clientAuth !== undefined && o.clientAuth !== 'basic' && o.clientAuth !== 'post') report('oauth2.clientAuth must be basic or post', [...at, 'clientAuth']);
  for (const k of ['clientId', 'username']) {
    const v = o[k];
    if (v !== undefined && typeof v !== 'string' && !isEnvRef(v)) report(`oauth2.${k} must be a string or { env: NAME }`, [...at, k]);
  }
  for (const k of SECRET_KEYS) {
    const v = o[k];
    if (v === undefined) continue;
    if (!isEnvRef(v)) report(`oauth2.${k} must be { env: NAME }: secrets are read from variables, never written in the config`, [...at, k], { hint: `e.g. ${k}: { env: MY_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()} }` });
  }
  if (grant === 'password' && (o.username === undefined || o.password === undefined)) report('oauth2 grant password needs username and password', at);
  if (grant === 'refresh_token' && o.refreshToken === undefined) report('oauth2 grant refresh_token needs refreshToken: { env: NAME }', at);
  if (grant === 'client_credentials' && o.clientId === undefined) report('oauth2 grant client_credentials needs clientId (and usually clientSecret)', at);
  for (const k of ['scope', 'audience']) if (o[k] !== undefined && typeof o[k] !== 'string') report(`oauth2.${k} must be a string`, [...at, k]);
  if (o.params !== undefined) {
    if (!isRecord(o.params)) report('oauth2.params must be a mapping of form fields', [...at, 'params']);
    else for (const [k, v] of Object.entries(o.params)) if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') report(`oauth2.params.${k} must be a plain value`, [...at, 'params', k]);
  }
}

function isEnvRef(v: unknown): v is { env: string } {
  return isRecord(v) && Object.keys(v).length === 1 && typeof v.env === 'string' && ENV_NAME.test(v.env);
}

/**
 * The provider of a validated token entry, with ${VARS} expanded by `expand`
 * (which reports unset ones) and a login path resolved against `rootDir`.
 * Undefined when the entry has no provider.
 */
export function resolveTokenProvider(
  src: Record<string, unknown>,
  opts: { rootDir: string; expand(value: string, parts: KeyPath): string; parts: KeyPath },
): TokenProvider | undefined {
  if (typeof src.login === 'string') return { kind: 'login', file: path.resolve(opts.rootDir, src.login), shown: src.login };
  const o = src.oauth2;
  if (!isRecord(o)) return undefined;
  const at = [...opts.parts, 'oauth2'];
  const text = (k: string): string | undefined => (typeof o[k] === 'string' ? opts.expand(o[k], [...at, k]) : undefined);
  const source = (k: string): ValueSource | undefined => {
    const v = o[k];
    if (typeof v === 'string') return { value: opts.expand(v, [...at, k]) };
    return isEnvRef(v) ? { env: v.env } : undefined;
  };
  const env = (k: string): { env: string } | undefined => (isEnvRef(o[k]) ? { env: (o[k] as { env: string }).env } : undefined);
  const params: Record<string, string> = {};
  if (isRecord(o.params)) for (const [k, v] of Object.entries(o.params)) params[k] = opts.expand(String(v), [...at, 'params', k]);
  const out: OAuth2Provider = {
    kind: 'oauth2',
    tokenUrl: text('tokenUrl') ?? '',
    grant: (o.grant as OAuth2Grant | undefined) ?? 'client_credentials',
    clientAuth: o.clientAuth === 'post' ? 'post' : 'basic',
    params,
  };
  const clientId = source('clientId');
  const username = source('username');
  const clientSecret = env('clientSecret');
  const password = env('password');
  const refreshToken = env('refreshToken');
  const scope = text('scope');
  const audience = text('audience');
  if (clientId) out.clientId = clientId;
  if (username) out.username = username;
  if (clientSecret) out.clientSecret = clientSecret;
  if (password) out.password = password;
  if (refreshToken) out.refreshToken = refreshToken;
  if (scope) out.scope = scope;
  if (audience) out.audience = audience;
  return out;
}

/** Why a token URL cannot be used, or undefined. */
export function tokenUrlProblem(url: string): string | undefined {
  return httpUrlProblem(url, 'use clientId and clientSecret');
}

/** One line naming a provider, for messages and --dry-run: "oauth2 client_credentials at https://…/token". */
export function describeProvider(p: TokenProvider): string {
  if (p.kind === 'login') return `login spec ${p.shown}`;
  let url = p.tokenUrl;
  try {
    const u = new URL(p.tokenUrl);
    url = `${u.origin}${u.pathname}`;
  } catch {
    // shown as written
  }
  return `oauth2 ${p.grant} at ${url}`;
}
