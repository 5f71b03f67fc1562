import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile } from 'node:fs/promises';
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
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}
interface Workflow {
  on: { schedule: { cron: string }[] };
  jobs: { verify: { strategy: { matrix: { shard: number[] } }; env: Record<string, string>; steps: Step[] }; merge: { needs: string; steps: Step[] } };
}

let wf: Workflow;
let origin: Awaited<ReturnType<typeof corpusCopy>>;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd, encoding: 'utf8' });

function sh(line: string, cwd: string, vars: Record<string, string>): void {
  let cmd = line.replace(/npx endpoint-verify/g, `"${process.execPath}" "${BIN}"`).replace(/--env staging\s*/g, '');
  cmd = cmd.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, vars.shard ?? '');
  try {
    execFileSync('bash', ['-eo', 'pipefail', '-c', cmd], { cwd, stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
  } catch (err) {
    // Failing specs exit 1; the workflow marks those steps continue-on-error.
    const e = err as { status?: number; stderr?: Buffer };
    if (e.status !== 1) throw new Error(`${cmd} exited ${e.status}: ${e.stderr?.toString()}`);
  }
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
  it('runs on a schedule, shards over a matrix, takes secrets from the store, uploads JUnit and opens a pull request', () => {
    expect(wf.on.schedule[0]?.cron).toMatch(/^\S+ \S+ \* \* \*$/);
    expect(wf.jobs.verify.strategy.matrix.shard.length).toBeGreaterThan(1);
    for (const v of Object.values(wf.jobs.verify.env)) expect(v).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/);
    const verifyRun = wf.jobs.verify.steps.find((s) => s.run?.includes('endpoint-verify verify'));
    expect(verifyRun?.run).toContain(`--shard \${{ matrix.shard }}/${wf.jobs.verify.strategy.matrix.shard.length}`);
    expect(verifyRun?.['continue-on-error']).toBe(true);
    expect(wf.jobs.merge.needs).toBe('verify');
    expect(wf.jobs.merge.steps.some((s) => s.run?.includes('report merge') && s.run.includes('junit:'))).toBe(true);
    expect(wf.jobs.merge.steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
    expect(wf.jobs.merge.steps.some((s) => s.uses?.startsWith('peter-evans/create-pull-request'))).toBe(true);
  });

  it('executed shard by shard and merged, writes back every spec once and reports them all', async () => {
    const work = path.join(origin.dir, '..', `${path.basename(origin.dir)}-jobs`);
    const shardsDir = path.join(work, 'merge', 'shards');
    await mkdir(work, { recursive: true });
    const runLines = (steps: Step[]): string[] => steps.filter((s) => s.run && !s.run.startsWith('npm ci')).map((s) => s.run!);
    for (const shard of wf.jobs.verify.strategy.matrix.shard) {
      const checkout = path.join(work, `shard-${shard}`);
      git(path.dirname(checkout), 'clone', '-q', origin.dir, checkout);
      for (const line of runLines(wf.jobs.verify.steps)) sh(line, checkout, { shard: String(shard) });
      // upload-artifact of reports/ and changed/, then download-artifact into shards/shard-N/
      for (const sub of ['reports', 'changed']) {
        await mkdir(path.join(shardsDir, `shard-${shard}`), { recursive: true });
        await cp(path.join(checkout, sub), path.join(shardsDir, `shard-${shard}`, sub), { recursive: true }).catch(() => undefined);
      }
    }
    const merge = path.join(work, 'merge');
    git(work, 'clone', '-q', origin.dir, path.join(work, 'merge-checkout'));
    await cp(path.join(work, 'merge-checkout'), merge, { recursive: true });
    for (const line of runLines(wf.jobs.merge.steps)) sh(line, merge, {});

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
