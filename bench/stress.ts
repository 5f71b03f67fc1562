import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskOwnedValues, ownedValues } from '../src/specfile/front-matter-edit.js';
import { numberOption } from './args.js';

/**
 * `npm run stress`: the write-back's promises under adversity. Many CLI runs over a few hundred
 * specs in one folder while
 *  - an editor appends a line to a random spec every few milliseconds (a person editing),
 *  - some runs get SIGINT or SIGTERM at a random moment (some twice, which exits at once),
 *  - some runs are paused with SIGSTOP for longer than the old stale-lock age (10 s), then
 *    resumed, while another run works on the same folder,
 *  - some rounds start two runs on the same folder at once.
 * Writes pause a few ms before each rename (ENDPOINT_VERIFY_TEST_WRITE_DELAY_MS) so that edits,
 * signals and pauses land inside the race window often. After every round it counts:
 *  - edits lost: an appended line missing from its file,
 *  - files damaged: a file that is not its original text plus its appended lines in order, apart
 *    from the owned keys (status, verifiedAt, timesReused, useFallbackApi),
 *  - temp files left: any `.verify` temp or lock file in the folder once no run is alive,
 *  - increments lost: a file whose timesReused is below the writes the JSON reports say were
 *    made (runs stopped by a second signal write no report; theirs can only add).
 * Options: --runs N (default 200), --specs N (default 300), --stop-every N (a SIGSTOP round every
 * N rounds, default 25), --stop-ms N (default 11000), --delay-ms N (default 3), --seed N.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../dist/cli/bin.js');
const RUNS = numberOption('runs', 200);
const SPECS = numberOption('specs', 300);
const STOP_EVERY = numberOption('stop-every', 25);
const STOP_MS = numberOption('stop-ms', 11_000);
const DELAY_MS = numberOption('delay-ms', 3);
let seed = numberOption('seed', 17);

function random(): number {
  // mulberry32: reproducible rounds for a given --seed.
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const spec = (i: number): string =>
  `---\nendpoint: GET /ok/${i}\nstatus: draft # set by runs\ntimesReused: 0\n---\n# Stress ${i}\n\n## Test Request\n\n\`\`\`yaml\nsteps:\n  - id: ok\n    method: GET\n    path: /ok\n\`\`\`\n`;

interface Run {
  child: ChildProcess;
  report: string;
  done: Promise<number | string | null>;
}

async function main(): Promise<void> {
  const server = createServer((_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 1));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'ev-stress-'));
  const specs = path.join(dir, 'specs');
  await mkdir(specs);
  await mkdir(path.join(dir, 'reports'));
  await writeFile(path.join(dir, 'verify.config.yaml'), `environments:\n  local:\n    apis:\n      ok:\n        baseUrl: ${base}\n`);
  const names = Array.from({ length: SPECS }, (_, i) => `s${String(i).padStart(4, '0')}.md`);
  for (const [i, n] of names.entries()) await writeFile(path.join(specs, n), spec(i));

  const appended = new Map<string, string[]>(names.map((n) => [n, []]));
  const reportedWrites = new Map<string, number>(names.map((n) => [n, 0]));
  let edits = 0;
  const editor = setInterval(() => {
    const n = names[Math.floor(random() * names.length)]!;
    const line = `<!-- stress edit ${++edits} -->\n`;
    appendFileSync(path.join(specs, n), line);
    appended.get(n)!.push(line);
  }, 4);

  let started = 0;
  let reportless = 0;
  const totals = { editsLost: 0, filesDamaged: 0, tempFilesLeft: 0, incrementsLost: 0 };
  const outcomes: Record<string, number> = {};
  const exits: Record<string, number> = {};
  const t0 = Date.now();

  const launch = (): Run => {
    const report = path.join(dir, 'reports', `r${started++}.json`);
    const child = spawn(process.execPath, [CLI, 'verify', '--env', 'local', '--concurrency', '8', '--reporter', `json:${report}`, '--quiet'], {
      cwd: dir,
      env: { ...process.env, ENDPOINT_VERIFY_TEST_WRITE_DELAY_MS: String(DELAY_MS) },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const done = new Promise<number | string | null>((r) => child.on('close', (code, signal) => r(code ?? signal)));
    return { child, report, done };
  };
  const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  for (let round = 0; started < RUNS; round++) {
    const kind = STOP_EVERY > 0 && round % STOP_EVERY === STOP_EVERY - 1 ? 'stop' : random() < 0.3 ? 'two' : random() < 0.5 ? 'signal' : 'plain';
    const runs: Run[] = [launch()];
    if (kind === 'two' || kind === 'stop') runs.push(launch());
    if (kind === 'signal') {
      const r = runs[0]!;
      const twice = random() < 0.4;
      const sig: NodeJS.Signals = random() < 0.5 ? 'SIGINT' : 'SIGTERM';
      // From 300 ms: before Node has run the CLI's first line no program can handle a signal.
      void later(300 + random() * 1500).then(() => {
        r.child.kill(sig);
        if (twice) setTimeout(() => r.child.kill(random() < 0.5 ? 'SIGINT' : 'SIGTERM'), random() * 30);
      });
    }
    if (kind === 'stop') {
      // Pause the first run while it writes, past the old 10 s stale age; the second keeps going.
      const r = runs[0]!;
      void later(300 + random() * 800).then(async () => {
        r.child.kill('SIGSTOP');
        await later(STOP_MS);
        r.child.kill('SIGCONT');
      });
    }
    const codes = await Promise.all(runs.map((r) => r.done));
    for (const c of codes) exits[String(c)] = (exits[String(c)] ?? 0) + 1;
    for (const r of runs) {
      let doc: { specs: { file: string; writeBack: { outcome: string; message: string | null } | null }[] } | undefined;
      try {
        doc = JSON.parse(await readFile(r.report, 'utf8')) as typeof doc;
      } catch {
        reportless++; // stopped by a second signal: no report, its writes unknown (they can only add)
        continue;
      }
      for (const s of doc!.specs) {
        const w = s.writeBack;
        const o = (w?.outcome ?? 'none') + (w?.message?.includes('the edit was kept') ? ' (edit across the rename, put back)' : '');
        outcomes[o] = (outcomes[o] ?? 0) + 1;
        if (w?.outcome === 'written') {
          const n = path.basename(s.file);
          reportedWrites.set(n, (reportedWrites.get(n) ?? 0) + 1);
        }
      }
    }
    // No run is alive now: check every file.
    const left = readdirSync(specs).filter((n) => !n.endsWith('.md'));
    totals.tempFilesLeft += left.length;
    for (const [i, n] of names.entries()) {
      const text = readFileSync(path.join(specs, n), 'utf8');
      const lines = appended.get(n)!;
      const want = maskOwnedValues(spec(i)) + lines.join('');
      if (maskOwnedValues(text) !== want) {
        const missing = lines.filter((l) => !text.includes(l));
        totals.editsLost += missing.length;
        // A file whose only difference is lost edits is counted there; anything else is damage.
        const kept = lines.filter((l) => text.includes(l));
        if (maskOwnedValues(text) !== maskOwnedValues(spec(i)) + kept.join('')) totals.filesDamaged++;
        if (process.env.STRESS_DEBUG) console.error(`\n${n}: ${missing.length} edits lost`);
        // Count each loss once: go on from what the file holds.
        appended.set(n, kept);
      }
      const times = ownedValues(text).timesReused ?? 0;
      if (times < reportedWrites.get(n)!) totals.incrementsLost += reportedWrites.get(n)! - times;
      // Keep counting from what the file says (a reportless run's writes only add).
      reportedWrites.set(n, Math.max(times, reportedWrites.get(n)!));
    }
    if (left.length > 0) for (const n of left) await rm(path.join(specs, n), { recursive: true, force: true });
    process.stdout.write(`\rround ${round + 1} (${kind}): ${started} runs, ${edits} edits, problems so far ${JSON.stringify(totals)}   `);
  }
  clearInterval(editor);
  server.closeAllConnections();
  server.close();
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  console.log(`\nstress: ${started} runs over ${SPECS} specs in ${seconds} s; ${edits} edits appended; SIGSTOP ${STOP_MS} ms every ${STOP_EVERY} rounds; write delay ${DELAY_MS} ms`);
  console.log(`  exit codes: ${JSON.stringify(exits)}; runs without a report (second signal): ${reportless}`);
  console.log(`  write-back outcomes: ${JSON.stringify(outcomes)}`);
  console.log(`  edits lost: ${totals.editsLost}, files damaged: ${totals.filesDamaged}, temp files left: ${totals.tempFilesLeft}, increments lost: ${totals.incrementsLost}`);
  await rm(dir, { recursive: true, force: true });
  process.exitCode = totals.editsLost + totals.filesDamaged + totals.tempFilesLeft + totals.incrementsLost > 0 ? 1 : 0;
}

await main();
