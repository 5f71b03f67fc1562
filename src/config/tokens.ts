import type { ApiConfig, AuthConfig } from './types.js';

/** The variable every token type can always come from: VERIFY_TOKEN_<TYPE>. */
export function conventionalTokenVar(type: string): string {
  return `VERIFY_TOKEN_${type.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Where a token type's value comes from: the configured variable, then
 * VERIFY_TOKEN_<TYPE>. An empty (or blank) value counts as missing, so a
 * request never goes out as "Bearer ". `tried` names the variables for the
 * error message; the value itself is never part of any message.
 */
export function resolveToken(api: ApiConfig, type: string, env: Record<string, string | undefined>): { value?: string; tried: string[]; auth: AuthConfig } {
  const key = Object.keys(api.tokens).find((k) => k.toLowerCase() === type.toLowerCase());
  const source = key === undefined ? undefined : api.tokens[key];
  const tried: string[] = [];
  if (source?.env) tried.push(source.env);
  const conventional = conventionalTokenVar(type);
  if (!tried.includes(conventional)) tried.push(conventional);
  const auth = source?.auth ?? api.auth;
  for (const name of tried) {
    // Surrounding whitespace (a trailing newline from a secrets file) is never part of a token.
    const v = env[name]?.trim();
    if (v) return { value: v, tried, auth };
  }
  return { tried, auth };
}

function isBasic(auth: AuthConfig): boolean {
  return auth.scheme.trim().toLowerCase() === 'basic';
}

/** The header value: "Bearer t", "Basic base64(user:pass)", or the raw token when the scheme is "". */
export function authHeaderValue(auth: AuthConfig, token: string): string {
  const scheme = auth.scheme.trim();
  if (scheme === '') return token;
  if (isBasic(auth)) return `${scheme} ${Buffer.from(token, 'utf8').toString('base64')}`;
  return `${scheme} ${token}`;
}
