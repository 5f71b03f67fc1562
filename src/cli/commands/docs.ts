import type { Command } from 'commander';
import type { CliIo } from '../io.js';

/** `docs adopt`: owned-table markers around the tables a spec file already keeps by hand. */
export function registerDocs(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const docs = program.command('docs').description('owned tables in spec files (see docs/spec-format.md, "Owned tables")');
  docs
    .command('adopt')
    .description('put <!-- endpoint-verify:KIND --> markers around the Response Codes, Authentication and Swagger Discrepancies tables (changes nothing else)')
    .argument('[paths...]', "spec files, folders or globs (default: the config's specs: folders, else specs)")
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify docs adopt                     # every spec under specs/
  $ endpoint-verify docs adopt specs/platform/get-client-conversations.md
  $ endpoint-verify verify --update-docs           # then keep the adopted tables true`,
    )
    .action(async (paths: string[]) => {
      const [{ runDocsAdopt }, { pathsOrDefault }] = await Promise.all([import('../docs-action.js'), import('../default-paths.js')]);
      setExit(await runDocsAdopt(await pathsOrDefault(paths, io), io));
    });
}
