import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../helpers/junit-xsd.js';
import { readJson, runCli, scratch, ITEMS_STAFF_CONFIG } from './run-cli.js';

/**
 * Every outcome through the CLI, as a user meets it: the exit code, the console line, the JSON,
 * JUnit and HTML entries, and the spec file's bytes after the run. Only verified, failing and
 * blocked may change the file (docs/results.md, "Outcomes").
 */

let server: Server;
let base = '';
let closedPort = 0;
let work: Awaited<ReturnType<typeof scratch>>;

const CONFIG = ITEMS_STAFF_CONFIG;

function spec(opts: { endpoint?: string; test?: string; prereq?: string; extra?: string }): string {
  const endpoint = opts.endpoint ?? 'GET /ok';
  const [method, p] = endpoint.split(' ');
  return [
    '---',
    `endpoint: ${endpoint}`,
    'status: draft # keep me',
    'timesReused: 4',
    'tokens: [staff]',
    ...(opts.extra ? [opts.extra] : []),
    '---',
    '# Spec',
    '',
    ...(opts.prereq ? ['## Prerequisites', '', '```yaml', 'steps:', opts.prereq, '```', ''] : []),
    '## Test Request',
    '',
    '```yaml',
    'steps:',
    opts.test ?? ['  - id: call', `    method: ${method}`, `    path: ${p}`, '    expect:', '      status: [200]'].join('\n'),
    '```',
    '',
  ].join('\n');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    else if (req.url === '/bad') res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}');
    else if (req.url === '/reset') req.socket.destroy();
    else if (req.url === '/hang') void 0; // never answers
    else if (req.url === '/slow-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just open and is now closed: connections to it are refused.
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), CONFIG);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await work.cleanup();
});

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  json: { summary: Record<string, number>; specs: { file: string; verdict: string; reason: string | null; diagnostics: { code: string; line: number | null }[]; writeBack: { outcome: string } | null }[] };
  junit: string;
  html: string;
  before: Buffer;
  after: Buffer;
}

