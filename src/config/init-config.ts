import path from 'node:path';
import type { LoadedSpec } from '../specfile/parse.js';
import { chainOrder } from '../specfile/chain-order.js';

/**
 * What `endpoint-verify init` infers from a folder of spec files, and the commented
 * verify.config.yaml and .env.example it writes. Pure: the caller reads the specs and writes
 * the files.
 *
 * Inference:
 * - APIs: one per top-level subfolder of the spec folder (`specs/<name>/...`); specs that sit
 *   directly in the folder form one API named after the folder. Specs of one subfolder share a
 *   gateway, which is how a docs repository groups them; the `swagger:` documents a group names
 *   are listed in a comment, and two groups that name the same document are noted as maybe one API.
 * - Token types: every type a spec lists in `tokens:` or a step names in `token:` ("none" aside),
 *   each read from <API>_<TYPE>_TOKEN (VERIFY_TOKEN_<TYPE> also works at run time).
 * - Variables: every `{{name}}` a step uses that no earlier step extracts and no `use:` target
 *   exports (built-ins such as `{{$uuid}}` aside), each as `${<API>_<NAME>}`.
 * - Gateways: `${<API>_BASE_URL}`, and `${<API>_FALLBACK_URL}` when a spec of the API sets
 *   `useFallbackApi: true`; `--base-url` / `--fallback-url` become the `:-default` of those.
 */

export interface InitApi {
  /** API name in the config (lower-case, [a-z0-9_-]). */
  name: string;
  /** The spec folder, relative to the config's folder, "/" separated. */
  specs: string;
  /** Upper-case prefix of its environment variables, e.g. "PLATFORM". */
  prefix: string;
  files: string[];
  swagger: string[];
  tokens: string[];
  vars: string[];
  fallback: boolean;
}

export interface InitPlan {
  apis: InitApi[];
  envName: string;
  baseUrl?: string;
  fallbackUrl?: string;
}

export interface InferOptions {
  /** Absolute folder the config will be written in. */
  configDir: string;
  /** Absolute spec folder. */
  specDir: string;
  specs: readonly LoadedSpec[];
  /** Variables a `use:` target exports, as lint computes them. */
  exportsOf(absPath: string): ReadonlySet<string> | undefined;
  envName: string;
  baseUrl?: string;
  fallbackUrl?: string;
}

function slug(s: string): string {
  const out = s
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return out || 'api';
}

function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'API';
}

/** Variables a spec needs from the environment: used before any step or `use:` defines them. */
export function neededVars(spec: LoadedSpec, exportsOf: InferOptions['exportsOf']): string[] {
  const defined = new Set<string>();
  const needed = new Set<string>();
  for (const s of chainOrder(spec.doc.steps)) {
    for (const t of s.templates) if (!t.name.startsWith('$') && !defined.has(t.name)) needed.add(t.name);
    if (typeof s.step.use === 'string') for (const n of exportsOf(path.resolve(path.dirname(spec.absPath), s.step.use)) ?? []) defined.add(n);
    for (const name of Object.keys(s.step.extract ?? {})) defined.add(name);
  }
  return [...needed];
}

/** Token types a spec can send: `tokens:` and every step's `token:` except "none". */
export function tokenTypes(spec: LoadedSpec): string[] {
  const out = new Set<string>();
  for (const t of spec.doc.frontMatter.tokens ?? []) if (typeof t === 'string' && t !== '') out.add(t.toLowerCase());
  for (const s of spec.doc.steps) if (typeof s.step.token === 'string' && s.step.token !== 'none') out.add(s.step.token.toLowerCase());
  return [...out];
}

export function inferPlan(opts: InferOptions): InitPlan {
  const groups = new Map<string, LoadedSpec[]>();
  for (const spec of opts.specs) {
    const rel = path.relative(opts.specDir, spec.absPath).split(path.sep);
    const key = rel.length > 1 ? rel[0]! : '.';
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  const used = new Set<string>();
  const apis: InitApi[] = [];
  for (const [key, specs] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const folder = key === '.' ? opts.specDir : path.join(opts.specDir, key);
    let name = slug(key === '.' ? path.basename(opts.specDir) : key);
    while (used.has(name)) name = `${name}-2`;
    used.add(name);
    const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
    apis.push({
      name,
      specs: path.relative(opts.configDir, folder).split(path.sep).join('/') || '.',
      prefix: envPrefix(name),
      files: specs.map((s) => s.file).sort(),
      swagger: sorted(specs.flatMap((s) => (typeof s.doc.frontMatter.swagger === 'string' ? [path.relative(folder, path.resolve(path.dirname(s.absPath), s.doc.frontMatter.swagger)).split(path.sep).join('/')] : []))),
      tokens: sorted(specs.flatMap(tokenTypes)),
      vars: sorted(specs.flatMap((s) => neededVars(s, opts.exportsOf))),
      fallback: specs.some((s) => s.doc.frontMatter.useFallbackApi === true) || opts.fallbackUrl !== undefined,
    });
  }
  return { apis, envName: opts.envName, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), ...(opts.fallbackUrl ? { fallbackUrl: opts.fallbackUrl } : {}) };
}

