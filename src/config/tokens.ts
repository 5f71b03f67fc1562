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

function jsonForms(s: string): string[] {
  const plain = JSON.stringify(s).slice(1, -1);
  // Some servers (PHP's json_encode) also escape "/" and every non-ASCII character.
  const slashes = plain.replace(/\//g, '\\/');
  const ascii = plain.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [plain, slashes, ascii, ascii.replace(/\//g, '\\/')];
}

/**
 * Every form a token can show up in, for the redactor: the raw value and the
 * header value, each URL-encoded (both styles), base64, base64url and
 * JSON-escaped. For Basic auth the password alone is a secret too. Deduped,
 * no empty strings.
 */
export function secretForms(value: string, auth?: AuthConfig): readonly string[] {
  // Called for every spec and chain with the same handful of tokens: computed once each.
  const key = `${auth?.scheme ?? '\0'}\0${auth?.header ?? ''}\0${value}`;
  let forms = formsCache.get(key);
  if (!forms) {
    if (formsCache.size >= 256) formsCache.clear();
    forms = Object.freeze(computeSecretForms(value, auth));
    formsCache.set(key, forms);
  }
  return forms;
}

const formsCache = new Map<string, readonly string[]>();

function computeSecretForms(value: string, auth?: AuthConfig): string[] {
  const bases = [value];
  if (auth) bases.push(authHeaderValue(auth, value));
  if (auth && isBasic(auth)) {
    const colon = value.indexOf(':');
    // A very short password would blank out ordinary text everywhere; it is still redacted as part of the pair.
    if (colon !== -1 && value.length - colon - 1 >= 4) bases.push(value.slice(colon + 1));
  }
  const out = new Set<string>();
  for (const b of bases) {
    const buf = Buffer.from(b, 'utf8');
    for (const f of [
      b,
      encodeURIComponent(b),
      new URLSearchParams({ x: b }).toString().slice(2),
      buf.toString('base64'),
      buf.toString('base64url'),
      ...jsonForms(b),
    ]) {
      out.add(f);
    }
  }
  out.delete('');
  return [...out];
}
