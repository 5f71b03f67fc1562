import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, scratch } from './run-cli.js';

/** Ctrl-C and SIGTERM: stop scheduling, finish write-backs in flight, report what ran, exit 130. */

let server: Server;
let base = '';
let work: Awaited<ReturnType<typeof scratch>>;
const N = 12;
const spec = (i: number): string =>
  `---\nendpoint: GET /slow\nstatus: draft # keep me\ntimesReused: 0\n---\n# Slow ${i}\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: slow\n    method: GET\n    path: /slow\n\`\`\`\n`;

beforeAll(async () => {
  server = createServer((_req, res) => void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 250));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), `environments:\n  local:\n    apis:\n      slow:\n        baseUrl: ${base}\n`);
  await mkdir(path.join(work.dir, 'specs'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await work?.cleanup();
});

describe.each(['SIGINT', 'SIGTERM'] as const)('%s during a run', (signal) => {
  it('exits 130, reports what ran, and leaves every file wholly old or wholly new with no temp files', async () => {
    for (let i = 0; i < N; i++) await writeFile(path.join(work.dir, 'specs', `s${String(i).padStart(2, '0')}.md`), spec(i));
    let sent = false;
    const run = await runCli(['verify', '--concurrency', '1', '--reporter', 'console', '--reporter', `json:${signal}.json`], {
      cwd: work.dir,
      onSpawn: (kill, out) => {
        const t = setInterval(() => {
          // After two specs have finished, interrupt.
          if (!sent && (out().match(/verified/g) ?? []).length >= 2) {
            sent = true;
            kill(signal);
            clearInterval(t);
          }
        }, 20);
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    const report = await readJson<{ interrupted: boolean; specs: { verdict: string }[] }>(path.join(work.dir, `${signal}.json`));
    expect(report.interrupted).toBe(true);
    const verified = report.specs.filter((s) => s.verdict === 'verified').length;
    expect(verified).toBeGreaterThanOrEqual(2);
    expect(verified).toBeLessThan(N);
    const names = await readdir(path.join(work.dir, 'specs'));
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    let written = 0;
    for (const n of names) {
      const text = await readFile(path.join(work.dir, 'specs', n), 'utf8');
      const i = Number(/s(\d+)\.md/.exec(n)![1]);
      if (text === spec(i)) continue;
      written++;
      expect(text).toMatch(/^status: verified # keep me$/m);
      expect(text).toMatch(/^timesReused: 1$/m);
      expect(text.replace(/^(status|timesReused|verifiedAt):.*\n/gm, '')).toBe(spec(i).replace(/^(status|timesReused):.*\n/gm, ''));
    }
    expect(written).toBe(verified);
  });
});
