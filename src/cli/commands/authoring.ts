import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import type { DiscrepancyFlags } from '../discrepancies-action.js';
import type { NewFlags } from '../new-action.js';
import { addRunOptions } from './verify.js';

/** `new` (scaffold a spec from an OpenAPI operation) and `discrepancies` (where the docs and the API disagree). */
export function registerAuthoring(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const create = program
    .command('new')
    .description('write a new spec file from an OpenAPI operation (never overwrites)')
    .argument('<endpoint>', '"METHOD /path/{param}" as documented')
    .requiredOption('--swagger <file>', 'the OpenAPI 2.0/3.x document (JSON or YAML)')
    .option('--out <file>', 'where to write the spec (default: <first specs: folder of the config, else specs>/<method>-<path>.md)')
    .option('--api <name>', 'the API of the environment the spec belongs to (writes `api:` into the front-matter)')
    .option('--run', 'verify the new spec once against the current environment and record the outcome');
  addRunOptions(create)
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify new "GET /platform/v1/clients/{client_id}/conversations" --swagger specs/platform/mcp_swagger/communication.json
  $ endpoint-verify new "GET /api/conversations" --swagger specs/whatsapp/openapi/whatsapp.yaml --out specs/whatsapp/list.md --run`,
    )
    .action(async (endpoint: string, flags: NewFlags) => {
      const { runNew } = await import('../new-action.js');
      setExit(await runNew(endpoint, flags, io));
    });

  const disc = program
    .command('discrepancies')
    .description('run specs (writing nothing) and print where the OpenAPI document and the API disagree, as Markdown tables')
    .argument('[paths...]', 'spec files, folders or globs (default: the config\'s specs: folders, else specs)')
    .option('--check', 'exit 1 when any discrepancy is found');
  addRunOptions(disc)
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify discrepancies
  $ endpoint-verify discrepancies specs/platform --env staging > discrepancies.md`,
    )
    .action(async (paths: string[], flags: DiscrepancyFlags) => {
      const [{ runDiscrepancies }, { pathsOrDefault }] = await Promise.all([import('../discrepancies-action.js'), import('../default-paths.js')]);
      setExit(await runDiscrepancies(await pathsOrDefault(paths, io), flags, io));
    });
}
