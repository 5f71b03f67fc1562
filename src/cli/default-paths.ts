import path from 'node:path';
import type { ApiData } from '../config/config-schema.js';
import { findConfig, loadConfig } from '../config/load.js';

/** The folder commands fall back to with neither named paths nor a config that names folders. */
export const DEFAULT_SPEC_FOLDER = 'specs';

/**
 * The spec paths a command works on when the user names none: every `specs:` folder of the
 * verify.config.yaml found from `cwd` upward (top-level APIs and each environment's), as paths
 * relative to `cwd`, in config order; `['specs']` when there is no config or it names none.
 * Never throws: a config that does not load falls back too, and the command then reports that
 * config's own diagnostics when it loads it.
 */
export async function defaultSpecPaths(cwd: string, env: Record<string, string | undefined>): Promise<string[]> {
  if (!findConfig(cwd)) return [DEFAULT_SPEC_FOLDER];
  const raw = await loadConfig({ cwd, env }).catch(() => undefined);
  if (!raw?.file) return [DEFAULT_SPEC_FOLDER];
  const folders = new Set<string>();
  const add = (apis: Record<string, ApiData | null> | null | undefined): void => {
    for (const api of Object.values(apis ?? {})) {
      if (typeof api?.specs === 'string') folders.add(path.relative(cwd, path.resolve(raw.rootDir, api.specs)) || '.');
    }
  };
  add(raw.data.apis);
  for (const e of Object.values(raw.data.environments ?? {})) add(e?.apis);
  return folders.size > 0 ? [...folders] : [DEFAULT_SPEC_FOLDER];
}

/** `paths` as given, or the defaults above when none were named. */
export async function pathsOrDefault(paths: readonly string[], io: { cwd: string; env: Record<string, string | undefined> }): Promise<string[]> {
  return paths.length > 0 ? [...paths] : defaultSpecPaths(io.cwd, io.env);
}
