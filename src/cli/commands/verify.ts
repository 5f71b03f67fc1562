import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import * as p from '../parsers.js';
import type { VerifyFlags } from '../verify-action.js';

/** Options shared by `verify` and `new --run`. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-e, --env <name>', 'environment from verify.config.yaml (default: its `default`, else its first)')
    .option('--base-url <url>', 'primary gateway for every spec (never starts the sandbox); with no config, the one API every spec runs against')
    .option('--sandbox', "start the built-in sandbox and use the config's sandbox environment (with no config: the sandbox's own four APIs)")
    .option('--fallback-url <url>', 'fallback gateway for every spec')
    .option('--var <name=value>', 'set a template variable (repeatable); name:=<JSON> for a typed value (n:=25)', p.keyValue)
    .option('--fallback <mode>', 'gateway choice: spec (useFallbackApi), auto (retry on fallback), never', p.choice(['spec', 'auto', 'never'] as const), 'spec')
    .option('--token-matrix', 'run each spec once per token type it lists and show a table')
    .option('--conformance <mode>', 'OpenAPI conformance: off, warn (report only), error (fails the step)', p.choice(['off', 'warn', 'error'] as const), 'warn')
    .option('--concurrency <n>', 'specs run at once', p.positiveInt, 8)
    .option('--per-host <n>', 'connections per host (default: --concurrency)', p.positiveInt)
    .option('--rate <n/s>', 'requests per second per host', p.rate)
    .option('--timeout <duration>', 'overall deadline per request', p.duration, 30_000)
    .option('--max-wait <duration>', 'longest Retry-After to honour on 429', p.duration, 60_000)
    .option('--max-response-size <bytes>', 'largest response body read', p.positiveInt)
    .option('--keep-body <chars>', "how much of a failed step's response and request body reports keep (default 65536)", p.positiveInt)
    .option('--reporter <name[:file]>', 'console, json:<file>, junit:<file>, markdown:<file>, html:<file> (repeatable)', p.collect)
    .option('-q, --quiet', 'only failures and the summary; with file reporters and no --reporter console, nothing on stdout')
    .option('-v, --verbose', 'every step of every spec');
}

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('verify')
    .description('run the step chains of spec files against the API and write the verdicts back')
    .argument('[paths...]', 'spec files, folders or globs (default: the config\'s specs: folders, else specs)')
    .option('--tags <a,b>', 'only specs with any of these tags', p.list)
    .option('--domain <name>', 'only specs of this domain (repeatable or comma-separated)', p.list)
    .option('--grep <text>', 'only specs whose endpoint or file contains the text')
    .option('--status <list>', 'only specs whose front-matter status is one of these', p.statusList)
    .option('--stale <duration>', 'only specs never verified, verified longer ago than this, or edited after verifiedAt', p.duration)
    .option('--changed-since <ref>', 'only specs changed since this git ref')
    .option('--shard <i/n>', 'verify only shard i of n (stable as specs are added)', p.shard)
    .option('--bail', 'stop scheduling after the first spec that is not verified (failing, blocked, error, invalid)')
    .option('--pass-with-no-specs', 'exit 0 when no spec matched (default: exit 1)')
    .option('--no-write', 'do not write verdicts back into the spec files')
    .option('--dry-run', 'send nothing: print each step as a curl command (implies --no-write)')
    .option('--update-docs', 'also rewrite the owned tables (<!-- endpoint-verify:KIND --> markers) from what the run observed, in the same write')
    .option('--check-docs', 'write nothing; exit 1 with a unified diff of every owned table that differs from what the run observed')
    .option('--prune', 'with --update-docs/--check-docs: delete table rows the run did not observe (default: mark them "(not observed)")');
  addRunOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify verify                         # every spec under specs/, per verify.config.yaml
  $ endpoint-verify verify specs --base-url https://staging.example.com/api   # no config needed
  $ endpoint-verify verify --env staging --reporter junit:out/junit.xml
  $ endpoint-verify verify specs/platform --tags messaging --no-write
  $ endpoint-verify verify --stale 7d --shard 1/4 --reporter json:shard-1.json
  $ endpoint-verify verify --dry-run specs/platform/list-clients.md
  $ endpoint-verify verify --update-docs           # verdicts and the owned tables (docs/spec-format.md)
  $ endpoint-verify verify --check-docs            # CI: exit 1 with a diff when a table is stale

Exit codes: 0 all verified, 1 any failing or blocked (or no spec matched), 2 usage/config error or an
invalid spec, 3 an error outcome (no answer from the API, nothing sent) or an incomplete run (write-backs
or report files not written), 130 interrupted; the first of 130 > 2 > 3 > 1 > 0 wins. With --check-docs a
stale owned table is 1.`,
    )
    .action(async (paths: string[], flags: VerifyFlags) => {
      const [{ runVerify }, { pathsOrDefault }] = await Promise.all([import('../verify-action.js'), import('../default-paths.js')]);
      setExit(await runVerify(await pathsOrDefault(paths, io), flags, io));
    });
}
