import type { VarValue } from '../config/types.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigOverrides, Environment } from '../config/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/load.js';
import { overridesFromEnv, resolveEnvironment } from '../config/resolve.js';
import { readSpec, type LoadedSpec } from '../spec/parse.js';
import type { CliIo } from './io.js';
import { displayPath } from './load-specs.js';

export interface RunFlags {
  env?: string;
  baseUrl?: string;
  fallbackUrl?: string;
  var?: Record<string, VarValue>;
}

export interface Prepared {
  environment: Environment;
  env: Record<string, string | undefined>;
  /** Where write-back may write: the paths the run was given. */
  roots: string[];
  loadSpec(absPath: string): Promise<LoadedSpec>;
  /** Stops the sandbox if this run started it. */
  close(): Promise<void>;
  sandboxUrl?: string;
}

export interface PrepareFailure {
  diagnostics: Diagnostic[];
  source?: (d: Diagnostic) => string | undefined;
}

/**
 * Config + .env + VERIFY_* + flags -> one resolved environment; starts the
 * built-in sandbox when the environment asks for it and no --base-url was given.
 */
export async function prepareEnvironment(
  flags: RunFlags,
  io: CliIo,
  opts: { paths?: string[]; needSandbox?: boolean } = {},
): Promise<Prepared | PrepareFailure> {
  const fromEnv = overridesFromEnv(io.env);
  const overrides: ConfigOverrides = {
    ...fromEnv,
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.fallbackUrl ? { fallbackUrl: flags.fallbackUrl } : {}),
    vars: { ...(fromEnv.vars ?? {}), ...(flags.var ?? {}) },
  };
  const raw = await loadConfig({ cwd: io.cwd, envName: flags.env ?? io.env.VERIFY_ENV, env: io.env });
  const source = (d: Diagnostic): string | undefined => readQuietly(d.span ? path.resolve(io.cwd, d.span.file) : undefined);
  if (raw.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: raw.diagnostics, source };

  let env: Record<string, string | undefined> = { ...raw.env };
  let close = async (): Promise<void> => {};
  let sandboxUrl: string | undefined;
  if (raw.sandbox && !overrides.baseUrl && opts.needSandbox !== false) {
    const { startSandbox } = await import('../sandbox/server.js');
    const sandbox = await startSandbox();
    sandboxUrl = sandbox.url;
    env = { ...env, ...sandbox.env };
    close = () => sandbox.close();
  }
  const resolved = resolveEnvironment(raw, { env, overrides });
  if (!resolved.environment) {
    await close();
    return { diagnostics: resolved.diagnostics, source };
  }
  const roots = (opts.paths ?? ['specs']).map((p) => path.resolve(io.cwd, staticPrefix(p)));
  return {
    environment: resolved.environment,
    env,
    roots,
    loadSpec: (abs) => readSpec(abs, displayPath(io.cwd, abs)),
    close,
    ...(sandboxUrl ? { sandboxUrl } : {}),
  };
}

/** "specs/**\/*.md" -> "specs": the folder a glob can match inside. */
function staticPrefix(p: string): string {
  const parts = p.split(/[\\/]/);
  const i = parts.findIndex((s) => /[*?[{]/.test(s));
  return i === -1 ? p : parts.slice(0, i).join('/') || '.';
}

function readQuietly(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
