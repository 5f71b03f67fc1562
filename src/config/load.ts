import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { LineIndex, type Span } from '../source/span.js';
import { validateConfig, type ConfigData } from './config-schema.js';
import type { KeyPath } from './key-path.js';
import { DEFAULT_CONFIG_YAML } from './default-config.js';
import { loadDotEnvFiles } from './dotenv.js';
import { loadYaml } from '../yaml/load.js';

export type { ApiData, ConfigData, EnvironmentData } from './config-schema.js';

export const CONFIG_NAMES = ['verify.config.yaml', 'verify.config.yml'];

/** The name of the one API of a run without a config file. */
export const AD_HOC_API = 'api';

export interface RawConfig {
  /** Absolute path of the config file; absent when the built-in default is used. */
  file?: string;
  /** Folder that relative paths in the config resolve against (the config's folder, or cwd). */
  rootDir: string;
  /** The environment picked (envName, VERIFY_ENV, `default:`, or the first one). */
  envName: string;
  /** The picked environment starts the built-in sandbox. */
  sandbox: boolean;
  /**
   * No config file and no --sandbox: the run is one ad-hoc API from --base-url / VERIFY_BASE_URL
   * covering every spec it is given (resolveEnvironment builds it).
   */
  adHoc?: boolean;
  /** The given environment plus .env values (which never override set variables). */
  env: Record<string, string | undefined>;
  /** The validated config document as plain data (empty when it did not validate). */
  data: ConfigData;
  /** Position of a value (or, with at 'key', of its key) in the config file, for messages. */
  spanOf(parts: KeyPath, at?: 'key'): Span | undefined;
  diagnostics: Diagnostic[];
}

/** verify.config.yaml (or .yml) in cwd or the nearest folder above it. */
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

/**
 * Finds the config, loads .env (config folder first, then cwd; set variables
 * are never overridden), validates with positions and picks the environment.
 * Never throws on bad input: every problem is a Diagnostic.
 */
export async function loadConfig(opts: {
  cwd: string;
  envName?: string;
  env: Record<string, string | undefined>;
  /** `--sandbox`: the config's sandbox environment, or with no config the built-in sandbox config. */
  sandbox?: boolean;
}): Promise<RawConfig> {
  const cwd = path.resolve(opts.cwd);
  const file = findConfig(cwd);
  const rootDir = file ? path.dirname(file) : cwd;
  const env: Record<string, string | undefined> = { ...opts.env };
  const diagnostics: Diagnostic[] = loadDotEnvFiles([rootDir, cwd], env, cwd);
  if (!file && !opts.sandbox) {
    // Someone else's folder: never this repository's sandbox APIs, silently. One API, no `specs:`.
    const envName = opts.envName || 'default';
    const data: ConfigData = { environments: { [envName]: { apis: { [AD_HOC_API]: {} } } } };
    return { rootDir, envName, sandbox: false, adHoc: true, env, data, spanOf: () => undefined, diagnostics };
  }

  const display = file ? path.relative(cwd, file) || path.basename(file) : 'built-in sandbox config';
  let text = DEFAULT_CONFIG_YAML;
  if (file) {
    try {
      text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    } catch (e) {
      diagnostics.push(diag('error', 'config-read', `${display} could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { hint: 'check the file permissions' }));
      return { ...(file ? { file } : {}), rootDir, envName: '', sandbox: false, env, data: {}, spanOf: () => undefined, diagnostics };
    }
  }
  const index = new LineIndex(text);
  const at = (start: number, end?: number): Span | undefined => (file ? index.span(display, start, end) : undefined);

  // One read gives the values and the position of every key and value (the fast reader for
  // plain YAML, the yaml package otherwise); its YAML problems are this file's config-yaml errors.
  const yamlDiagnostics: Diagnostic[] = [];
  const loaded = loadYaml(text, { file: display, index, base: 0, diagnostics: yamlDiagnostics });
  for (const d of yamlDiagnostics) diagnostics.push({ ...d, code: 'config-yaml', ...(file ? {} : { span: undefined }) });
  const spanOf = (parts: KeyPath, which?: 'key'): Span | undefined => {
    if (!file || !loaded) return undefined;
    const p = parts.join('.');
    if (which === 'key') {
      // The key's own position (its line and column; the span through its value would underline both).
      const s = loaded.keySpans.get(p);
      if (s) return { file: s.file, line: s.line, col: s.col };
    } else {
      const s = loaded.valueSpans.get(p);
      if (s) return s;
    }
    return parts.length ? spanOf(parts.slice(0, -1)) : at(0);
  };
  const data: unknown = loaded ? loaded.value : {};
  const found: Diagnostic[] = [];
  const valid =
    diagnostics.length === 0 &&
    validateConfig(data, (message, parts, extra) =>
      found.push(
        diag(extra?.warning ? 'warning' : 'error', 'config-invalid', message, {
          span: spanOf(parts, extra?.at),
          hint: extra?.hint,
        }),
      ),
    );
  // In file order, as an editor would walk them.
  found.sort((a, b) => (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.col ?? 0) - (b.span?.col ?? 0));
  diagnostics.push(...found);
  const config: ConfigData = valid ? (data as ConfigData) : {};

  const envs = Object.keys(config.environments ?? {});
  let envName = opts.envName ?? env.VERIFY_ENV ?? config.default ?? envs[0] ?? '';
  if (opts.sandbox && valid) {
    const sandboxEnv = envs.find((name) => config.environments?.[name]?.sandbox === true);
    if (sandboxEnv === undefined) {
      diagnostics.push(
        diag('error', 'config-env', `--sandbox: ${display} has no environment with "sandbox: true"`, {
          hint: 'add one (see docs/sandbox.md), or run without --sandbox',
        }),
      );
    } else envName = sandboxEnv;
  }
  if (valid && config.default !== undefined && !envs.includes(config.default)) {
    diagnostics.push(unknownEnv(config.default, envs, display, 'default:', spanOf(['default'])));
  }
  if (valid && !envs.includes(envName)) {
    const from = opts.envName !== undefined ? '--env' : env.VERIFY_ENV !== undefined ? 'VERIFY_ENV' : undefined;
    if (from) diagnostics.push(unknownEnv(envName, envs, display, from, undefined));
    envName = '';
  }
  const sandbox = config.environments?.[envName]?.sandbox === true;
  return { ...(file ? { file } : {}), rootDir, envName, sandbox, env, data: config, spanOf, diagnostics };
}

function unknownEnv(name: string, envs: string[], display: string, from: string, span: Span | undefined): Diagnostic {
  const close = didYouMean(name, envs);
  return diag('error', 'config-env', `no environment named "${name}" (from ${from}) in ${display}`, {
    span,
    hint: `${close ? `did you mean "${close}"? ` : ''}environments: ${envs.join(', ') || '(none)'}`,
  });
}
