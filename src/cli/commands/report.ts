import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, exitCodeFor } from '../exit-codes.js';
import { githubRunOutput } from '../github-output.js';
import { withConsole } from '../../report/reporter-list.js';
import { useColor, type CliIo } from '../io.js';
import * as p from '../parsers.js';

export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const report = program.command('report').description('work with JSON run reports');
  report
    .command('merge')
    .description('join JSON reports of sharded runs into one report')
    .argument('<files...>', 'JSON reports written with --reporter json:<file>')
    .option('--reporter <name[:file]>', 'console, json:<file>, junit:<file>, markdown:<file>, html:<file> (repeatable)', p.collect)
    .addHelpText(
      'after',
      `
Example:
  $ endpoint-verify report merge shard-*.json --reporter junit:all.xml --reporter html:report.html

Exit codes: as verify's, from the merged outcomes (0 all verified, 1 failing or blocked,
2 an invalid spec or an unreadable report, 3 an error outcome or a report file not written,
130 an interrupted shard).`,
    )
    .action(async (files: string[], flags: { reporter?: string[] }) => {
      const [{ mergeReports }, { finishReporters }, { createReporters }] = await Promise.all([
        import('../../report/merge.js'),
        import('../../report/reporter.js'),
        import('../reporters.js'),
      ]);
      const docs: unknown[] = [];
      for (const f of files) {
        try {
          docs.push(JSON.parse(await readFile(path.resolve(io.cwd, f), 'utf8')));
        } catch (err) {
          io.stderr.write(`error: cannot read report ${f}: ${(err as Error).message}\n`);
          setExit(EXIT.usage);
          return;
        }
      }
      const merged = mergeReports(docs);
      if (!merged.ok) {
        for (const d of merged.error) io.stderr.write(`error[${d.code}]: ${d.message}${d.hint ? ` (${d.hint})` : ''}\n`);
        setExit(EXIT.usage);
        return;
      }
      const created = await createReporters(withConsole(flags.reporter, false), {
        stdout: io.stdout,
        cwd: io.cwd,
        color: useColor(io.stdout, io.env),
        quiet: true,
        verbose: false,
        sources: () => undefined,
      });
      if (!created.ok) {
        io.stderr.write(`error: ${created.error}\n`);
        setExit(EXIT.usage);
        return;
      }
      const failures = await finishReporters(created.value, merged.value);
      for (const f of failures) io.stderr.write(`error: the ${f.label} could not be written: ${f.message}\n`);
      await githubRunOutput(merged.value, io);
      setExit(exitCodeFor(merged.value, { runtime: failures.length > 0 }));
    });
}
