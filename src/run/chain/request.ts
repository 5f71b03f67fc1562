import { authHeaderValue } from '../../config/tokens.js';
import type { ParsedStep } from '../../specfile/model.js';
import type { ChainContext, HttpRequest } from './types.js';
import type { Token } from './token.js';
import { addToken, isSecretName, MASK, tokenSecrets } from '../../secret/index.js';
import type { StepError } from '../../result/result.js';
import { renderBody, renderHeader, renderPath, renderString, type Lookup, type TemplateProblem } from '../template.js';

/**
 * Turns a parsed step into the request to send: gateway + templated path +
 * query, headers (auth, JSON defaults, the step's own), body. Anything unsafe
 * or unresolved is an error here, before a request exists.
 */

/**
 * One step's request, as the run sends it and `--dry-run` prints it (the one shape both use).
 * A plain value: it can be built once per step and sent (again after a token refresh, only the
 * token changes, so it is built anew with the fresh token).
 */
export interface RequestPlan {
  /**
   * What the HTTP client sends: method, absolute URL (gateway + templated path + `params:` as
   * an `application/x-www-form-urlencoded` query), headers, body, and the step's options.
   */
  request: HttpRequest;
  /**
   * The headers as every output shows them: the token's header as its scheme and `***`
   * ("Bearer ***"; `***` alone when the scheme is ""), other credential and secret-named headers
   * as `***`, the rest through the redactor.
   */
  shownHeaders: Record<string, string>;
  /**
   * The secret values this request carries (the token, a Basic password, values of
   * secret-named headers), registered with the redactor before the plan is returned.
   */
  secrets: string[];
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function gatewayBase(ctx: Pick<ChainContext, 'api' | 'gateway'>): string | undefined {
  const base = ctx.gateway === 'fallback' ? ctx.api.fallbackUrl : ctx.api.baseUrl;
  return base ? base.replace(/\/+$/, '') : undefined;
}

/** Why a step path as written may not be sent, or undefined when it may. */
export function refusePath(raw: string): string | undefined {
  // Tokens go only to the API's own gateways: a step cannot name another host.
  if (SCHEME.test(raw)) return `path "${raw}" is an absolute URL: steps are sent only to the configured gateway`;
  if (raw.startsWith('//')) return `path "${raw}" starts with "//" (another host): steps are sent only to the configured gateway`;
  if (!raw.startsWith('/')) return `path "${raw}" must start with "/"`;
  return undefined;
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
  headers[name] = value;
}

/** Where a template problem points: the `{{name}}` at that location, else any use of the name, else the step. */
function located(parsed: ParsedStep, err: TemplateProblem): string {
  const ref = parsed.templates.find((t) => t.name === err.variable && t.at === err.at) ?? parsed.templates.find((t) => t.name === err.variable);
  const span = ref?.span ?? parsed.span;
  return `${span.file}:${span.line}:${span.col}`;
}

/** A run has a handful of gateways and thousands of requests: each gateway URL is parsed once. */
const origins = new Map<string, string>();

function gatewayOrigin(base: string): string {
  let origin = origins.get(base);
  if (origin === undefined) {
    origin = new URL(base).origin;
    // A long-lived process (tests, a library user) may see many: keep the cache small.
    if (origins.size >= 64) origins.clear();
    origins.set(base, origin);
  }
  return origin;
}

/**
 * The one request builder: the run sends the plan it returns, and `--dry-run` prints it as curl
 * (so the two cannot drift). Every secret the request carries is registered with `ctx.redact`
 * before anything is shown. Errors (unsafe path, undefined variable, another host) come before
 * a request exists.
 */
export function planRequest(
  parsed: ParsedStep,
  ctx: Pick<ChainContext, 'api' | 'gateway' | 'redact' | 'signal'>,
  lookup: Lookup,
  token: Token | undefined,
): RequestPlan | { error: StepError } {
  const s = parsed.step;
  const rawPath = typeof s.path === 'string' ? s.path : '';
  const refused = refusePath(rawPath);
  if (refused) return { error: { code: 'refused', message: refused } };
  const base = gatewayBase(ctx);
  if (!base) return { error: { code: 'refused', message: `API "${ctx.api.name}" has no ${ctx.gateway} gateway URL configured` } };

  let body: string | undefined;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const credentialHeaders = new Set<string>([(token?.auth ?? ctx.api.auth).header, 'Cookie']);
  const secrets = token ? [...tokenSecrets(token.value, token.auth)] : [];
  if (token) addToken(ctx.redact, token.value, token.auth);
  /** Lower-case header name -> what outputs show for it, for headers carrying a credential. */
  const masked = new Map<string, string>();
  const templateError = (p: TemplateProblem): { error: StepError } => ({ error: { code: 'template', message: `${p.message} (${located(parsed, p)})` } });
  const path = renderPath(rawPath, lookup);
  if (!path.ok) return templateError(path.error);
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(s.params ?? {})) {
    const value = renderString(String(v), lookup, `params.${k}`);
    if (!value.ok) return templateError(value.error);
    query.append(k, value.value);
  }
  const qs = query.toString();
  const url = `${base}${path.value}${qs ? `${path.value.includes('?') ? '&' : '?'}${qs}` : ''}`;

