import { apiForSpec } from '../config/api-for-spec.js';
import { resolveToken } from '../config/tokens.js';
import { createRedactor } from '../secret/index.js';
import { renderDryRun, type DryRunEntry, type DryRunOptions } from './dry-run-render.js';

export type { DryRunEntry, DryRunOptions } from './dry-run-render.js';

/**
 * `--dry-run`: the requests a run would send, as redacted curl commands. No
 * network. The real collaborators are wired here so the renderer itself stays
 * testable with fakes; the CLI loads this module only for `--dry-run`.
 */
export async function dryRun(opts: DryRunOptions): Promise<DryRunEntry[]> {
  return renderDryRun(opts, { apiForSpec, resolveToken, createRedactor });
}
