import type { VarValue } from '../config/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadConfig } from '../config/load.js';
import { resolveEnvironment } from '../config/resolve.js';
import type { CliIo } from './io.js';

/**
 * Variable names an environment defines, for lint's "is {{x}} defined?".
 * Nothing is started or sent: the sandbox URL is a placeholder here.
 */
export async function knownVariables(
  io: CliIo,
  envName: string | undefined,
  cliVars: Record<string, VarValue> | undefined,
): Promise<{ names: Set<string>; diagnostics: Diagnostic[] }> {
  const names = new Set(Object.keys(cliVars ?? {}));
  const raw = await loadConfig({ cwd: io.cwd, envName: envName ?? io.env.VERIFY_ENV, env: io.env });
  // raw.env is the environment plus .env files: a VERIFY_VAR_x in .env defines x for a run too.
  for (const key of Object.keys(raw.env)) if (key.startsWith('VERIFY_VAR_') && key.length > 'VERIFY_VAR_'.length) names.add(key.slice('VERIFY_VAR_'.length));
  if (raw.diagnostics.some((d) => d.severity === 'error')) return { names, diagnostics: raw.diagnostics };
  const env = { ...raw.env, VERIFY_SANDBOX_URL: raw.env.VERIFY_SANDBOX_URL ?? 'http://127.0.0.1' };
  const resolved = resolveEnvironment(raw, { env, overrides: { baseUrl: 'http://127.0.0.1' } });
  if (resolved.environment) {
    for (const k of Object.keys(resolved.environment.vars)) names.add(k);
    for (const api of resolved.environment.apis) for (const k of Object.keys(api.vars)) names.add(k);
  }
  return { names, diagnostics: [] };
}
