import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate.js';
import { measure, median, type Sample } from './measure.js';

/**
 * `npm run bench -- --peers`: installs Step CI, httpyac and Newman into a
 * temporary folder (never into this package.json) and runs the same
 * workflow in each against the same server: list items, extract the first
 * id, get it. Sequential, one process each, as in the table, with
 * endpoint-verify on the same workflows as spec files in the same run.
 * Newman and httpyac take minutes per run on a 2-core machine: --runs 1 is
 * usually enough here.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const BASELINE = path.join(here, 'baseline.js');
const CLI = path.resolve(here, '../../dist/cli/bin.js');

const PEERS = { stepci: 'stepci@2', httpyac: 'httpyac@6', newman: 'newman@6' } as const;

function stepciWorkflow(url: string, n: number): string {
  const tests = Array.from(
    { length: n },
    (_, i) => `  w${i}:
    steps:
      - name: list
        http:
          url: ${url}/items?page=${i}&per_page=3
          method: GET
          headers: { Authorization: Bearer bench-token }
          captures:
            item_id:
              jsonpath: $.data[0].id
          check:
            status: 200
      - name: get
        http:
          url: ${url}/items/\${{captures.item_id}}
          method: GET
          headers: { Authorization: Bearer bench-token }
          check:
            status: 200`,
  );
  return `version: "1.1"\nname: bench\nconfig:\n  concurrency: 1\ntests:\n${tests.join('\n')}\n`;
}

function httpyacFile(url: string, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`# @name list${i}\nGET ${url}/items?page=${i}&per_page=3\nAuthorization: Bearer bench-token\n\n?? status == 200\n`);
    parts.push(`GET ${url}/items/{{list${i}.data[0].id}}\nAuthorization: Bearer bench-token\n\n?? status == 200\n`);
  }
  return parts.join('\n###\n\n');
}

function newmanCollection(url: string, n: number): string {
  const item = [];
  for (let i = 0; i < n; i++) {
    item.push({
      name: `list ${i}`,
      request: { method: 'GET', url: `${url}/items?page=${i}&per_page=3`, header: [{ key: 'Authorization', value: 'Bearer bench-token' }] },
      event: [{ listen: 'test', script: { exec: ['pm.test("ok", () => pm.response.to.have.status(200));', 'pm.collectionVariables.set("item_id", pm.response.json().data[0].id);'] } }],
    });
    item.push({
      name: `get ${i}`,
      request: { method: 'GET', url: `${url}/items/{{item_id}}`, header: [{ key: 'Authorization', value: 'Bearer bench-token' }] },
      event: [{ listen: 'test', script: { exec: ['pm.test("ok", () => pm.response.to.have.status(200));'] } }],
    });
  }
  return JSON.stringify({ info: { name: 'bench', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item });
}

export async function runPeers(opts: { serverUrl: string; specs: number; runs: number; work: string }): Promise<void> {
  const dir = path.join(opts.work, 'peers');
  await mkdir(dir, { recursive: true });
  process.stderr.write(`installing ${Object.values(PEERS).join(', ')} into a temporary folder...\n`);
  execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore' });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...Object.values(PEERS)], { cwd: dir, stdio: 'inherit' });
  await writeFile(path.join(dir, 'workflow.yml'), stepciWorkflow(opts.serverUrl, opts.specs));
  await writeFile(path.join(dir, 'bench.http'), httpyacFile(opts.serverUrl, opts.specs));
  await writeFile(path.join(dir, 'collection.json'), newmanCollection(opts.serverUrl, opts.specs));
  // endpoint-verify on the same workflows, as spec files, in the same run.
  await generateCorpus(path.join(dir, 'ev'), opts.specs);
  const bin = (pkg: string, file: string): string => path.join(dir, 'node_modules', pkg, file);
  const runners: { name: string; script: string; args: string[]; cwd?: string; env?: Record<string, string> }[] = [
    {
      name: 'endpoint-verify',
      script: CLI,
      args: ['verify', 'specs', '--quiet', '--concurrency', '1', '--conformance', 'off', '--no-write'],
      cwd: path.join(dir, 'ev'),
      env: { BENCH_URL: opts.serverUrl, BENCH_TOKEN: 'bench-token' },
    },
    // Step CI sends a usage event at the end of a run unless told not to; the bench stays on loopback.
    { name: 'Step CI', script: bin('stepci', 'dist/index.js'), args: ['run', 'workflow.yml'], env: { STEPCI_DISABLE_ANALYTICS: '1' } },
    { name: 'httpyac', script: bin('httpyac', 'bin/httpyac.js'), args: ['send', 'bench.http', '--all', '--output', 'none'] },
    { name: 'Newman', script: bin('newman', 'bin/newman.js'), args: ['run', 'collection.json', '--reporters', 'cli', '--reporter-cli-no-summary'] },
  ];
  const baseline: Sample[] = [];
  const results = new Map<string, Sample[]>(runners.map((r) => [r.name, []]));
  for (let r = 0; r < opts.runs; r++) {
    baseline.push(await measure(BASELINE, [opts.serverUrl, String(opts.specs), '1'], { cwd: dir }));
    for (const runner of runners) {
      results.get(runner.name)!.push(await measure(runner.script, runner.args, { cwd: runner.cwd ?? dir, ...(runner.env ? { env: runner.env } : {}) }));
      process.stderr.write('.');
    }
  }
  const b = median(baseline.map((s) => s.ms));
  const lines = ['| runner | wall (median) | ratio to raw undici | peak memory | exit |', '|---|---|---|---|---|'];
  lines.push(`| raw undici 7 | ${(b / 1000).toFixed(2)} s | 1.0 | ${median(baseline.map((s) => s.rssMB)).toFixed(0)} MB | 0 |`);
  for (const [name, xs] of results) {
    const m = median(xs.map((s) => s.ms));
    lines.push(`| ${name} | ${(m / 1000).toFixed(2)} s | ${(m / b).toFixed(1)} | ${median(xs.map((s) => s.rssMB)).toFixed(0)} MB | ${xs.map((s) => s.code).join(',')} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
