import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, runCli, scratch } from './run-cli.js';

/**
 * A failure as a user reads it: at the line of the expectation that failed, with a caret and the
 * actual value (hurl-style); parse errors where the problem starts; enough of the response and
 * the request to debug; nothing said twice.
 */

let server: Server;
let base = '';
let work: Awaited<ReturnType<typeof scratch>>;
const LONG_DETAIL = `${'x'.repeat(900)} from.id must match format uuid`;

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

const SPEC = [
  '---',
  'endpoint: POST /things',
  'status: draft',
  '---',
  '## Test Request',
  '',
  '```yaml',
  'steps:',
  '  - id: create',
  '    method: POST',
  '    path: /things',
  '    body: { from: { id: "abc" } }',
  '    expect:',
  '      status: [200]',
  '      body:',
  '        $.data.id: { exists: true }',
  '```',
  '',
].join('\n');

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: LONG_DETAIL })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), CONFIG);
  await mkdir(path.join(work.dir, 'specs'), { recursive: true });
  await writeFile(path.join(work.dir, 'specs', 'create.md'), SPEC);
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await work.cleanup();
});

describe('failures at their line', () => {
  it('the console shows each failed expectation at its own line with a caret and the actual value', async () => {
    const r = await runCli(['verify', 'specs/create.md', '--no-write', '--reporter', 'console', '--reporter', 'json:d.json', '--reporter', 'html:d.html'], {
      cwd: work.dir,
      env: { ITEMS_URL: base },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(['    --> specs/create.md:14:7', '       |', '    14 |       status: [200]', '       |       ^^^^^^^^^^^^^ actual: 422'].join('\n'));
    expect(r.stdout).toContain(['    16 |         $.data.id: { exists: true }', '       |                      ^^^^^^^^^^^^ actual: $.data.id not found'].join('\n'));
    // Said once: no "(status 422, expected 200)" after "expected [200], got 422".
    expect(r.stdout).toContain('✗ status in: expected [200], got 422\n');
    const json = await readJson<{ specs: { steps: { assertions: { kind: string; line: number | null; col: number | null }[] }[] }[] }>(path.join(work.dir, 'd.json'));
    expect(json.specs[0]!.steps[0]!.assertions.map((a) => [a.kind, a.line, a.col])).toEqual([
      ['status', 14, 7],
      ['body', 16, 22],
    ]);
    const html = await readFile(path.join(work.dir, 'd.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="ev-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { specs: { steps: { pointers: string[] }[] }[] };
    expect(data.specs[0]!.steps[0]!.pointers[0]).toBe(['--> specs/create.md:14:7', '   |', '14 |       status: [200]', '   |       ^^^^^^^^^^^^^ actual: 422'].join('\n'));
  });

  it('-v lists the steps once, not again under the failure', async () => {
    const r = await runCli(['verify', 'specs/create.md', '--no-write', '-v'], { cwd: work.dir, env: { ITEMS_URL: base } });
    expect(r.stdout.match(/✗ test create {2}POST/g)).toHaveLength(1);
  });

  it('parse errors point where the problem starts: an unclosed quote at its opening, a broken front-matter at its line', async () => {
    await writeFile(path.join(work.dir, 'specs', 'quote.md'), SPEC.replace('path: /things', 'path: "/things'));
    await writeFile(path.join(work.dir, 'specs', 'fm.md'), SPEC.replace('status: draft', 'status: [draft\ntags: [a]'));
    const r = await runCli(['lint', 'specs/quote.md', 'specs/fm.md'], { cwd: work.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--> specs/quote.md:11:11');
    expect(r.stdout).toContain('^ this " is never closed: add its closing "');
    expect(r.stdout).toContain('--> specs/fm.md:3:9');
    expect(r.stdout).toContain('^ this [ is never closed: add its closing ]');
  });
});

describe('enough to debug', () => {
  it("reports keep the response body (the server's message far past 300 characters) and the request body", async () => {
    const r = await runCli(['verify', 'specs/create.md', '--no-write', '--reporter', 'json:e.json', '--reporter', 'junit:e.xml', '--reporter', 'html:e.html'], {
      cwd: work.dir,
      env: { ITEMS_URL: base },
    });
    expect(r.code).toBe(1);
    const json = await readJson<{ specs: { steps: { responseSnippet: string; requestBody: string | null }[] }[] }>(path.join(work.dir, 'e.json'));
    const step = json.specs[0]!.steps[0]!;
    expect(step.responseSnippet).toContain('from.id must match format uuid');
    expect(step.requestBody).toBe('{"from":{"id":"abc"}}');
    expect(await readFile(path.join(work.dir, 'e.xml'), 'utf8')).toContain('from.id must match format uuid');
    const html = await readFile(path.join(work.dir, 'e.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="ev-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { specs: { steps: { requestBody: string; snippet: string }[] }[] };
    expect(data.specs[0]!.steps[0]!.requestBody).toBe('{"from":{"id":"abc"}}');
    expect(data.specs[0]!.steps[0]!.snippet).toContain('from.id must match format uuid');
  });

  it('the console shows a short excerpt, and a longer one with -v', async () => {
    const plain = await runCli(['verify', 'specs/create.md', '--no-write'], { cwd: work.dir, env: { ITEMS_URL: base } });
    expect(plain.stdout).not.toContain('from.id must match format uuid');
    const verbose = await runCli(['verify', 'specs/create.md', '--no-write', '-v'], { cwd: work.dir, env: { ITEMS_URL: base } });
    expect(verbose.stdout).toContain('from.id must match format uuid');
    expect(verbose.stdout).toContain('request body: {"from":{"id":"abc"}}');
  });
});
