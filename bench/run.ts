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
const benchStarted = performance.now();
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
  const c1 = await pair({ scenario: `${SPECS} specs, concurrency 1, --no-write`, specs: SPECS, concurrency: 1, write: false, target: 1.35 });
  rows.push({ ...c1, scenario: `${SPECS} specs, peak memory`, metric: 'rssMB', target: 1.5 });
  await pair({ scenario: `${SPECS} specs, concurrency 16, --no-write`, specs: SPECS, concurrency: 16, write: false, target: 1.8 });
  await pair({ scenario: `${SPECS} specs, concurrency 1, write-back`, specs: SPECS, concurrency: 1, write: true, target: 2.2 });
  await pair({ scenario: 'cold start, one spec', specs: 1, concurrency: 1, write: false, target: 1.1 });

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

  // Memory must stay flat as the corpus grows: 500 specs against 10,000 (the lint corpus), ours
  // alone, alternated; the run's time ratio is shown too (20x the specs should take about 20x).
  const small = path.join(work, 'verify-500');
  await generateCorpus(small, 500);
  const flags = ['verify', 'specs', '--quiet', '--concurrency', '1', '--conformance', 'off', '--no-write'];
  const growth: Row = { scenario: 'peak memory, 500 -> 10,000 specs (ours)', baseline: [], ours: [], target: 1.25, metric: 'rssMB' };
  for (let r = 0; r < RUNS; r++) {
    growth.baseline.push(check(await measure(CLI, flags, { cwd: small, env }), 'endpoint-verify (500)'));
    growth.ours.push(check(await measure(CLI, flags, { cwd: lintDirs.big, env }), 'endpoint-verify (10,000)'));
    process.stderr.write('.');
  }
  rows.push(growth);
  process.stderr.write('\n');

  const lines = [
    '| scenario | baseline | endpoint-verify | wall ratio (min-max) | CPU ratio (min-max) | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const target = Number.isFinite(row.target) ? `<= ${row.target}` : '-';
    const wall = ratios(row, row.metric);
    const cpu = row.metric === 'ms' ? ratios(row, 'cpuMs') : undefined;
    lines.push(
      `| ${row.scenario} | ${fmt(row, row.baseline)} | ${fmt(row, row.ours)} | ${show(wall)} | ${cpu ? show(cpu) : '-'} | ${target} | ${Number.isFinite(row.target) ? (wall.median <= row.target ? 'yes' : 'NO') : ''} |`,
    );
  }
  const lint10k = median(lint.ours.map((s) => s.ms)) / 1000;
  lines.push('', `lint of 10,000 files: ${lint10k.toFixed(2)} s (target < 3 s: ${lint10k < 3 ? 'met' : 'NOT met'})`);
  lines.push(
    `node ${process.version}, ${RUNS} runs per scenario; baseline = raw undici 7 script in the same run (for the scale rows: the smaller corpus).`,
    'Ratios are medians of the per-run ratios (run r of ours over run r of the baseline), min-max beside them; times and memory are medians.',
    'CPU = user + system time of the whole process (all threads): steadier than wall time on a loaded machine.',
    `bench took ${((performance.now() - benchStarted) / 60_000).toFixed(1)} min`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function fmt(row: Row, xs: Sample[]): string {
  if (row.metric === 'rssMB') return `${median(xs.map((s) => s.rssMB)).toFixed(0)} MB`;
  return `${(median(xs.map((s) => s.ms)) / 1000).toFixed(2)} s (CPU ${(median(xs.map((s) => s.cpuMs)) / 1000).toFixed(2)} s)`;
}

/** Run r of ours over run r of the baseline, for each r: their median and range. */
function ratios(row: Row, key: 'ms' | 'cpuMs' | 'rssMB'): { median: number; min: number; max: number } {
  const rs = row.ours.map((o, i) => o[key] / row.baseline[i]![key]);
  return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
}

function show(r: { median: number; min: number; max: number }): string {
  return `${r.median.toFixed(2)} (${r.min.toFixed(2)}-${r.max.toFixed(2)})`;
}
