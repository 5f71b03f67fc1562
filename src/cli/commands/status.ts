import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import * as p from '../parsers.js';
import type { StatusFlags } from '../status-action.js';

export function registerStatus(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('status')
    .description('freshness from front-matter alone (no network): failing, blocked, never verified, stale')
    .argument('[paths...]', 'spec files, folders or globs (default: the config\'s specs: folders, else specs)')
    .option('--stale <duration>', 'also flag specs not verified within this duration (e.g. 7d)', p.duration)
    .option('--status <list>', 'only specs with one of these statuses', p.statusList)
    .option('--format <format>', 'text table or json', p.choice(['text', 'json'] as const), 'text')
    .option('--reporter <name[:file]>', 'html:<file> writes the freshness dashboard (repeatable)', p.collect)
    .option('--check', 'exit 1 when any spec is failing, blocked, never verified or stale')
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify status
  $ endpoint-verify status --stale 7d --check
  $ endpoint-verify status --reporter html:freshness.html`,
    )
    .action(async (paths: string[], flags: StatusFlags) => {
      const [{ runStatus }, { pathsOrDefault }] = await Promise.all([import('../status-action.js'), import('../default-paths.js')]);
      setExit(await runStatus(await pathsOrDefault(paths, io), flags, io));
    });
}
