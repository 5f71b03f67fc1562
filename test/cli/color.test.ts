import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli, scratch } from './run-cli.js';

/** Colour on demand for CI logs, and a terminal where the progress line never mixes with other output. */

let server: Server;
let base = '';
let work: Awaited<ReturnType<typeof scratch>>;

const CONFIG = `default: local
apis:
  items:
    specs: specs
environments:
  local:
    apis:
      items:
        baseUrl: \${ITEMS_URL}
`;

const good = (p: string): string =>
  `---\nendpoint: GET ${p}\n---\n## Test Request\n\n\`\`\`yaml\nsteps:\n  - id: call\n    method: GET\n    path: ${p}\n    expect:\n      status: [200]\n\`\`\`\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    // Slow enough that the progress line is on screen when the broken specs are found.
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 150);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), CONFIG);
  await mkdir(path.join(work.dir, 'specs'), { recursive: true });
  await writeFile(path.join(work.dir, 'specs', 'a.md'), good('/a'));
  await writeFile(path.join(work.dir, 'specs', 'b.md'), '---\nendpoint: GET /b\nstatus: [open\n---\n');
  await writeFile(path.join(work.dir, 'specs', 'c.md'), good('/c'));
  await writeFile(path.join(work.dir, 'specs', 'd.md'), '---\nendpoint: "GET /d\n---\n');
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await work.cleanup();
});

const GREEN = '\u001b[32m';

describe('colour', () => {
  it('--color colours a log that is not a terminal; FORCE_COLOR=1 does the same; --no-color wins over FORCE_COLOR', async () => {
    const env = { ITEMS_URL: base };
    const forced = await runCli(['verify', 'specs/a.md', '--no-write', '--color'], { cwd: work.dir, env });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`${GREEN}✓ verified`);
    // No live progress line in a log: it needs a terminal.
    expect(forced.stdout).not.toContain('\u001b[2K');
    const byEnv = await runCli(['verify', 'specs/a.md', '--no-write'], { cwd: work.dir, env: { ...env, FORCE_COLOR: '1' } });
    expect(byEnv.stdout).toContain(`${GREEN}✓ verified`);
    const off = await runCli(['--no-color', 'verify', 'specs/a.md', '--no-write'], { cwd: work.dir, env: { ...env, FORCE_COLOR: '1' } });
    expect(off.stdout).not.toContain('\u001b[');
    const plain = await runCli(['verify', 'specs/a.md', '--no-write'], { cwd: work.dir, env });
    expect(plain.stdout).not.toContain('\u001b[');
  });
});

describe('the progress line on a terminal', () => {
  it('is taken off the screen before a diagnostic is written', async () => {
    let screen = '';
    const tty = { isTTY: true, columns: 120, write: (s: string) => (screen += s) };
    const code = await main(['verify', 'specs', '--no-write', '--concurrency', '1'], {
      stdout: tty,
      stderr: tty,
      env: { ITEMS_URL: base, TERM: 'xterm' },
      cwd: work.dir,
    });
    expect(code).toBe(2);
    expect(screen).toContain('\u001b[2K');
    const plain = screen.replace(/\u001b\[[0-9;]*m/g, '');
    // The diagnostics of both broken files made it to the screen...
    expect(plain.match(/(?:^|\r\u001b\[2K)error\[yaml-syntax\]: YAML syntax error/gm)?.length).toBe(2);
    // ...and whatever follows a drawn progress line first clears it ("\r" + erase line), so
    // nothing is ever glued to it ("0/4 ✓ 0 ✗ 0 1 mserror[yaml-syntax]...").
    const draws = [...plain.matchAll(/\d+\/\d+ ✓ \d+ ✗ \d+ [\d.]+ (?:ms|s)/g)];
    expect(draws.length).toBeGreaterThan(0);
    for (const d of draws) {
      const next = plain.slice(d.index + d[0].length, d.index + d[0].length + 1);
      expect(next === '' || next === '\r').toBe(true);
    }
  });
});