/** A ${NAME} reference, with the given URL as its default when there is one. */
function ref(name: string, fallback: string | undefined): string {
  return fallback ? `\${${name}:-${fallback}}` : `\${${name}}`;
}

/** YAML-quoted when the plain form could be misread. */
function q(s: string): string {
  return /^[A-Za-z0-9_./${}:-]+$/.test(s) && !s.includes(': ') ? s : JSON.stringify(s);
}

/** Every variable the config reads, in the order it names them, with what each is for. */
export function variablesOf(plan: InitPlan): { name: string; about: string; required: boolean }[] {
  const out: { name: string; about: string; required: boolean }[] = [];
  for (const api of plan.apis) {
    out.push({ name: `${api.prefix}_BASE_URL`, about: `${api.name}: primary gateway, e.g. https://staging.example.com/api`, required: !plan.baseUrl });
    if (api.fallback) out.push({ name: `${api.prefix}_FALLBACK_URL`, about: `${api.name}: fallback gateway (specs with useFallbackApi: true)`, required: !plan.fallbackUrl });
    for (const t of api.tokens) out.push({ name: tokenVar(api, t), about: `${api.name}: token of type "${t}"`, required: true });
    for (const v of api.vars) out.push({ name: varVar(api, v), about: `${api.name}: value of {{${v}}}`, required: true });
  }
  return out;
}

function tokenVar(api: InitApi, type: string): string {
  return `${api.prefix}_${envPrefix(type)}_TOKEN`;
}

function varVar(api: InitApi, name: string): string {
  return `${api.prefix}_${envPrefix(name)}`;
}

/** The commented verify.config.yaml for a plan (docs/configuration.md describes every key). */
export function renderConfig(plan: InitPlan): string {
  const L: string[] = [
    '# verify.config.yaml, written by `endpoint-verify init` (docs/configuration.md).',
    '# Values in ${NAME} come from the environment or a .env file next to this one (see .env.example);',
    '# ${NAME:-value} gives a default. A spec runs against the API whose `specs:` folder holds it.',
    '# Any token type can also come from VERIFY_TOKEN_<TYPE>; `--base-url` overrides every gateway for one run.',
    `default: ${q(plan.envName)}`,
    '',
    '# One API per top-level folder of the spec folder: specs in one folder share a gateway.',
    'apis:',
  ];
  const seenSwagger = new Map<string, string>();
  for (const api of plan.apis) {
    L.push(`  ${api.name}:`);
    L.push(`    # ${api.files.length} spec${api.files.length === 1 ? '' : 's'}${api.swagger.length ? `; OpenAPI: ${api.swagger.join(', ')}` : ''}`);
    for (const doc of api.swagger) {
      const key = path.posix.basename(doc);
      const other = seenSwagger.get(key);
      if (other) L.push(`    # (API "${other}" names an OpenAPI document of the same name: if both are one API, give them one folder)`);
      else seenSwagger.set(key, api.name);
    }
    L.push(`    specs: ${q(api.specs)}`);
    if (api.tokens.length) L.push('    auth: { header: Authorization, scheme: Bearer }   # scheme "" sends the raw token (X-API-Key style)');
    else L.push('    # its specs list no token types: requests go without credentials');
  }
  L.push('', 'environments:', `  ${q(plan.envName)}:`, '    apis:');
  for (const api of plan.apis) {
    L.push(`      ${api.name}:`);
    L.push(`        baseUrl: ${q(ref(`${api.prefix}_BASE_URL`, plan.baseUrl))}`);
    if (api.fallback) L.push(`        fallbackUrl: ${q(ref(`${api.prefix}_FALLBACK_URL`, plan.fallbackUrl))}   # for specs with useFallbackApi: true`);
    if (api.tokens.length) {
      L.push('        tokens:   # the token types its specs list (tokens:) and steps name (token:)');
      for (const t of api.tokens) L.push(`          ${q(t)}: { env: ${tokenVar(api, t)} }`);
    }
    if (api.vars.length) {
      L.push('        vars:     # used by its specs ({{name}}) but extracted by no step');
      for (const v of api.vars) L.push(`          ${q(v)}: ${q(`\${${varVar(api, v)}}`)}`);
    }
  }
  return `${L.join('\n')}\n`;
}

/** .env.example: every variable the config reads, empty, with what it is for. */
export function renderEnvExample(plan: InitPlan): string {
  const L = ['# Copy to .env (never commit it) or set these in the shell or the CI secret store.'];
  for (const v of variablesOf(plan)) L.push(`# ${v.about}${v.required ? '' : ' (optional: the config has a default)'}`, `${v.name}=`);
  return `${L.join('\n')}\n`;
}
