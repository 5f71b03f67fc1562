import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import * as p from '../parsers.js';
import type { LintFlags } from '../lint-action.js';

export function registerLint(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('lint')
    .description('check spec files without sending anything: structure, steps, variables, JSONPaths, endpoints')
    .argument('[paths...]', 'spec files (any extension), folders (scanned for *.md) or globs (default: the config\'s specs: folders, else specs)')
    .option('--format <format>', 'text (hurl-style) or json', p.choice(['text', 'json'] as const), 'text')
    .option('-e, --env <name>', 'environment whose variables count as defined')
    .option('--var <name=value>', 'a variable that counts as defined (repeatable)', p.keyValue)
    .option('--strict', 'warnings fail too (exit 1)')
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify lint                      # everything under specs/
  $ endpoint-verify lint seeds/000_11bf8588d5c8ca38.txt
  $ endpoint-verify lint specs --format json > lint.json

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings, 2 usage error.`,
    )
    .action(async (paths: string[], flags: LintFlags) => {
      const [{ runLint }, { pathsOrDefault }] = await Promise.all([import('../lint-action.js'), import('../default-paths.js')]);
      setExit(await runLint(await pathsOrDefault(paths, io), flags, io));
    });
}
