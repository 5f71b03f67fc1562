import type { VarValue } from '../config/types.js';
import type { ApiConfig, AuthConfig, Environment } from '../config/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FrontMatter, ParsedStep, Phase } from '../spec/model.js';
import { PHASES } from '../spec/model.js';
import type { LoadedSpec } from '../spec/parse.js';
import { toCurl } from './curl.js';
import { describeProvider } from '../config/token-provider.js';
import { renderBody, TemplateError } from './template.js';
import type { Redactor } from './scheduler-deps.js';
import type { FallbackMode } from './scheduler-evaluate.js';

/**
 * `--dry-run`: every step as the curl command it would send, with no network.
 * Values known before the run (config, --var) are filled in; values a run
 * would extract are shown as `<client_id from get_client>`; tokens are `***`.
 */

export interface DryRunEntry {
  file: string;
  stepId: string;
  phase: Phase;
  /** 1-based line of the step in the spec file. */
  line: number;
  /** A curl command, or a `# ...` comment line for steps that send nothing themselves. */
  curl: string;
}

export interface DryRunOptions {
  specs: LoadedSpec[];
  environment: Environment;
  env: Record<string, string | undefined>;
  cliVars?: Record<string, VarValue>;
  fallback?: FallbackMode;
}

export interface DryRunDeps {
  apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): ApiConfig | Diagnostic;
  resolveToken(api: ApiConfig, type: string, env: Record<string, string | undefined>): { value?: string; tried: string[]; auth: AuthConfig };
  secretForms(value: string, auth?: AuthConfig): readonly string[];
  createRedactor(secrets?: string[]): Redactor;
}

const TEMPLATE = /\{\{\s*([^{}\s]+)\s*\}\}/g;
const EXACT_TEMPLATE = /^\{\{\s*([^{}\s]+)\s*\}\}$/;
/** Same rule as extracted values: a name that looks secret never shows its value. */
const SECRET_NAME = /token|secret|password|passwd|key/i;

export function renderDryRun(opts: DryRunOptions, deps: DryRunDeps): DryRunEntry[] {
  const redact = deps.createRedactor([]);
  const entries: DryRunEntry[] = [];
  for (const spec of opts.specs) {
    const api = deps.apiForSpec(opts.environment, spec.absPath, spec.doc.frontMatter);
    if (!('baseUrl' in api)) {
      entries.push({ file: spec.file, stepId: '-', phase: 'test', line: api.span?.line ?? 1, curl: `# not runnable: ${api.message}` });
      continue;
    }
    entries.push(...renderSpec(spec, api, opts, deps, redact));
  }
  return entries;
}

