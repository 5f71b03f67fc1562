import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import * as p from '../parsers.js';

export function registerMisc(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write a commented verify.config.yaml and .env.example for the spec files in a folder (never overwrites)')
    .argument('[folder]', 'the folder holding the spec files (default: specs, else the current folder)')
    .option('-e, --env <name>', 'name of the environment to write', 'staging')
    .option('--base-url <url>', 'pre-fill every API\'s gateway (as the default of its *_BASE_URL variable)')
    .option('--fallback-url <url>', 'pre-fill every API\'s fallback gateway')
    .addHelpText(
      'after',
      `
Examples:
  $ endpoint-verify init                  # specs/ -> ./verify.config.yaml and ./.env.example
  $ endpoint-verify init docs/api --env staging --base-url https://staging.example.com/api`,
    )
    .action(async (folder: string | undefined, flags: { env: string; baseUrl?: string; fallbackUrl?: string }) => {
      const { runInit } = await import('../init-action.js');
      setExit(await runInit(folder, flags, io));
    });

  program
    .command('schema')
    .description('print the JSON Schema of the spec file format (front-matter and steps)')
    .option('--report', 'print the JSON Schema of the JSON report instead')
    .action(async (flags: { report?: boolean }) => {
      const schema = flags.report
        ? (await import('../../report/report-schema.js')).reportJsonSchema
        : (await import('../../specfile/schema.js')).specJsonSchema;
      io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
      setExit(0);
    });

  program
    .command('sandbox')
    .description('start the built-in sandbox API alone (Ctrl-C to stop)')
    .option('--port <n>', 'port to listen on (default or 0: a free one)', p.port)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--latency <duration>', 'added latency per request', p.duration)
    .option('--error-rate <ratio>', 'share of requests answered 500 (0..1)', p.ratio)
    .option('--rate-limit <ratio>', 'share of requests answered 429 with Retry-After (0..1)', p.ratio)
    .option('--reset-rate <ratio>', 'share of connections reset (0..1)', p.ratio)
    .option('--primary-gateway-fixed', "the platform's primary gateway works like the fallback (the seed's Known Issue fixed), to see --check-docs catch an API change")
    .option('--print-env', 'print shell export lines for the sandbox URL and its (public, test-only) tokens')
    .addHelpText(
      'after',
      `
Example:
  $ endpoint-verify sandbox --port 4010
  $ eval "$(endpoint-verify sandbox --port 4010 --print-env)"   # in another shell, for curl`,
    )
    .action(
      async (flags: { port?: number; host: string; latency?: number; errorRate?: number; rateLimit?: number; resetRate?: number; printEnv?: boolean; primaryGatewayFixed?: boolean }) => {
        const { startSandbox } = await import('../../sandbox/server.js');
        const sandbox = await startSandbox({
          ...(flags.port ? { port: flags.port } : {}),
          host: flags.host,
          knobs: {
            ...(flags.latency ? { latencyMs: flags.latency } : {}),
            ...(flags.errorRate ? { errorRate: flags.errorRate } : {}),
            ...(flags.rateLimit ? { rateLimitRate: flags.rateLimit } : {}),
            ...(flags.resetRate ? { resetRate: flags.resetRate } : {}),
            ...(flags.primaryGatewayFixed ? { primaryGatewayFixed: true } : {}),
          },
        });
        if (flags.printEnv) {
          for (const [k, v] of Object.entries(sandbox.env)) io.stdout.write(`export ${k}='${v}'\n`);
        } else {
          io.stdout.write(`sandbox listening on ${sandbox.url}\n`);
          io.stdout.write(`  platform    ${sandbox.url}/platform/apigw (primary), ${sandbox.url}/platform/api2 (fallback)\n`);
          io.stdout.write(`  v2          ${sandbox.url}/v2/api/v2/conversations\n`);
          io.stdout.write(`  whatsapp    ${sandbox.url}/whatsapp/api/conversations\n`);
          io.stdout.write(`  agentclara  ${sandbox.url}/agentclara/conversations\n`);
          io.stdout.write('Tokens: run with --print-env. Ctrl-C to stop.\n');
        }
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            void sandbox.close().then(resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        setExit(0);
      },
    );
}