let n = 0;
/** Writes one spec, runs `verify` on it with every file reporter, and collects what a user sees. */
async function outcome(text: string, opts: { url?: string; env?: Record<string, string>; args?: string[] } = {}): Promise<Outcome> {
  const name = `o${n++}`;
  const file = path.join(work.dir, 'specs', `${name}.md`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const before = await readFile(file);
  const r = await runCli(
    ['verify', `specs/${name}.md`, '--reporter', 'console', '--reporter', `json:${name}.json`, '--reporter', `junit:${name}.xml`, '--reporter', `html:${name}.html`, ...(opts.args ?? [])],
    { cwd: work.dir, env: { ITEMS_URL: opts.url ?? base, ITEMS_TOKEN: 'tok-outcomes-1', ...opts.env } },
  );
  const junit = await readFile(path.join(work.dir, `${name}.xml`), 'utf8');
  // Every outcome's JUnit file is valid against the common JUnit schema (Jenkins xunit junit-10).
  expect(await junitSchemaErrors(junit)).toEqual([]);
  return {
    ...r,
    json: await readJson(path.join(work.dir, `${name}.json`)),
    junit,
    html: await readFile(path.join(work.dir, `${name}.html`), 'utf8'),
    before,
    after: await readFile(file),
  };
}

function htmlSpecs(html: string): { verdict: string; reason: string; diagnostics: string[] }[] {
  const m = /<script type="application\/json" id="ev-data">([\s\S]*?)<\/script>/.exec(html);
  return (JSON.parse(m![1]!) as { specs: { verdict: string; reason: string; diagnostics: string[] }[] }).specs;
}

function expectUntouched(o: Outcome): void {
  expect(o.after.equals(o.before)).toBe(true);
}

describe('outcomes through the CLI', () => {
  it('verified: exit 0, status written', async () => {
    const o = await outcome(spec({}));
    expect(o.code).toBe(0);
    expect(o.stdout).toMatch(/✓ verified +GET \/ok/);
    expect(o.json.specs[0]).toMatchObject({ verdict: 'verified', writeBack: { outcome: 'written' } });
    expect(o.junit).toMatch(/<testcase name="GET \/ok" classname="specs\/o\d+\.md" time="[\d.]+"\/>/);
    expect(htmlSpecs(o.html)[0]!.verdict).toBe('verified');
    expect(o.after.toString()).toMatch(/^status: verified # keep me$/m);
    expect(o.after.toString()).toMatch(/^timesReused: 5$/m);
  });

  it('failing: exit 1, status written', async () => {
    const o = await outcome(spec({ endpoint: 'GET /bad' }));
    expect(o.code).toBe(1);
    expect(o.stdout).toMatch(/✗ failing +GET \/bad/);
    expect(o.json.specs[0]).toMatchObject({ verdict: 'failing', writeBack: { outcome: 'written' } });
    expect(o.junit).toMatch(/<failure message="call failed: status 500, expected 200 \(specs\/o\d+\.md:\d+\)" type="failing">/);
    expect(htmlSpecs(o.html)[0]!.verdict).toBe('failing');
    expect(o.after.toString()).toMatch(/^status: failing # keep me$/m);
  });

  it('blocked: exit 1, status written', async () => {
    const o = await outcome(spec({ prereq: '  - id: pre\n    method: GET\n    path: /bad\n    expect:\n      status: [200]' }));
    expect(o.code).toBe(1);
    expect(o.stdout).toMatch(/! blocked +GET \/ok/);
    expect(o.json.specs[0]).toMatchObject({ verdict: 'blocked', writeBack: { outcome: 'written' } });
    expect(o.junit).toMatch(/<error message="blocked: prerequisite pre failed: status 500, expected 200 \(specs\/o\d+\.md:\d+\)" type="blocked">/);
    expect(htmlSpecs(o.html)[0]!.verdict).toBe('blocked');
    expect(o.after.toString()).toMatch(/^status: blocked # keep me$/m);
  });

  it('error, connection refused (a port just closed): exit 3, the file untouched', async () => {
    const o = await outcome(spec({}), { url: `http://127.0.0.1:${closedPort}` });
    expect(o.code).toBe(3);
    expect(o.stdout).toMatch(/⚠ error +GET \/ok .*nothing learned about the doc: connection refused/);
    // Once on the spec's line, once as the failure's reason: not again as an "error (network)" line.
    expect(o.stdout.match(/connection refused/g)).toHaveLength(2);
    expect(o.json.summary).toMatchObject({ error: 1, failing: 0 });
    expect(o.json.specs[0]).toMatchObject({ verdict: 'error', writeBack: { outcome: 'skipped' } });
    expect(o.junit).toMatch(/<error message="error: call: nothing learned about the doc: connection refused by 127\.0\.0\.1:\d+ \(ECONNREFUSED\) \(specs\/o\d+\.md:\d+\)" type="error">/);
    expect(htmlSpecs(o.html)[0]).toMatchObject({ verdict: 'error' });
    expectUntouched(o);
  });

  it('error, TLS spoken to a plain HTTP server: exit 3, the file untouched', async () => {
    const o = await outcome(spec({}), { url: base.replace('http:', 'https:') });
    expect(o.code).toBe(3);
    expect(o.json.specs[0]!.verdict).toBe('error');
    expect(o.json.specs[0]!.reason).toMatch(/TLS|ssl|EPROTO/i);
    expectUntouched(o);
  });

  it('error, connection reset before any response: exit 3, the file untouched', async () => {
    const o = await outcome(spec({ endpoint: 'GET /reset' }));
    expect(o.code).toBe(3);
    expect(o.json.specs[0]!.verdict).toBe('error');
    expectUntouched(o);
  });

  it('error, timeout before the response headers: exit 3, the file untouched', async () => {
    const o = await outcome(spec({ endpoint: 'GET /hang' }), { args: ['--timeout', '300ms'] });
    expect(o.code).toBe(3);
    expect(o.json.specs[0]!.verdict).toBe('error');
    expect(o.json.specs[0]!.reason).toMatch(/no complete response .* within 300 ms|no response headers/);
    expectUntouched(o);
  });

  it('error, timeout after the headers, mid-body: exit 3, the file untouched (an unfinished answer is not judged)', async () => {
    const o = await outcome(spec({ endpoint: 'GET /slow-body' }), { args: ['--timeout', '300ms'] });
    expect(o.code).toBe(3);
    expect(o.json.specs[0]!.verdict).toBe('error');
    expectUntouched(o);
  });

  it('error, a missing token (nothing sent): exit 3, the file untouched', async () => {
    const o = await outcome(spec({}), { env: { ITEMS_TOKEN: '' } });
    expect(o.code).toBe(3);
    expect(o.stdout).toMatch(/⚠ error +GET \/ok .*no staff token: set ITEMS_TOKEN/);
    expect(o.json.specs[0]!.verdict).toBe('error');
    expectUntouched(o);
  });

  it('invalid, a parse error: exit 2, in every report with its diagnostic, the file untouched', async () => {
    const o = await outcome('---\nendpoint: GET /ok\nstatus: [unclosed\n---\n# x\n');
    expect(o.code).toBe(2);
    expect(o.stdout).toMatch(/✎ invalid +specs\/o\d+\.md .*error\[yaml-syntax\]/);
    expect(o.json.summary).toMatchObject({ total: 1, invalid: 1 });
    const s = o.json.specs[0]!;
    expect(s.verdict).toBe('invalid');
    expect(s.diagnostics[0]!.line).toBeGreaterThanOrEqual(1);
    expect(o.junit).toMatch(/tests="1" failures="0" errors="1"/);
    expect(o.junit).toMatch(/<error message="invalid: error\[[a-z-]+\]: [^"]+ \(specs\/o\d+\.md:\d+\)" type="invalid">/);
    expect(htmlSpecs(o.html)[0]!.diagnostics[0]).toMatch(/^specs\/o\d+\.md:\d+:\d+: error\[/);
    expectUntouched(o);
  });

  it('invalid, a Test Request that never calls its own endpoint (lint endpoint-not-called): exit 2, nothing sent', async () => {
    const o = await outcome(spec({ endpoint: 'DELETE /things/{id}', test: '  - id: call\n    method: GET\n    path: /ok' }));
    expect(o.code).toBe(2);
    const s = o.json.specs[0]!;
    expect(s.verdict).toBe('invalid');
    expect(s.diagnostics.map((d) => d.code)).toEqual(['endpoint-not-called']);
    expect(s.diagnostics[0]!.line).toBe(2);
    expect(o.junit).toContain('endpoint-not-called');
    expectUntouched(o);
  });

  it('invalid, a template the spec cannot fill (an undefined variable): exit 2, nothing sent, the file untouched', async () => {
    const o = await outcome(spec({ test: '  - id: call\n    method: GET\n    path: /ok/{{nope}}' , endpoint: 'GET /ok/{id}' }));
    expect(o.code).toBe(2);
    expect(o.json.specs[0]!.verdict).toBe('invalid');
    expect(o.json.specs[0]!.reason).toMatch(/\{\{nope\}\} is not defined/);
    expectUntouched(o);
  });

  it('error, a use: of a spec the API did not answer: the user is error too, not blocked, and neither file changes', async () => {
    await mkdir(path.join(work.dir, 'specs', 'use'), { recursive: true });
    const used = path.join(work.dir, 'specs', 'use', 'login.md');
    const user = path.join(work.dir, 'specs', 'use', 'main.md');
    await writeFile(used, spec({}));
    await writeFile(user, spec({ prereq: '  - id: login\n    use: login.md' }));
    const before = [await readFile(used), await readFile(user)];
    const r = await runCli(['verify', 'specs/use/main.md', '--reporter', 'json:use.json'], {
      cwd: work.dir,
      env: { ITEMS_URL: `http://127.0.0.1:${closedPort}`, ITEMS_TOKEN: 't' },
    });
    expect(r.code).toBe(3);
    const json = await readJson<{ specs: { verdict: string }[] }>(path.join(work.dir, 'use.json'));
    expect(json.specs[0]!.verdict).toBe('error');
    expect((await readFile(used)).equals(before[0]!)).toBe(true);
    expect((await readFile(user)).equals(before[1]!)).toBe(true);
  });

  it('invalid, a config problem (an API the environment does not have): exit 2, the file untouched', async () => {
    const o = await outcome(spec({ extra: 'api: nope' }));
    expect(o.code).toBe(2);
    expect(o.json.specs[0]).toMatchObject({ verdict: 'invalid' });
    expect(o.json.specs[0]!.reason).toMatch(/api "nope", which environment "local" does not define/);
    expectUntouched(o);
  });

  it('skipped by --bail: exit 1 (from the failing spec), skipped in its API suite, the file untouched', async () => {
    await mkdir(path.join(work.dir, 'specs', 'bail'), { recursive: true });
    await writeFile(path.join(work.dir, 'specs', 'bail', 'a.md'), spec({ endpoint: 'GET /bad' }));
    await writeFile(path.join(work.dir, 'specs', 'bail', 'b.md'), spec({}));
    const before = await readFile(path.join(work.dir, 'specs', 'bail', 'b.md'));
    const r = await runCli(['verify', 'specs/bail', '--bail', '--concurrency', '1', '--reporter', 'console', '--reporter', 'junit:bail.xml', '--reporter', 'json:bail.json'], {
      cwd: work.dir,
      env: { ITEMS_URL: base, ITEMS_TOKEN: 'tok-outcomes-1' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/- skipped +GET \/ok .*not run: --bail/);
    const junit = await readFile(path.join(work.dir, 'bail.xml'), 'utf8');
    expect(await junitSchemaErrors(junit)).toEqual([]);
    expect(junit).not.toContain('<testsuite name=""');
    expect(junit).toMatch(/<testsuite name="items" tests="2" failures="1" errors="0" skipped="1"/);
    const json = await readJson<{ specs: { api: string; verdict: string }[] }>(path.join(work.dir, 'bail.json'));
    expect(json.specs.map((s) => [s.api, s.verdict])).toEqual([
      ['items', 'failing'],
      ['items', 'skipped'],
    ]);
    expect((await readFile(path.join(work.dir, 'specs', 'bail', 'b.md'))).equals(before)).toBe(true);
  });

  it('precedence: a broken spec (2) outranks an outage (3), which outranks a failing spec (1)', async () => {
    await mkdir(path.join(work.dir, 'specs', 'mix'), { recursive: true });
    await writeFile(path.join(work.dir, 'specs', 'mix', 'a.md'), spec({ endpoint: 'GET /bad' }));
    await writeFile(path.join(work.dir, 'specs', 'mix', 'b.md'), spec({ endpoint: 'GET /reset' }));
    const r1 = await runCli(['verify', 'specs/mix', '--no-write'], { cwd: work.dir, env: { ITEMS_URL: base, ITEMS_TOKEN: 't' } });
    expect(r1.code).toBe(3);
    await writeFile(path.join(work.dir, 'specs', 'mix', 'c.md'), '---\nendpoint: [\n---\n');
    const r2 = await runCli(['verify', 'specs/mix', '--no-write'], { cwd: work.dir, env: { ITEMS_URL: base, ITEMS_TOKEN: 't' } });
    expect(r2.code).toBe(2);
    expect(r2.stdout).toMatch(/1 failing, 0 blocked, 1 error, 1 invalid/);
  });
});