function renderSpec(spec: LoadedSpec, api: ApiConfig, opts: DryRunOptions, deps: DryRunDeps, redact: Redactor): DryRunEntry[] {
  const fm = spec.doc.frontMatter;
  const base = gatewayUrl(api, fm, opts.fallback ?? 'spec');
  const known: Record<string, VarValue> = { ...opts.environment.vars, ...api.vars, ...(opts.cliVars ?? {}) };
  /** Variable name -> the step (or `use`) that will define it during a run. */
  const pending = new Map<string, string>();
  const uses: string[] = [];
  const entries: DryRunEntry[] = [];

  for (const parsed of inRunOrder(spec.doc.steps)) {
    const { step } = parsed;
    const entry = { file: spec.file, stepId: step.id, phase: parsed.phase, line: parsed.span.line };
    if (step.use) {
      uses.push(step.use);
      entries.push({ ...entry, curl: `# use: ${step.use} (runs that spec's chain first and imports its variables)` });
      continue;
    }
    const value = (name: string): { text: string; known: boolean } => {
      if (name in known) return { text: SECRET_NAME.test(name) ? '***' : String(known[name] ?? ''), known: true };
      if (name.startsWith('$')) return { text: `<${name}>`, known: false };
      const from = pending.get(name);
      if (from) return { text: `<${name} from ${from}>`, known: false };
      if (uses.length > 0) return { text: `<${name} from use ${uses.join(', ')}>`, known: false };
      return { text: `<${name} undefined>`, known: false };
    };
    const fill = (s: string, encode: (v: string) => string = (v) => v): string =>
      s.replace(TEMPLATE, (_m, name: string) => {
        const v = value(name);
        return v.known ? encode(v.text) : v.text;
      });

    const path = fill(step.path ?? '', (v) => encodeURIComponent(v));
    const query = Object.entries(step.params ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${fill(String(v), (x) => encodeURIComponent(x))}`)
      .join('&');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.headers ?? {})) headers[k] = fill(String(v));
    const auth = authHeader(spec, step.token, api, opts.env, deps, redact);
    if (auth) headers[auth.name] = auth.value;
    const note = auth?.provider ? `# ${auth.provider}\n` : '';
    const body = step.body === undefined ? undefined : dryBody(step, known, fill, value);

    const url = `${base}${path.startsWith('/') ? '' : '/'}${path}${query ? `?${query}` : ''}`;
    entries.push({ ...entry, curl: redact(note + toCurl({ method: step.method ?? 'GET', url, headers, ...(body !== undefined ? { body } : {}) })) });
    for (const name of Object.keys(step.extract ?? {})) pending.set(name, step.id);
  }
  return entries;
}

/** Prerequisites, then Test Request, then Cleanup, as a run sends them; file order within a phase. */
function inRunOrder(steps: ParsedStep[]): ParsedStep[] {
  return [...steps].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
}

function gatewayUrl(api: ApiConfig, fm: FrontMatter, mode: FallbackMode): string {
  const url = mode !== 'never' && fm.useFallbackApi === true && api.fallbackUrl ? api.fallbackUrl : api.baseUrl;
  return url.replace(/\/+$/, '');
}

function authHeader(
  spec: LoadedSpec,
  stepToken: string | undefined,
  api: ApiConfig,
  env: Record<string, string | undefined>,
  deps: DryRunDeps,
  redact: Redactor,
): { name: string; value: string; provider?: string } | undefined {
  if (stepToken === 'none') return undefined;
  const types = stepToken ? [stepToken] : (spec.doc.frontMatter.tokens ?? []).filter((t): t is string => typeof t === 'string');
  if (types.length === 0) return undefined;
  const tried: string[] = [];
  for (const type of types) {
    const token = deps.resolveToken(api, type, env);
    const provider = api.tokens[type.toLowerCase()]?.provider;
    if (provider) {
      // A provider's secrets are known to the redactor too: a template could echo them.
      if (provider.kind === 'oauth2') for (const src of [provider.clientSecret, provider.password, provider.refreshToken]) if (src && env[src.env]) redact.add(env[src.env]!.trim());
      const value = token.auth.scheme ? `${token.auth.scheme} ***` : '***';
      return { name: token.auth.header, value, provider: `${type} token: would be fetched from ${describeProvider(provider)}` };
    }
    if (token.value) {
      // The redactor still learns the value: a header or body template could echo it.
      for (const form of deps.secretForms(token.value, token.auth)) redact.add(form);
      return { name: token.auth.header, value: token.auth.scheme ? `${token.auth.scheme} ***` : '***' };
    }
    tried.push(...token.tried);
  }
  return { name: api.auth.header, value: `<no token: set ${[...new Set(tried)].join(' or ')}>` };
}

/**
 * The body as the run would send it, through the run's own templating
 * (template.ts: typed "{{x}}", JSON-escaped JSON text), with placeholders for
 * values only a run knows. A value the run would refuse there falls back to
 * plain substitution, so the dry run still shows something.
 */
function dryBody(step: ParsedStep['step'], known: Record<string, VarValue>, fill: (s: string) => string, value: (name: string) => { text: string; known: boolean }): unknown {
  const own = Object.entries(step.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const lookup = (name: string): unknown => {
    const v = value(name);
    return v.known && !SECRET_NAME.test(name) && Object.hasOwn(known, name) ? known[name] : v.text;
  };
  try {
    return renderBody(step.body, own === undefined ? 'application/json' : String(own), lookup);
  } catch (e) {
    if (e instanceof TemplateError) return fillBody(step.body, fill, value);
    throw e;
  }
}

/** Templates inside a JSON body; a string that is exactly one `{{x}}` would keep x's type at run time. */
function fillBody(body: unknown, fill: (s: string) => string, value: (name: string) => { text: string; known: boolean }): unknown {
  if (typeof body === 'string') {
    const exact = EXACT_TEMPLATE.exec(body);
    if (exact?.[1]) return value(exact[1]).text;
    return fill(body);
  }
  if (Array.isArray(body)) return body.map((b) => fillBody(b, fill, value));
  if (body && typeof body === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) out[k] = fillBody(v, fill, value);
    return out;
  }
  return body;
}
