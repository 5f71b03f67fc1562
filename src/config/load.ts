import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { LineIndex, type Span } from '../source/span.js';
import { DEFAULT_CONFIG_YAML } from './default-config.js';

export const CONFIG_NAMES = ['verify.config.yaml', 'verify.config.yml'];

export interface RawConfig {
  /** Absolute path of the config file; absent when the built-in default is used. */
  file?: string;
  /** Folder that relative paths in the config resolve against. */
  rootDir: string;
  /** The environment picked (--env, VERIFY_ENV, `default:`, or the first one). */
  envName: string;
  /** The picked environment starts the built-in sandbox. */
  sandbox: boolean;
  /** The process environment plus .env values (which never override set variables). */
  env: Record<string, string | undefined>;
  /** The validated config document as plain data. */
  data: ConfigData;
  /** Span of a value by path, for messages that point into the config file. */
  spanOf(pathParts: (string | number)[]): Span | undefined;
  diagnostics: Diagnostic[];
}

export interface ApiData {
  specs?: string;
  baseUrl?: string;
  fallbackUrl?: string;
  auth?: { header?: string; scheme?: string };
  tokens?: Record<string, { env?: string; auth?: { header?: string; scheme?: string } }>;
  vars?: Record<string, string | number | boolean>;
}

export interface ConfigData {
  default?: string;
  vars?: Record<string, string | number | boolean>;
  apis?: Record<string, ApiData>;
  environments?: Record<string, { sandbox?: boolean; vars?: Record<string, string | number | boolean>; apis?: Record<string, ApiData> }>;
}

const TOP_KEYS = ['default', 'vars', 'apis', 'environments'];
const ENV_KEYS = ['sandbox', 'vars', 'apis'];
const API_KEYS = ['specs', 'baseUrl', 'fallbackUrl', 'auth', 'tokens', 'vars'];
const AUTH_KEYS = ['header', 'scheme'];
const TOKEN_KEYS = ['env', 'auth'];

export function findConfig(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function loadDotEnv(dir: string, env: Record<string, string | undefined>, diagnostics: Diagnostic[]): void {
  const file = path.join(dir, '.env');
  if (!existsSync(file)) return;
  try {
    const values = parseEnv(readFileSync(file, 'utf8'));
    for (const [k, v] of Object.entries(values)) if (env[k] === undefined) env[k] = v;
  } catch (e) {
    diagnostics.push(diag('error', 'config-dotenv', `.env could not be read: ${(e as Error).message}`, { span: { file, line: 1, col: 1 } }));
  }
}

export async function loadConfig(opts: { cwd: string; envName?: string; env: Record<string, string | undefined> }): Promise<RawConfig> {
  const file = findConfig(opts.cwd);
  const rootDir = file ? path.dirname(file) : path.resolve(opts.cwd);
  const diagnostics: Diagnostic[] = [];
  const env: Record<string, string | undefined> = { ...opts.env };
  loadDotEnv(rootDir, env, diagnostics);
  if (path.resolve(opts.cwd) !== rootDir) loadDotEnv(path.resolve(opts.cwd), env, diagnostics);

  const display = file ? path.relative(opts.cwd, file) || path.basename(file) : '(built-in sandbox config)';
  let text = DEFAULT_CONFIG_YAML;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push(diag('error', 'config-read', `${display} could not be read: ${(e as Error).message}`));
    }
  }
  const index = new LineIndex(text);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const spanOf = (parts: (string | number)[]): Span | undefined => {
    const node = doc.getIn(parts, true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return index.span(display, node.range[0], node.range[1]);
    // A key with a bad value may have no value node: point at the key.
    const parent = doc.getIn(parts.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(parts.at(-1)));
      const k = pair?.key as { range?: [number, number, number] } | undefined;
      if (k?.range) return index.span(display, k.range[0], k.range[1]);
    }
    return undefined;
  };
  for (const e of doc.errors) {
    diagnostics.push(
      diag('error', 'config-yaml', `${display}: ${e.message.split('\n')[0]}`, { span: index.span(display, e.pos[0], e.pos[1]), hint: 'fix the YAML syntax at this position' }),
    );
  }
  const data = (diagnostics.length ? {} : (doc.toJS({ maxAliasCount: 50 }) ?? {})) as ConfigData;
  if (diagnostics.length === 0) validate(data, (msg, parts, hint) => diagnostics.push(diag('error', 'config-invalid', msg, { span: spanOf(parts), ...(hint ? { hint } : {}) })));

  const envs = Object.keys(data.environments ?? {});
  let envName = opts.envName ?? data.default ?? envs[0] ?? '';
  if (diagnostics.length === 0 && !envs.includes(envName)) {
    const close = didYouMean(envName, envs);
    diagnostics.push(
      diag('error', 'config-env', `no environment named "${envName}" in ${display}`, {
        ...(opts.envName ? {} : { span: spanOf(['default']) }),
        hint: `${close ? `did you mean "${close}"? ` : ''}environments: ${envs.join(', ') || '(none)'}`,
      }),
    );
    envName = envName || '';
  }
  const sandbox = data.environments?.[envName]?.sandbox === true;
  return { ...(file ? { file } : {}), rootDir, envName, sandbox, env, data, spanOf, diagnostics };
}