  if (s.body !== undefined) {
    // The step's own Content-Type (set below) decides whether a text body is JSON text.
    const own = Object.entries(s.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const rendered = renderBody(s.body, own === undefined ? 'application/json' : String(own), lookup);
    if (!rendered.ok) return templateError(rendered.error);
    body = rendered.value;
    headers['Content-Type'] = 'application/json';
  }
  if (token) {
    setHeader(headers, token.auth.header, authHeaderValue(token.auth, token.value));
    // The scheme is no secret and says which credential went (RFC 9110 §11.4: credentials = auth-scheme [ token68 ]).
    const scheme = token.auth.scheme.trim();
    masked.set(token.auth.header.toLowerCase(), scheme === '' ? MASK : `${scheme} ${MASK}`);
  }
  for (const [k, v] of Object.entries(s.headers ?? {})) {
    const value = renderHeader(String(v), lookup, `headers.${k}`);
    if (!value.ok) return templateError(value.error);
    // The step's own value replaces the token's: its scheme is not known, so it is masked whole.
    masked.delete(k.toLowerCase());
    if (isSecretName(k)) {
      ctx.redact.add(value.value);
      secrets.push(value.value);
      credentialHeaders.add(k);
    }
    setHeader(headers, k, value.value);
  }

  // Belt and braces: whatever the templates produced, the request goes to the gateway's own origin.
  let target: URL;
  let gateway: string;
  try {
    gateway = gatewayOrigin(base);
    target = new URL(url);
  } catch {
    return { error: { code: 'refused', message: `"${ctx.redact(url)}" is not a valid URL` } };
  }
  if (target.origin !== gateway) return { error: { code: 'refused', message: `the request would leave the gateway's host (${ctx.redact(target.origin)})` } };

  const lowerCreds = new Set([...credentialHeaders].map((h) => h.toLowerCase()));
  const shownHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const lower = k.toLowerCase();
    shownHeaders[k] = masked.get(lower) ?? (lowerCreds.has(lower) || isSecretName(k) ? MASK : ctx.redact(v));
  }

  const retry = typeof s.retry === 'number' ? { attempts: s.retry } : s.retry;
  const request: HttpRequest = {
    method: (s.method ?? 'GET').toUpperCase(),
    url,
    headers,
    credentialHeaders: [...credentialHeaders],
    ...(body !== undefined ? { body } : {}),
    ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
    ...(s.followRedirects ? { followRedirects: true } : {}),
    ...(retry ? { retry } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  return { request, shownHeaders, secrets };
}
