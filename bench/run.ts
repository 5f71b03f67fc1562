import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate.js';
import { numberOption } from './args.js';
import { measure, median, type Sample } from './measure.js';
import { startBenchServer } from './server.js';

/**
 * `npm run bench`: each scenario several times, alternating the raw undici
 * baseline and endpoint-verify against the same local server, then medians
 * and the ratio pair by pair. Options: --runs N (default 5), --specs N
 * (default 2000), --peers (also Step CI, httpyac and Newman, see peers.ts),
 * --peers-only (only that comparison).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const CLI = path.join(repo, 'dist/cli/bin.js');
const BASELINE = path.join(here, 'baseline.js');

const RUNS = numberOption('runs', 5);
const SPECS = numberOption('specs', 2000);
const PEERS_ONLY = process.argv.includes('--peers-only');

interface Row {
  scenario: string;
  baseline: Sample[];
  ours: Sample[];
  target: number;
  /** What the ratio compares: wall time or peak memory. */
  metric: 'ms' | 'rssMB';
}

const rows: Row[] = [];
const server = await startBenchServer();
const work = await mkdtemp(path.join(tmpdir(), 'ev-bench-'));
const env = { BENCH_URL: server.url, BENCH_TOKEN: 'bench-token' };

function check(s: Sample, what: string): Sample {
  if (s.code !== 0) throw new Error(`${what} exited ${s.code}:\n${s.output}`);
  return s;
}

async function pair(opts: { scenario: string; specs: number; concurrency: number; write: boolean; target: number }): Promise<Row> {
  const dir = path.join(work, `${opts.scenario}`);
  await generateCorpus(dir, opts.specs);
  const pristine = path.join(work, `${opts.scenario}-pristine`);
  await cp(dir, pristine, { recursive: true });
  const row: Row = { scenario: opts.scenario, baseline: [], ours: [], target: opts.target, metric: 'ms' };
  for (let r = 0; r < RUNS; r++) {
    row.baseline.push(check(await measure(BASELINE, [server.url, String(opts.specs), String(opts.concurrency)], { cwd: dir }), 'baseline'));
    if (opts.write) {
      // Each write-back run starts from the same files, as a nightly run would.
      await rm(path.join(dir, 'specs'), { recursive: true });
      await cp(path.join(pristine, 'specs'), path.join(dir, 'specs'), { recursive: true });
    }
    const flags = ['verify', 'specs', '--quiet', '--concurrency', String(opts.concurrency), '--conformance', 'off', ...(opts.write ? [] : ['--no-write'])];
    row.ours.push(check(await measure(CLI, flags, { cwd: dir, env }), 'endpoint-verify'));
    process.stderr.write('.');
  }
  rows.push(row);
  return row;
}

try {
  if (!PEERS_ONLY) await scenarios();
  if (process.argv.includes('--peers') || PEERS_ONLY) {
    const { runPeers } = await import('./peers.js');
    await runPeers({ serverUrl: server.url, specs: SPECS, runs: RUNS, work });
  }
} finally {
  await server.close();
  await rm(work, { recursive: true, force: true });
}

async function scenarios(): Promise<void> {
  const c1 = await pair({ scenario: `${SPECS} specs, concurrency 1, --no-write`, specs: SPECS, concurrency: 1, write: false, target: 1.5 });
  rows.push({ ...c1, scenario: `${SPECS} specs, peak memory`, metric: 'rssMB', target: 1.5 });
  await pair({ scenario: `${SPECS} specs, concurrency 16, --no-write`, specs: SPECS, concurrency: 16, write: false, target: 1.5 });
  await pair({ scenario: `${SPECS} specs, concurrency 1, write-back`, specs: SPECS, concurrency: 1, write: true, target: 2 });
  await pair({ scenario: 'cold start, one spec', specs: 1, concurrency: 1, write: false, target: 1.5 });

  // Memory must stay flat as the corpus grows: a quarter of the corpus against all of it.
  const small = await pair({ scenario: `${SPECS / 4} specs, concurrency 1, --no-write`, specs: SPECS / 4, concurrency: 1, write: false, target: Infinity });
  rows.push({ scenario: `memory growth ${SPECS / 4} -> ${SPECS} specs (ours)`, baseline: small.ours, ours: c1.ours, metric: 'rssMB', target: 1.25 });

  // Parse + lint scale: 1,000 vs 10,000 files, no network.
  const lintDirs = { small: path.join(work, 'lint-1k'), big: path.join(work, 'lint-10k') };
  await generateCorpus(lintDirs.small, 1000);
  await generateCorpus(lintDirs.big, 10000);
  const lint: Row = { scenario: 'lint 1,000 -> 10,000 files', baseline: [], ours: [], target: 11, metric: 'ms' };
  for (let r = 0; r < RUNS; r++) {
    lint.baseline.push(await measure(CLI, ['lint', 'specs', '--format', 'json'], { cwd: lintDirs.small, env }));
    lint.ours.push(await measure(CLI, ['lint', 'specs', '--format', 'json'], { cwd: lintDirs.big, env }));
    process.stderr.write('.');
  }
  rows.push(lint);
  process.stderr.write('\n');

  const fmt = (row: Row, xs: Sample[]): string => (row.metric === 'ms' ? `${(median(xs.map((s) => s.ms)) / 1000).toFixed(2)} s` : `${median(xs.map((s) => s.rssMB)).toFixed(0)} MB`);
  const lines = ['| scenario | baseline | endpoint-verify | ratio | target | met |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    const b = median(row.baseline.map((s) => s[row.metric]));
    const o = median(row.ours.map((s) => s[row.metric]));
    const ratio = o / b;
    const target = Number.isFinite(row.target) ? `<= ${row.target}` : '-';
    lines.push(`| ${row.scenario} | ${fmt(row, row.baseline)} | ${fmt(row, row.ours)} | ${ratio.toFixed(2)} | ${target} | ${Number.isFinite(row.target) ? (ratio <= row.target ? 'yes' : 'NO') : ''} |`);
  }
  const lint10k = median(lint.ours.map((s) => s.ms)) / 1000;
  lines.push('', `lint of 10,000 files: ${lint10k.toFixed(2)} s (target < 3 s: ${lint10k < 3 ? 'met' : 'NOT met'})`);
  lines.push(`node ${process.version}, ${RUNS} runs per scenario, medians; baseline = raw undici 7 script in the same run`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
