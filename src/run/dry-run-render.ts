import type { ApiConfig, AuthConfig, Environment, VarValue } from '../config/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Result } from '../result/ok.js';
import type { FrontMatter, Phase } from '../specfile/model.js';
import { chainOrder } from '../specfile/chain-order.js';
import type { LoadedSpec } from '../specfile/parse.js';
import { chainVariables } from './chain/run-chain.js';
import { planRequest, type RequestPlan } from './chain/request.js';
import { specToken, stepToken, type TokenFetcher } from './chain/token.js';
import { toCurl } from './curl.js';
import { describeProvider } from '../config/token-provider.js';
import type { Redactor } from './scheduler/deps.js';
import type { FallbackMode } from './scheduler/evaluate.js';
import { seedSecrets } from './scheduler/run-specs.js';
import type { Lookup } from './template.js';

/**
 * `--dry-run`: every step as the curl command it would send, with no network. The request is
 * the run's own plan (chain/request.ts planRequest), with the run's variables
 * (chainVariables), token choice (chain/token.ts) and redactor seeded as a run seeds it
 * (seedSecrets): what is printed is what a run sends, masked as a run masks it. Values only a
 * run can know (extracted, imported by `use:`, built-ins) are shown as `<client_id from get_client>`.
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
  apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): Result<ApiConfig, Diagnostic>;
  resolveToken(api: ApiConfig, type: string, env: Record<string, string | undefined>): { value?: string; tried: string[]; auth: AuthConfig };
  createRedactor(secrets?: string[]): Redactor;
}

export async function renderDryRun(opts: DryRunOptions, deps: DryRunDeps): Promise<DryRunEntry[]> {
  const redact = deps.createRedactor([]);
  // As a run does before its first request: every token any spec could send is known.
  seedSecrets(redact, deps, opts, opts.specs);
  const entries: DryRunEntry[] = [];
  for (const spec of opts.specs) {
    const api = deps.apiForSpec(opts.environment, spec.absPath, spec.doc.frontMatter);
    if (!api.ok) {
      entries.push({ file: spec.file, stepId: '-', phase: 'test', line: api.error.span?.line ?? 1, curl: `# not runnable: ${api.error.message}` });
      continue;
    }
    entries.push(...(await renderSpec(spec, api.value, opts, redact)));
  }
  return entries;
}

/** Placeholders travel through the builder as plain letters (no encoding changes them), then become text. */
const PLACEHOLDER = /EVDRYRUNVALUE(\d+)X/g;

async function renderSpec(spec: LoadedSpec, api: ApiConfig, opts: DryRunOptions, redact: Redactor): Promise<DryRunEntry[]> {
  const fm = spec.doc.frontMatter;
  const gateway = (opts.fallback ?? 'spec') !== 'never' && fm.useFallbackApi === true && api.fallbackUrl ? 'fallback' : 'primary';
  const asked = new Map<string, string>();
  const ctx = { api, environment: opts.environment, env: opts.env, gateway, redact, tokens: dryFetcher(redact, asked), ...(opts.cliVars ? { cliVars: opts.cliVars } : {}) } as const;
  const { lookup: known } = chainVariables(ctx);
  /** Variable name -> the step (or `use`) that will define it during a run. */
  const pending = new Map<string, string>();
  const uses: string[] = [];
  const shown: string[] = [];
  const placeholder = (text: string): string => {
    shown.push(text);
    return `EVDRYRUNVALUE${shown.length - 1}X`;
  };
  const lookup: Lookup = (name) => {
    if (name.startsWith('$')) return placeholder(`<${name}>`);
    const v = known(name);
    if (v !== undefined) return v;
    const from = pending.get(name);
    if (from) return placeholder(`<${name} from ${from}>`);
    if (uses.length > 0) return placeholder(`<${name} from use ${uses.join(', ')}>`);
    return undefined; // the builder's own error: "{{x}} is not defined"
  };
  const specChoice = await specToken(ctx, fm.tokens);
  const entries: DryRunEntry[] = [];

  for (const parsed of chainOrder(spec.doc.steps)) {
    const { step } = parsed;
    const entry = { file: spec.file, stepId: step.id, phase: parsed.phase, line: parsed.span.line };
    if (step.use) {
      uses.push(step.use);
      entries.push({ ...entry, curl: `# use: ${step.use} (runs that spec's chain first and imports its variables)` });
      continue;
    }
    const choice = await stepToken(ctx, step.token, specChoice);
    const provider = 'error' in choice || !choice.token?.provider ? undefined : asked.get(choice.token.type);
    const note =
      'error' in choice ? `# a run would stop here: ${redact(choice.error.message)}\n` : provider ? `# ${choice.token!.type} token: would be fetched from ${provider}\n` : '';
    const plan = planRequest(parsed, ctx, lookup, 'error' in choice ? undefined : choice.token);
    if ('error' in plan) {
      entries.push({ ...entry, curl: `${note}# not sendable (${plan.error.code}): ${redact(plan.error.message)}` });
    } else {
      // Placeholders become text before quoting, so "<id from step>" is quoted for the shell.
      const text = (v: string): string => v.replace(PLACEHOLDER, (_m, i: string) => shown[Number(i)] ?? '');
      entries.push({ ...entry, curl: note + planAsCurl(plan, redact, text) });
    }
    for (const name of Object.keys(step.extract ?? {})) pending.set(name, step.id);
  }
  return entries;
}

/**
 * A plan as curl: its method, URL and body and the headers as results show them (credentials
 * masked: "Authorization: Bearer ***"), through the run's redactor. `text` turns the dry-run's
 * placeholders into what they stand for.
 */
function planAsCurl(plan: RequestPlan, redact: Redactor, text: (v: string) => string): string {
  const { method, url, body } = plan.request;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(plan.shownHeaders)) headers[k] = text(v);
  return redact(toCurl({ method, url: text(url), headers, ...(body !== undefined ? { body: text(body) } : {}) }));
}

/**
 * A provider token as `--dry-run` shows it: nothing is fetched; the run's token choice gets a
 * stand-in value the redactor masks (`Bearer ***`), and `asked` records which provider a run
 * would ask, per token type.
 */
function dryFetcher(redact: Redactor, asked: Map<string, string>): TokenFetcher {
  return {
    providerOf: dryFetcherProvider,
    get: async (api, type) => {
      const provider = dryFetcherProvider(api, type);
      if (!provider) return { error: { code: 'token', message: `token type "${type}" of API "${api.name}" has no provider` } };
      const shown = describeProvider(provider);
      asked.set(type, shown);
      const value = `EVDRYRUNTOKEN-${type}`;
      redact.add(value);
      return { value, provider: shown };
    },
  };
}

function dryFetcherProvider(api: ApiConfig, type: string): ReturnType<TokenFetcher['providerOf']> {
  const key = Object.keys(api.tokens).find((k) => k.toLowerCase() === type.toLowerCase());
  return key === undefined ? undefined : api.tokens[key]?.provider;
}
