import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startSandbox } from '../src/sandbox/server.js';
import { numberOption } from './args.js';
import { measure } from './measure.js';

/**
 * `npm run soak`: thousands of specs against the sandbox with faults on
 * (latency, errors, resets, 429s), concurrency 32, then checks that
 *  - the run completes and every spec has exactly one verdict,
 *  - each verdict matches what the server did (the sandbox's log: the last
 *    answer for each spec's own path decides), and the attempts match the log,
 *  - every file still parses and differs from the start only in owned keys,
 *  - peak memory stays flat as the corpus grows (a quarter vs the whole).
 * Options: --specs N (default 2000), --concurrency N (default 32), --seed N.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../dist/cli/bin.js');
const SPECS = numberOption('specs', 2000);
const CONCURRENCY = numberOption('concurrency', 32);
const SEED = numberOption('seed', 7);

// Each spec asks for its own missing conversation, so the sandbox's per-path log says exactly what that spec saw.
function soakSpec(i: number): string {
  return `---
endpoint: GET /conversations/{conversation_id}
domain: agentclara
tags: [soak]
status: draft
timesReused: 0
tokens: [api_key]
---
# Soak ${i}

## Test Request

\`\`\`yaml
steps:
  - id: missing_conversation
    description: An unknown conversation is a documented 404
    method: GET
    path: /conversations/soak-${i}
    retry: 3
    expect:
      status: [404]
      body:
        $.error: { equals: Conversation not found }
\`\`\`
`;
}

const CONFIG = `default: soak
apis:
  agentclara:
    specs: specs
    tokens:
      api_key: { env: SANDBOX_AGENTCLARA_API_KEY }
environments:
  soak:
    apis:
      agentclara:
        baseUrl: \${VERIFY_SANDBOX_URL}/agentclara
`;

interface ReportSpec {
  file: string;
  verdict: string;
  steps: { attempts: number; status: number | null; error: { code: string } | null }[];
}

async function corpus(dir: string, n: number): Promise<void> {
  await mkdir(path.join(dir, 'specs'), { recursive: true });
  await writeFile(path.join(dir, 'verify.config.yaml'), CONFIG);
  for (let i = 0; i < n; i += 200) {
    await Promise.all(
      Array.from({ length: Math.min(200, n - i) }, (_, k) => writeFile(path.join(dir, 'specs', `soak-${String(i + k).padStart(5, '0')}.md`), soakSpec(i + k))),
    );
  }
}

async function soak(n: number): Promise<{ problems: string[]; rssMB: number; ms: number; faults: Record<string, number>; verdicts: Record<string, number> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ev-soak-'));
  const sandbox = await startSandbox({
    knobs: { latencyMs: 5, errorRate: 0.1, rateLimitRate: 0.03, resetRate: 0.03, seed: SEED, logLimit: n * 20 },
  });
  const problems: string[] = [];
  try {
    await corpus(dir, n);
    const run = await measure(CLI, ['verify', 'specs', '--quiet', '--concurrency', String(CONCURRENCY), '--conformance', 'off', '--reporter', 'json:report.json'], {
      cwd: dir,
      env: { ...sandbox.env, VERIFY_SANDBOX_URL: sandbox.url },
    });
    if (run.code !== 0 && run.code !== 1) problems.push(`run exited ${run.code}: ${run.output.slice(-500)}`);
    const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as { specs: ReportSpec[] };

    const byPath = new Map<string, { status: number; fault?: string }[]>();
    for (const e of sandbox.log) {
      const list = byPath.get(e.path) ?? [];
      list.push(e);
      byPath.set(e.path, list);
    }
    const seen = new Map<string, number>();
    const verdicts: Record<string, number> = {};
    for (const s of report.specs) {
      seen.set(s.file, (seen.get(s.file) ?? 0) + 1);
      verdicts[s.verdict] = (verdicts[s.verdict] ?? 0) + 1;
      const i = Number(/soak-(\d+)\.md$/.exec(s.file)?.[1]);
      const served = byPath.get(`/agentclara/conversations/soak-${i}`) ?? [];
      const last = served.at(-1);
      const expected = last?.status === 404 ? 'verified' : 'failing';
      if (s.verdict !== expected) problems.push(`${s.file}: verdict ${s.verdict}, but the sandbox's last answer was ${last ? `${last.status}${last.fault ? ` (${last.fault})` : ''}` : 'nothing'}`);
      const attempts = s.steps[0]?.attempts ?? 0;
      if (attempts !== served.length) problems.push(`${s.file}: ${attempts} attempts reported, ${served.length} requests served`);
    }
    if (report.specs.length !== n) problems.push(`${report.specs.length} verdicts for ${n} specs`);
    for (const [file, count] of seen) if (count !== 1) problems.push(`${file}: ${count} verdicts`);

    // Files: still parse, and only owned lines changed.
    const owned = /^(status|verifiedAt|timesReused|useFallbackApi):/;
    for (const name of await readdir(path.join(dir, 'specs'))) {
      const i = Number(/soak-(\d+)\.md$/.exec(name)?.[1]);
      const before = soakSpec(i).split('\n');
      const after = (await readFile(path.join(dir, 'specs', name), 'utf8')).split('\n');
      const fm = /^---\n([\s\S]*?)\n---/.exec(after.join('\n'));
      try {
        parse(fm?.[1] ?? '');
      } catch {
        problems.push(`${name}: front-matter no longer parses`);
      }
      const added = after.filter((l) => !before.includes(l));
      const removed = before.filter((l) => !after.includes(l));
      for (const l of [...added, ...removed]) if (!owned.test(l)) problems.push(`${name}: line changed: ${l}`);
    }
    const faults: Record<string, number> = {};
    for (const e of sandbox.log) if (e.fault) faults[e.fault] = (faults[e.fault] ?? 0) + 1;
    faults.requests = sandbox.log.length;
    return { problems, rssMB: run.rssMB, ms: run.ms, faults, verdicts };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const small = await soak(Math.max(1, Math.floor(SPECS / 4)));
const big = await soak(SPECS);
const lines = [
  `soak: ${SPECS} specs, concurrency ${CONCURRENCY}, faults: latency 5 ms, 10% 5xx, 3% 429, 3% resets (seed ${SEED})`,
  `  run: ${(big.ms / 1000).toFixed(1)} s, requests served ${big.faults.requests}, faults ${JSON.stringify({ ...big.faults, requests: undefined })}`,
  `  verdicts: ${JSON.stringify(big.verdicts)}`,
  `  peak memory: ${small.rssMB.toFixed(0)} MB for ${Math.floor(SPECS / 4)} specs, ${big.rssMB.toFixed(0)} MB for ${SPECS} (ratio ${(big.rssMB / small.rssMB).toFixed(2)})`,
  `  problems: ${big.problems.length + small.problems.length}`,
  ...[...small.problems, ...big.problems].slice(0, 20).map((p) => `    ${p}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = big.problems.length + small.problems.length === 0 ? 0 : 1;
