import { renderDryRun, type DryRunEntry, type DryRunOptions } from './dry-run-render.js';

export type { DryRunEntry, DryRunOptions } from './dry-run-render.js';

/**
 * `--dry-run`: the requests a run would send, as redacted curl commands. No
 * network. The config and redaction modules are loaded here so the renderer
 * itself stays testable with fakes.
 */
export async function dryRun(opts: DryRunOptions): Promise<DryRunEntry[]> {
  const [api, tokens, redact] = await Promise.all([
    import('../config/api-for-spec.js'),
    import('../config/tokens.js'),
    import('../secret/index.js'),
  ]);
  return renderDryRun(opts, {
    apiForSpec: api.apiForSpec,
    resolveToken: tokens.resolveToken,
    createRedactor: redact.createRedactor,
  });
}
