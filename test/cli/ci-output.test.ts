import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../helpers/junit-xsd.js';
import { runCli, scratch } from './run-cli.js';

/**
 * What CI sees: the console next to file reporters, every selected file in JUnit (broken ones
 * too), and GitHub annotations and job summaries from verify, lint and report merge.
 */

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
  `---\nendpoint: GET ${p}\nstatus: draft\n---\n# x\n\n## Test Request\n\n\`\`\`yaml\nsteps:\n  - id: call\n    method: GET\n    path: ${p}\n    expect:\n      status: [200]\n\`\`\`\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    else res.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"from.id must match format uuid"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), CONFIG);
  await mkdir(path.join(work.dir, 'specs', 'one'), { recursive: true });
  await writeFile(path.join(work.dir, 'specs', 'one', 'fail.md'), good('/fails'));
  await mkdir(path.join(work.dir, 'specs', 'four'), { recursive: true });
  await writeFile(path.join(work.dir, 'specs', 'four', 'a.md'), good('/ok'));
  await writeFile(path.join(work.dir, 'specs', 'four', 'b.md'), '---\nendpoint: GET /b\nstatus: [open\n---\n');
  await writeFile(path.join(work.dir, 'specs', 'four', 'c.md'), '---\nendpoint: GET /c\n---\n## Test Request\n\n```yaml\nsteps:\n  - id: call\n    method: GET\n    path: "/c\n```\n');
  await writeFile(path.join(work.dir, 'specs', 'four', 'd.md'), 'no front-matter at all\n');
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await work.cleanup();
});

const env = (): Record<string, string> => ({ ITEMS_URL: base });

describe('a file reporter never silences the console', () => {
  it("the README's pull-request command prints the failure and exits 1", async () => {
    const r = await runCli(['verify', 'specs/one', '--no-write', '--reporter', 'junit:out/junit.xml'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ failing +GET \/fails/);
    expect(r.stdout).toMatch(/0 verified, 1 failing/);
    expect(await readFile(path.join(work.dir, 'out', 'junit.xml'), 'utf8')).toContain('<failure');
  });

  it('--quiet with a file reporter prints nothing on stdout', async () => {
    const r = await runCli(['verify', 'specs/one', '--no-write', '--quiet', '--reporter', 'junit:out/q.xml'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });
});

describe('three of four spec files broken', () => {
  it('JUnit has all four (valid against junit-10), GitHub gets an annotation for each broken file and a summary', async () => {
    const summary = path.join(work.dir, 'summary-verify.md');
    const r = await runCli(['verify', 'specs/four', '--no-write', '--reporter', 'junit:four.xml'], {
      cwd: work.dir,
      env: { ...env(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.code).toBe(2);
    const xml = await readFile(path.join(work.dir, 'four.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="endpoint-verify" tests="4" failures="0" errors="3"/);
    for (const f of ['a', 'b', 'c', 'd']) expect(xml).toContain(`classname="specs/four/${f}.md"`);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    for (const f of ['b', 'c', 'd']) expect(r.stdout).toMatch(new RegExp(`^::error file=specs/four/${f}\\.md,line=\\d+`, 'm'));
    const md = await readFile(summary, 'utf8');
    expect(md).toMatch(/invalid \| 3 \|/);
  });
});

describe('GitHub Actions output from lint and report merge', () => {
  it('lint prints one annotation per diagnostic at its line and writes a job summary', async () => {
    const summary = path.join(work.dir, 'summary-lint.md');
    const r = await runCli(['lint', 'specs/four'], { cwd: work.dir, env: { ...env(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=specs\/four\/b\.md,line=\d+,col=\d+,title=error\[/m);
    expect(await readFile(summary, 'utf8')).toMatch(/## endpoint-verify lint[\s\S]*\| error \| specs\/four\/b\.md:\d+:/);
  });

  it('report merge prints annotations, writes a job summary and exits like verify', async () => {
    const a = await runCli(['verify', 'specs/one', '--no-write', '--quiet', '--reporter', 'json:m1.json'], { cwd: work.dir, env: env() });
    expect(a.code).toBe(1);
    const summary = path.join(work.dir, 'summary-merge.md');
    const r = await runCli(['report', 'merge', 'm1.json', '--reporter', 'junit:merged.xml'], { cwd: work.dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ failing +GET \/fails/);
    expect(r.stdout).toMatch(/^::error file=specs\/one\/fail\.md,line=\d+,title=failing%3A GET \/fails::/m);
    expect(await readFile(summary, 'utf8')).toMatch(/## endpoint-verify report/);
  });
});
