import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { expandVars } from './expand.js';
import type { ApiData, RawConfig } from './load.js';
import type { ApiConfig, AuthConfig, ConfigOverrides, Environment, TokenSource } from './types.js';

const DEFAULT_AUTH: AuthConfig = { header: 'Authorization', scheme: 'Bearer' };

/** VERIFY_BASE_URL, VERIFY_FALLBACK_URL and VERIFY_VAR_<name> as overrides for every spec. */
export function overridesFromEnv(env: Record<string, string | undefined>): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (env.VERIFY_BASE_URL) out.baseUrl = env.VERIFY_BASE_URL;
  if (env.VERIFY_FALLBACK_URL) out.fallbackUrl = env.VERIFY_FALLBACK_URL;
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('VERIFY_VAR_') && v !== undefined) vars[k.slice('VERIFY_VAR_'.length)] = v;
  if (Object.keys(vars).length) out.vars = vars;
  return out;
}

function stringVars(v: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v ?? {})) out[k] = String(x);
  return out;
}

/**
 * The picked environment with ${VAR}s expanded, API settings merged over the
 * shared ones, and the command-line overrides applied.
 */
export function resolveEnvironment(
  raw: RawConfig,
  opts: { env: Record<string, string | undefined>; overrides: ConfigOverrides },
): { environment?: Environment; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const envData = raw.data.environments?.[raw.envName];
  if (!envData) return { diagnostics: [diag('error', 'config-env', `no environment named "${raw.envName}"`)] };
  const expand = (value: string, parts: (string | number)[], what: string): string => {
    const r = expandVars(value, opts.env);
    for (const name of r.missing) {
      diagnostics.push(
        diag('error', 'config-unset-var', `${what} uses \${${name}}, which is not set`, {
          ...(raw.spanOf(parts) ? { span: raw.spanOf(parts)! } : {}),
          hint: `export ${name}=… (or put it in .env)${what.includes('Url') ? ', or pass --base-url' : ''}`,
        }),
      );
    }
    return r.value;
  };

  const names = new Set([...Object.keys(raw.data.apis ?? {}), ...Object.keys(envData.apis ?? {})]);
  const apis: ApiConfig[] = [];
  for (const name of names) {
    const shared: ApiData = raw.data.apis?.[name] ?? {};
    const own: ApiData = envData.apis?.[name] ?? {};
    const where = (key: string): (string | number)[] => (own[key as keyof ApiData] !== undefined ? ['environments', raw.envName, 'apis', name, key] : ['apis', name, key]);
    const baseRaw = opts.overrides.baseUrl ?? own.baseUrl ?? shared.baseUrl;
    if (baseRaw === undefined) {
      // An API this environment does not configure is simply not available in it.
      if (envData.apis?.[name] === undefined) continue;
      diagnostics.push(diag('error', 'config-no-base-url', `API "${name}" has no baseUrl in environment "${raw.envName}"`, { hint: 'add baseUrl, or pass --base-url' }));
      continue;
    }
    const baseUrl = opts.overrides.baseUrl ?? expand(baseRaw, where('baseUrl'), `apis.${name}.baseUrl`);
    const fbRaw = opts.overrides.fallbackUrl ?? own.fallbackUrl ?? shared.fallbackUrl;
    const fallbackUrl = fbRaw === undefined ? undefined : opts.overrides.fallbackUrl ?? expand(fbRaw, where('fallbackUrl'), `apis.${name}.fallbackUrl`);
    for (const [key, url] of [['baseUrl', baseUrl], ['fallbackUrl', fallbackUrl]] as const) {
      if (url === undefined || diagnostics.length) continue;
      if (!/^https?:\/\/[^/\s]+/i.test(url)) {
        diagnostics.push(diag('error', 'config-bad-url', `apis.${name}.${key} is not an http(s) URL: "${url}"`, { ...(raw.spanOf(where(key)) ? { span: raw.spanOf(where(key))! } : {}), hint: 'write it as https://host/prefix' }));
      }
    }
    const auth: AuthConfig = { ...DEFAULT_AUTH, ...shared.auth, ...own.auth };
    const tokens: Record<string, TokenSource> = {};
    for (const [t, src] of Object.entries({ ...shared.tokens, ...own.tokens })) {
      tokens[t.toLowerCase()] = { ...(src.env ? { env: src.env } : {}), ...(src.auth ? { auth: { ...auth, ...src.auth } } : {}) };
    }
    const specs = own.specs ?? shared.specs;
    apis.push({
      name,
      baseUrl: baseUrl.replace(/\/+$/, ''),
      ...(fallbackUrl ? { fallbackUrl: fallbackUrl.replace(/\/+$/, '') } : {}),
      auth,
      tokens,
      vars: { ...stringVars(shared.vars), ...stringVars(own.vars), ...(opts.overrides.vars ?? {}) },
      ...(specs ? { specsDir: path.resolve(raw.rootDir, specs) } : {}),
    });
  }
  if (diagnostics.length) return { diagnostics };
  const vars = { ...stringVars(raw.data.vars), ...stringVars(envData.vars), ...(opts.overrides.vars ?? {}) };
  return { environment: { name: raw.envName, sandbox: envData.sandbox === true, apis, vars }, diagnostics };
}
