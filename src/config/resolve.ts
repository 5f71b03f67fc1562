import path from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../source/span.js';
import type { ApiData, AuthData, Scalar, TokenData } from './config-schema.js';
import type { KeyPath } from './key-path.js';
import { expandVars } from './expand.js';
import { httpUrlProblem } from './http-url.js';
import type { RawConfig } from './load.js';
import { resolveTokenProvider, tokenUrlProblem } from './token-provider.js';
import type { ApiConfig, AuthConfig, ConfigOverrides, Environment, TokenSource, UnavailableApi, VarValue } from './types.js';
import { fail, ok, type Result } from '../result/ok.js';

const DEFAULT_AUTH: AuthConfig = { header: 'Authorization', scheme: 'Bearer' };

type Env = Record<string, string | undefined>;

/** VERIFY_BASE_URL, VERIFY_FALLBACK_URL and VERIFY_VAR_<name> as overrides for every spec. */
export function overridesFromEnv(env: Env): ConfigOverrides {
  const out: ConfigOverrides = {};
  if (env.VERIFY_BASE_URL) out.baseUrl = env.VERIFY_BASE_URL;
  if (env.VERIFY_FALLBACK_URL) out.fallbackUrl = env.VERIFY_FALLBACK_URL;
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('VERIFY_VAR_') && k.length > 'VERIFY_VAR_'.length && v !== undefined) vars[k.slice('VERIFY_VAR_'.length)] = v;
  }
  if (Object.keys(vars).length) out.vars = vars;
  return out;
}

/** "verify.config.yaml:12" for messages that are shown without their span. */
function where(span: Span | undefined): string {
  return span ? ` (${span.file}:${span.line})` : '';
}

