import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './exit-codes.js';
import { colorFlags, type CliIo } from './io.js';
import { registerVerify } from './commands/verify.js';
import { registerLint } from './commands/lint.js';
import { registerMisc } from './commands/misc.js';
import { registerStatus } from './commands/status.js';
import { registerReport } from './commands/report.js';
import { registerAuthoring } from './commands/authoring.js';
import { registerDocs } from './commands/docs.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('endpoint-verify')
    .description('Keeps API documentation honest: verifies Markdown endpoint specs against the API and writes the verdict back.')
    .version(version(), '-V, --version')
    .showSuggestionAfterError(true)
    // Taken out of the arguments by main() (they work before or after the command); listed for --help.
    .option('--color', 'colour the output even when it is not a terminal (CI logs); same as FORCE_COLOR=1')
    .option('--no-color', 'no colour; same as NO_COLOR=1')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // One clear line for usage mistakes ("error: unknown option '--tagz' (Did you mean --tags?)").
      outputError: (s, write) => write(`${s.trim().replace(/\n+/g, ' ')}\n`),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify verify specs --base-url https://staging.example.com/api   # no config needed
  $ endpoint-verify verify                 # verify specs/ as verify.config.yaml says
  $ endpoint-verify verify --env staging   # against real gateways (see docs/configuration.md)
  $ endpoint-verify lint specs
  $ endpoint-verify init                   # write verify.config.yaml for specs/ (never overwrites)
  $ endpoint-verify status --stale 7d
  $ endpoint-verify new "GET /platform/v1/clients" --swagger specs/platform/mcp_swagger/communication.json`,
    );
  registerVerify(program, io, setExit);
  registerLint(program, io, setExit);
  registerStatus(program, io, setExit);
  registerReport(program, io, setExit);
  registerAuthoring(program, io, setExit);
  registerDocs(program, io, setExit);
  registerMisc(program, io, setExit);
  for (const cmd of program.commands) {
    cmd.exitOverride().showSuggestionAfterError(true).configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(`${s.trim().replace(/\n+/g, ' ')}\n`),
    });
  }
  return program;
}

export async function main(rawArgv: string[], rawIo: CliIo): Promise<number> {
  const colour = colorFlags(rawArgv, rawIo.env);
  const argv = colour.argv;
  const io: CliIo = { ...rawIo, env: colour.env };
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    // A bug of ours, not a user mistake: say so plainly, keep the stack for the report.
    const e = err as Error;
    io.stderr.write(`internal error: ${e.message}\nPlease report this with the command you ran.\n${io.env.VERIFY_DEBUG ? `${e.stack}\n` : ''}`);
    return 70;
  }
}
