import type { Command } from 'commander';
import type { Shard } from '../../select/shard.js';
import type { CliIo } from '../io.js';
import * as p from '../parsers.js';

export interface VerifyFlags {
  env?: string;
  baseUrl?: string;
  fallbackUrl?: string;
  var?: Record<string, string>;
  tags?: string[];
  domain?: string[];
  grep?: string;
  status?: string[];
  stale?: number;
  changedSince?: string;
  bail?: boolean;
  reporter?: string[];
  quiet?: boolean;
  verbose?: boolean;
  concurrency: number;
  perHost?: number;
  rate?: number;
  maxWait: number;
  timeout: number;
  maxResponseSize?: number;
  fallback: 'spec' | 'auto' | 'never';
  tokenMatrix?: boolean;
  write: boolean;
  dryRun?: boolean;
  shard?: Shard;
  conformance: 'off' | 'warn' | 'error';
}

/** Options shared by `verify` and `new --run`. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-e, --env <name>', 'environment from verify.config.yaml (default: its `default`, else the built-in sandbox)')
    .option('--base-url <url>', 'primary gateway for every spec (never starts the sandbox)')
    .option('--fallback-url <url>', 'fallback gateway for every spec')
    .option('--var <name=value>', 'set a template variable (repeatable)', p.keyValue)
    .option('--fallback <mode>', 'gateway choice: spec (useFallbackApi), auto (retry on fallback), never', p.choice(['spec', 'auto', 'never'] as const), 'spec')
    .option('--token-matrix', 'run each spec once per token type it lists and show a table')
    .option('--conformance <mode>', 'OpenAPI conformance: off, warn (report only), error (fails the step)', p.choice(['off', 'warn', 'error'] as const), 'warn')
    .option('--concurrency <n>', 'specs run at once', p.positiveInt, 8)
    .option('--per-host <n>', 'connections per host', p.positiveInt)
    .option('--rate <n/s>', 'requests per second per host', p.rate)
    .option('--timeout <duration>', 'overall deadline per request', p.duration, 30_000)
    .option('--max-wait <duration>', 'longest Retry-After to honour on 429', p.duration, 60_000)
    .option('--max-response-size <bytes>', 'largest response body read', p.positiveInt)
    .option('--reporter <spec>', 'console, json:<file>, junit:<file>, markdown:<file>, html:<file> (repeatable)', p.collect)
    .option('-q, --quiet', 'only failures and the summary')
    .option('-v, --verbose', 'every step of every spec');
}

export function registerVerify(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const cmd = program
    .command('verify')
    .description('run the step chains of spec files against the API and write the verdicts back')
    .argument('[paths...]', 'spec files, folders or globs', ['specs'])
    .option('--tags <a,b>', 'only specs with any of these tags', p.list)
    .option('--domain <name>', 'only specs of this domain (repeatable or comma-separated)', p.list)
    .option('--grep <text>', 'only specs whose endpoint or file contains the text')
    .option('--status <list>', 'only specs whose front-matter status is one of these', p.statusList)
    .option('--stale <duration>', 'only specs never verified, verified longer ago than this, or edited after verifiedAt', p.duration)
    .option('--changed-since <ref>', 'only specs changed since this git ref')
    .option('--shard <i/n>', 'verify only shard i of n (stable as specs are added)', p.shard)
    .option('--bail', 'stop scheduling after the first failing or blocked spec')
    .option('--no-write', 'do not write verdicts back into the spec files')
    .option('--dry-run', 'send nothing: print each step as a curl command (implies --no-write)');
  addRunOptions(cmd)
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify verify                         # every spec under specs/, built-in sandbox
  $ endpoint-verify verify --env staging --reporter junit:out/junit.xml
  $ endpoint-verify verify specs/platform --tags messaging --no-write
  $ endpoint-verify verify --stale 7d --shard 1/4 --reporter json:shard-1.json
  $ endpoint-verify verify --dry-run specs/platform/list-clients.md

Exit codes: 0 all verified, 1 any failing or blocked, 2 usage/config/parse error,
3 incomplete (write-backs or report files not written), 130 interrupted.`,
    )
    .action(async (paths: string[], flags: VerifyFlags) => {
      const { runVerify } = await import('../verify-action.js');
      setExit(await runVerify(paths, flags, io));
    });
}
