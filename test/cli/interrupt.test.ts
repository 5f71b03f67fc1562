import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, scratch } from './run-cli.js';

/** Ctrl-C and SIGTERM: stop scheduling, finish write-backs in flight, report what ran, exit 130. */

let server: Server;
let base = '';
let requests = 0;
const fastSpec = (i: number): string => spec(i).replace(/\/slow/g, '/fast');
let work: Awaited<ReturnType<typeof scratch>>;
const N = 12;
const spec = (i: number): string =>
  `---\nendpoint: GET /slow\nstatus: draft # keep me\ntimesReused: 0\n---\n# Slow ${i}\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: slow\n    method: GET\n    path: /slow\n\`\`\`\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    const wait = req.url === '/fast' ? 0 : 250;
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), wait);
  });
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

describe.each(['SIGINT', 'SIGTERM'] as const)('%s from the first moment', (signal) => {
  it('while the CLI is still loading: exit 130, nothing sent, nothing written', async () => {
    // A module hook holds the loading of the CLI's main module for 3 s: the signal comes in that window.
    const hooks = path.join(work.dir, 'slow-load-hooks.mjs');
    const marker = path.join(work.dir, `loading-${signal}`);
    // The marker says the CLI asked for its main module; the signal is sent then, while it waits.
    await writeFile(
      hooks,
      `import { writeFileSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.endsWith('/cli/main.js')) {\n    writeFileSync(${JSON.stringify(marker)}, '');\n    await new Promise((r) => setTimeout(r, 3000));\n  }\n  return next(url, context);\n}\n`,
    );
    const preload = path.join(work.dir, 'slow-load.mjs');
    await writeFile(preload, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    await rm(path.join(work.dir, 'specs'), { recursive: true, force: true });
    await mkdir(path.join(work.dir, 'specs'));
    await writeFile(path.join(work.dir, 'specs', 'a.md'), spec(0));
    const served = requests;
    const t0 = Date.now();
    const run = await runCli(['verify'], {
      cwd: work.dir,
      nodeArgs: ['--import', pathToFileURL(preload).href],
      onSpawn: (kill) => {
        const t = setInterval(() => {
          if (!existsSync(marker)) return;
          clearInterval(t);
          kill(signal);
        }, 5);
      },
    });
    expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(requests).toBe(served);
    expect(await readFile(path.join(work.dir, 'specs', 'a.md'), 'utf8')).toBe(spec(0));
    expect(run.stderr).not.toMatch(/internal error/);
  });
});

describe('signals in quick succession during write-backs', () => {
  it.each([
    ['SIGINT', 'SIGINT'],
    ['SIGINT', 'SIGINT', 'SIGINT', 'SIGTERM'],
    ['SIGTERM', 'SIGTERM'],
  ] as NodeJS.Signals[][])('%s, %s…: exit 130, no temp file or lock left, each file wholly old or wholly new', async (...signals) => {
    await rm(path.join(work.dir, 'specs'), { recursive: true, force: true });
    await mkdir(path.join(work.dir, 'specs'));
    for (let i = 0; i < 30; i++) await writeFile(path.join(work.dir, 'specs', `s${String(i).padStart(2, '0')}.md`), fastSpec(i));
    let sent = false;
    const run = await runCli(['verify', '--concurrency', '8'], {
      cwd: work.dir,
      // Each write waits 40 ms between its complete temp file and the rename: the signals land there.
      env: { ENDPOINT_VERIFY_TEST_WRITE_DELAY_MS: '40' },
      onSpawn: (kill) => {
        const t = setInterval(() => {
          void readdir(path.join(work.dir, 'specs')).then((names) => {
            if (sent || !names.some((n) => n.endsWith('.tmp'))) return;
            sent = true;
            clearInterval(t);
            for (const s of signals) kill(s);
          });
        }, 5);
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    const names = await readdir(path.join(work.dir, 'specs'));
    expect(names.filter((n) => !n.endsWith('.md'))).toEqual([]);
    for (const n of names) {
      const text = await readFile(path.join(work.dir, 'specs', n), 'utf8');
      const i = Number(/s(\d+)\.md/.exec(n)![1]);
      if (text === fastSpec(i)) continue;
      expect(text.replace(/^(status|timesReused|verifiedAt):.*\n/gm, '')).toBe(fastSpec(i).replace(/^(status|timesReused):.*\n/gm, ''));
      expect(text).toMatch(/^timesReused: 1$/m);
    }
  });
});