/** The URL for a message: credentials and query strings (often keys) are never echoed. */
function shown(url: string): string {
  return url.replace(/\/\/[^/@?#]*@/, '//***@').replace(/[?#].*$/s, '?…');
}

/** An http(s) URL usable as a prefix for step paths; undefined when fine. */
export function urlProblem(url: string): string | undefined {
  // Credentials in a gateway URL would be printed with every step's URL.
  const problem = httpUrlProblem(url, 'configure a token instead');
  if (problem) return problem;
  const u = new URL(url);
  if (u.search || u.hash) return 'must not have a query or fragment (step paths are appended to it)';
  return undefined;
}

class Expander {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly raw: RawConfig,
    private readonly env: Env,
  ) {}

  /** ${NAME} in one value; each unset name is an error naming it and its line. */
  value(value: string, parts: KeyPath, flagHint?: string): string {
    const r = expandVars(value, this.env);
    // Only a problem needs the position (finding it parses the config a second time).
    const span = r.missing.length > 0 ? this.raw.spanOf(parts) : undefined;
    for (const name of r.missing) {
      this.diagnostics.push(
        diag('error', 'config-unset-var', `${parts.join('.')} uses \${${name}}, which is not set${where(span)}`, {
          span,
          hint: `export ${name}=… (or put it in .env)${flagHint ? `, or use ${flagHint}` : ''}; \${${name}:-value} gives a default`,
        }),
      );
    }
    return r.value;
  }

  /** Config vars keep their YAML type, so `"{{page_size}}"` alone in a body sends the number 25. */
  vars(vars: Record<string, Scalar> | null | undefined, parts: KeyPath): Record<string, VarValue> {
    const out: Record<string, VarValue> = {};
    for (const [k, v] of Object.entries(vars ?? {})) out[k] = typeof v === 'string' ? this.value(v, [...parts, k]) : v;
    return out;
  }
}

function tokenSource(src: TokenData | undefined): { env?: string; auth?: AuthData } {
  if (typeof src === 'string') return { env: src };
  return src ?? {};
}

/** Token types merged by lower-cased name: the environment's entry over the shared one. */
function mergeTokens(auth: AuthConfig, ...layers: (Record<string, TokenData> | null | undefined)[]): Record<string, TokenSource> {
  const merged: Record<string, { env?: string; auth?: AuthData }> = {};
  for (const layer of layers) {
    for (const [type, src] of Object.entries(layer ?? {})) {
      const key = type.toLowerCase();
      const prev = merged[key] ?? {};
      const next = tokenSource(src);
      const env = next.env ?? prev.env;
      const ownAuth = prev.auth || next.auth ? { ...prev.auth, ...next.auth } : undefined;
      merged[key] = { ...(env ? { env } : {}), ...(ownAuth ? { auth: ownAuth } : {}) };
    }
  }
  const out: Record<string, TokenSource> = {};
  for (const [type, src] of Object.entries(merged)) {
    out[type] = { ...(src.env ? { env: src.env } : {}), ...(src.auth ? { auth: { ...auth, ...src.auth } } : {}) };
  }
  return out;
}

/**
 * Token providers (oauth2, login; see token-provider.ts): the last layer that
 * gives a type a source decides it, so an environment's `env:` replaces a
 * shared `oauth2:` and the other way round. Returns a bad token URL's diagnostic.
 */
function addProviders(
  tokens: Record<string, TokenSource>,
  c: { raw: RawConfig; x: Expander; layers: [KeyPath, Record<string, TokenData> | null | undefined][] },
): Diagnostic | undefined {
  for (const [at, layer] of c.layers) {
    for (const [type, src] of Object.entries(layer ?? {})) {
      const key = type.toLowerCase();
      const entry = tokens[key];
      if (!entry || src === null) continue;
      if (typeof src === 'string') {
        delete entry.provider;
        entry.env = src;
        continue;
      }
      const parts = [...at, 'tokens', type];
      const provider = resolveTokenProvider(src, { rootDir: c.raw.rootDir, parts, expand: (v, p) => c.x.value(v, p) });
      if (provider) {
        entry.provider = provider;
        delete entry.env;
      } else if (typeof src.env === 'string') {
        delete entry.provider;
        entry.env = src.env;
      }
      if (provider?.kind !== 'oauth2' || c.x.diagnostics.length) continue;
      const problem = tokenUrlProblem(provider.tokenUrl);
      if (!problem) continue;
      const span = c.raw.spanOf([...parts, 'oauth2', 'tokenUrl']);
      return diag('error', 'config-bad-url', `${parts.join('.')}.oauth2.tokenUrl ${problem}: "${shown(provider.tokenUrl)}"${where(span)}`, {
        span,
        hint: 'write it as https://auth.example.com/oauth/token',
      });
    }
  }
  return undefined;
}

interface ApiInput {
  name: string;
  shared: ApiData;
  own: ApiData;
  ownDeclared: boolean;
}

/**
 * One API of the picked environment, or the reason it cannot be used. A
 * problem in one API does not sink the others: a staging run of the platform
 * specs should not need every other API's gateway set.
 */
function resolveApi(raw: RawConfig, input: ApiInput, opts: { env: Env; overrides: ConfigOverrides }): Result<ApiConfig, UnavailableApi> {
  const { name, shared, own } = input;
  const envName = raw.envName;
  const keyPath = (key: keyof ApiData): KeyPath => (own[key] !== undefined ? ['environments', envName, 'apis', name, key] : ['apis', name, key]);
  const x = new Expander(raw, opts.env);

  const specsRaw = own.specs ?? shared.specs;
  const specs = specsRaw === undefined ? undefined : x.value(specsRaw, keyPath('specs'));
  const specsDir = specs ? path.resolve(raw.rootDir, specs) : undefined;
  const unavailable = (reason: Diagnostic): { ok: false; error: UnavailableApi } => fail({ name, ...(specsDir ? { specsDir } : {}), reason });

  let baseUrl = opts.overrides.baseUrl;
  let fallbackUrl = opts.overrides.fallbackUrl;
  if (baseUrl === undefined) {
    const baseRaw = own.baseUrl ?? shared.baseUrl;
    if (baseRaw === undefined) {
      const at = input.ownDeclared ? ['environments', envName, 'apis', name] : ['apis', name];
      const span = raw.spanOf(at, 'key');
      return unavailable(
        diag('error', 'config-no-base-url', `API "${name}" has no baseUrl in environment "${envName}"${where(span)}`, {
          span,
          hint: `add environments.${envName}.apis.${name}.baseUrl to the config, or use --base-url`,
        }),
      );
    }
    baseUrl = x.value(baseRaw, keyPath('baseUrl'), '--base-url');
    // With its own fallback unset, an API keeps the configured one; --base-url alone drops it (it belonged to the replaced host).
    const fbRaw = own.fallbackUrl ?? shared.fallbackUrl;
    if (fallbackUrl === undefined && fbRaw !== undefined) fallbackUrl = x.value(fbRaw, keyPath('fallbackUrl'), '--fallback-url') || undefined;
  }
  const auth: AuthConfig = { ...DEFAULT_AUTH, ...shared.auth, ...own.auth };
  const vars = { ...x.vars(shared.vars, ['apis', name, 'vars']), ...x.vars(own.vars, ['environments', envName, 'apis', name, 'vars']), ...opts.overrides.vars };
  const tokens = mergeTokens(auth, shared.tokens, own.tokens);
  const providerProblem = addProviders(tokens, { raw, x, layers: [[['apis', name], shared.tokens], [['environments', envName, 'apis', name], own.tokens]] });
  if (x.diagnostics.length) return unavailable(x.diagnostics[0]!);
  if (providerProblem) return unavailable(providerProblem);

  for (const [key, url] of [['baseUrl', baseUrl], ['fallbackUrl', fallbackUrl]] as const) {
    if (url === undefined) continue;
    const problem = urlProblem(url);
    if (!problem) continue;
    const fromFlag = key === 'baseUrl' ? opts.overrides.baseUrl !== undefined : opts.overrides.fallbackUrl !== undefined;
    if (fromFlag) continue; // reported once for the whole run by the caller
    const span = raw.spanOf(keyPath(key));
    return unavailable(
      diag('error', 'config-bad-url', `apis.${name}.${key} ${problem}: "${shown(url)}"${where(span)}`, { span, hint: 'write it as https://host/prefix' }),
    );
  }
  return ok({
    name,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(fallbackUrl ? { fallbackUrl: fallbackUrl.replace(/\/+$/, '') } : {}),
    auth,
    tokens,
    vars,
    ...(specsDir ? { specsDir } : {}),
  });
}

/**
 * The picked environment with ${VAR}s expanded, API settings merged over the
 * shared ones, and the command-line overrides applied. An API that cannot be
 * used (no baseUrl, an unset variable) is listed in `unavailable` and reported
 * as a warning here; a spec that needs it gets the error. When no API at all
 * is usable, the errors are returned and there is no environment.
 */
export function resolveEnvironment(raw: RawConfig, opts: { env: Env; overrides: ConfigOverrides }): { environment?: Environment; diagnostics: Diagnostic[] } {
  if (hasErrors(raw.diagnostics)) return { diagnostics: raw.diagnostics.filter((d) => d.severity === 'error') };
  const envs = raw.data.environments ?? {};
  if (!Object.hasOwn(envs, raw.envName)) {
    return { diagnostics: [diag('error', 'config-env', `no environment named "${raw.envName}"`, { hint: `environments: ${Object.keys(envs).join(', ') || '(none)'}` })] };
  }
  const envData = envs[raw.envName] ?? {};
  if (raw.adHoc && !opts.overrides.baseUrl) {
    return {
      diagnostics: [
        diag('error', 'config-none', `no verify.config.yaml found (in ${raw.rootDir} or a folder above it) and no base URL given: nothing to send requests to`, {
          hint: 'pass --base-url https://host/prefix (or set VERIFY_BASE_URL) to run against your API, run `endpoint-verify init` to write a config, or add --sandbox to try the built-in sandbox (docs/getting-started.md)',
        }),
      ],
    };
  }
  const fatal: Diagnostic[] = [];
  for (const [flag, url] of [['--base-url (VERIFY_BASE_URL)', opts.overrides.baseUrl], ['--fallback-url (VERIFY_FALLBACK_URL)', opts.overrides.fallbackUrl]] as const) {
    const problem = url === undefined ? undefined : urlProblem(url);
    if (problem && url !== undefined) fatal.push(diag('error', 'config-bad-url', `${flag} ${problem}: "${shown(url)}"`, { hint: 'write it as https://host/prefix' }));
  }
  const x = new Expander(raw, opts.env);
  const vars = { ...x.vars(raw.data.vars, ['vars']), ...x.vars(envData.vars, ['environments', raw.envName, 'vars']), ...opts.overrides.vars };
  fatal.push(...x.diagnostics);
  if (fatal.length) return { diagnostics: fatal };

  const sharedApis = raw.data.apis ?? {};
  const ownApis = envData.apis ?? {};
  const apis: ApiConfig[] = [];
  const unavailable: UnavailableApi[] = [];
  for (const name of new Set([...Object.keys(sharedApis), ...Object.keys(ownApis)])) {
    const r = resolveApi(raw, { name, shared: sharedApis[name] ?? {}, own: ownApis[name] ?? {}, ownDeclared: Object.hasOwn(ownApis, name) }, opts);
    if (r.ok) apis.push(r.value);
    else unavailable.push(r.error);
  }
  if (apis.length === 0) {
    if (unavailable.length) return { diagnostics: unavailable.map((u) => u.reason) };
    return { diagnostics: [diag('error', 'config-no-api', `environment "${raw.envName}" defines no APIs`, { hint: 'add apis.<name>.baseUrl to it (see docs/configuration.md)' })] };
  }
  const environment: Environment = {
    name: raw.envName,
    sandbox: envData.sandbox === true,
    apis,
    vars,
    ...(unavailable.length ? { unavailable } : {}),
    ...(raw.adHoc ? { adHoc: true } : {}),
  };
  return { environment, diagnostics: unavailable.map((u) => ({ ...u.reason, severity: 'warning' as const })) };
}
