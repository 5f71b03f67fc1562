import type { ApiConfig, AuthConfig } from './types.js';

/** The env var every token type can always come from: VERIFY_TOKEN_<TYPE>. */
export function conventionalTokenVar(type: string): string {
  return `VERIFY_TOKEN_${type.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Where a token type's value comes from; an empty value counts as missing (never "Bearer "). */
export function resolveToken(
  api: ApiConfig,
  type: string,
  env: Record<string, string | undefined>,
): { value?: string; tried: string[]; auth: AuthConfig } {
  const key = Object.keys(api.tokens).find((k) => k.toLowerCase() === type.toLowerCase());
  const source = key ? api.tokens[key] : undefined;
  const tried: string[] = [];
  if (source?.env) tried.push(source.env);
  const conventional = conventionalTokenVar(type);
  if (!tried.includes(conventional)) tried.push(conventional);
  const auth = source?.auth ?? api.auth;
  for (const name of tried) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') return { value: v.trim(), tried, auth };
  }
  return { tried, auth };
}

export function authHeaderValue(auth: AuthConfig, token: string): string {
  const scheme = auth.scheme.trim();
  if (scheme === '') return token;
  if (scheme.toLowerCase() === 'basic') return `Basic ${Buffer.from(token).toString('base64')}`;
  return `${scheme} ${token}`;
}

/** Every form a token can show up in, for the redactor. */
export function secretForms(value: string, auth?: AuthConfig): string[] {
  const raws = [value];
  if (auth) raws.push(authHeaderValue(auth, value));
  const out = new Set<string>();
  for (const r of raws) {
    out.add(r);
    out.add(encodeURIComponent(r));
    out.add(Buffer.from(r).toString('base64'));
    out.add(Buffer.from(r).toString('base64url'));
    out.add(JSON.stringify(r).slice(1, -1));
  }
  out.delete('');
  return [...out];
}
