import { readFileSync, statSync } from 'node:fs';
import type { VarValue } from '../config/types.js';
import { globBase, isGlob } from '../specfile/glob.js';
import path from 'node:path';
import type { ConfigOverrides, Environment } from '../config/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/load.js';
import { overridesFromEnv, resolveEnvironment } from '../config/resolve.js';
import { readSpec, type LoadedSpec } from '../specfile/parse.js';
import type { CliIo } from './io.js';
import { displayPath } from './load-specs.js';
import { fail, ok, type Result } from '../result/ok.js';

export interface RunFlags {
  env?: string;
  /** Use the built-in sandbox (or the config's sandbox environment). */
  sandbox?: boolean;
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
): Promise<Result<Prepared, PrepareFailure>> {
  const raw = await loadConfig({ cwd: io.cwd, envName: flags.env ?? io.env.VERIFY_ENV, env: io.env, ...(flags.sandbox ? { sandbox: true } : {}) });
  // After the config's folder and the working directory's .env are loaded: VERIFY_BASE_URL may be in one.
  const fromEnv = overridesFromEnv(raw.env);
  const overrides: ConfigOverrides = {
    ...fromEnv,
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.fallbackUrl ? { fallbackUrl: flags.fallbackUrl } : {}),
    vars: { ...(fromEnv.vars ?? {}), ...(flags.var ?? {}) },
  };
  const source = (d: Diagnostic): string | undefined => readQuietly(d.span ? path.resolve(io.cwd, d.span.file) : undefined);
  if (raw.diagnostics.some((d) => d.severity === 'error')) return fail({ diagnostics: raw.diagnostics, source });

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
    return fail({ diagnostics: resolved.diagnostics, source });
  }
  const roots = writeRoots({ paths: opts.paths ?? ['specs'], cwd: io.cwd, environment: resolved.environment });
  return ok({
    environment: resolved.environment,
    env,
    roots,
    loadSpec: (abs: string) => readSpec(abs, displayPath(io.cwd, abs)),
    close,
    ...(sandboxUrl ? { sandboxUrl } : {}),
  });
}

/**
 * The folders a run may write spec files in (write-back refuses anything whose real path is
 * outside all of them): the folder each named path stands for (a folder itself, a named file's
 * own folder, a glob's static prefix), every `specs:` folder of the config, and the working
 * directory when there is no config. A named file's folder is taken as written, never through
 * the file's symlink target: a link to a spec elsewhere must not make "elsewhere" writable.
 */
export function writeRoots(opts: { paths: readonly string[]; cwd: string; environment: Environment }): string[] {
  const roots = new Set<string>();
  for (const p of opts.paths) {
    const abs = path.resolve(opts.cwd, p);
    const st = statSync(abs, { throwIfNoEntry: false });
    // As discovery reads it: a path that exists is that path; otherwise a glob stands for its static folder.
    if (!st && isGlob(p)) {
      roots.add(path.resolve(opts.cwd, globBase(p.split(path.sep).join('/')).base || '.'));
      continue;
    }
    // stat follows links: a symlinked folder named on the command line is still a folder the user chose.
    const isDir = st?.isDirectory() === true;
    roots.add(isDir ? abs : path.dirname(abs));
  }
  const env = opts.environment;
  for (const api of [...env.apis, ...(env.unavailable ?? [])]) if (api.specsDir) roots.add(api.specsDir);
  if (env.adHoc) roots.add(path.resolve(opts.cwd));
  return [...roots];
}

function readQuietly(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