type Report = (message: string, parts: (string | number)[], hint?: string) => void;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function keys(v: unknown, allowed: string[], parts: (string | number)[], what: string, report: Report): boolean {
  if (!isRecord(v)) {
    report(`${what} must be a mapping`, parts);
    return false;
  }
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) {
      const close = didYouMean(k, allowed);
      report(`unknown key "${k}" in ${what}`, [...parts, k], close ? `did you mean "${close}"?` : `allowed: ${allowed.join(', ')}`);
    }
  }
  return true;
}

function strings(v: unknown, parts: (string | number)[], what: string, report: Report, scalarsOk = false): void {
  if (v === undefined) return;
  if (!isRecord(v)) return report(`${what} must be a mapping of names to values`, parts);
  for (const [k, x] of Object.entries(v)) {
    const ok = typeof x === 'string' || (scalarsOk && (typeof x === 'number' || typeof x === 'boolean'));
    if (!ok) report(`${what}.${k} must be a string`, [...parts, k], 'quote the value');
  }
}

function validateApi(api: unknown, parts: (string | number)[], report: Report): void {
  if (!keys(api, API_KEYS, parts, `api "${String(parts.at(-1))}"`, report)) return;
  const a = api as Record<string, unknown>;
  for (const k of ['specs', 'baseUrl', 'fallbackUrl']) if (a[k] !== undefined && typeof a[k] !== 'string') report(`${k} must be a string`, [...parts, k]);
  if (a.auth !== undefined && keys(a.auth, AUTH_KEYS, [...parts, 'auth'], 'auth', report)) strings(a.auth, [...parts, 'auth'], 'auth', report);
  if (a.tokens !== undefined && isRecord(a.tokens)) {
    for (const [t, src] of Object.entries(a.tokens)) {
      const tp = [...parts, 'tokens', t];
      if (keys(src, TOKEN_KEYS, tp, `token "${t}"`, report)) {
        const s = src as Record<string, unknown>;
        if (s.env !== undefined && typeof s.env !== 'string') report('env must be a variable name', [...tp, 'env']);
        if (s.auth !== undefined && keys(s.auth, AUTH_KEYS, [...tp, 'auth'], 'auth', report)) strings(s.auth, [...tp, 'auth'], 'auth', report);
      }
    }
  } else if (a.tokens !== undefined) report('tokens must be a mapping of token types', [...parts, 'tokens']);
  strings(a.vars, [...parts, 'vars'], 'vars', report, true);
}

function validate(data: unknown, report: Report): void {
  if (!keys(data, TOP_KEYS, [], 'the config', report)) return;
  const d = data as ConfigData;
  if (d.default !== undefined && typeof d.default !== 'string') report('default must be an environment name', ['default']);
  strings(d.vars, ['vars'], 'vars', report, true);
  if (d.apis !== undefined) {
    if (!isRecord(d.apis)) report('apis must be a mapping of API names', ['apis']);
    else for (const [name, api] of Object.entries(d.apis)) validateApi(api, ['apis', name], report);
  }
  if (!isRecord(d.environments)) return report('environments must be a mapping of environment names', ['environments'], 'add at least one environment');
  for (const [name, e] of Object.entries(d.environments)) {
    const parts = ['environments', name];
    if (!keys(e, ENV_KEYS, parts, `environment "${name}"`, report)) continue;
    if (e.sandbox !== undefined && typeof e.sandbox !== 'boolean') report('sandbox must be true or false', [...parts, 'sandbox']);
    strings(e.vars, [...parts, 'vars'], 'vars', report, true);
    if (e.apis !== undefined) {
      if (!isRecord(e.apis)) report('apis must be a mapping of API names', [...parts, 'apis']);
      else for (const [api, cfg] of Object.entries(e.apis)) validateApi(cfg, [...parts, 'apis', api], report);
    }
  }
}

export type { Document };
