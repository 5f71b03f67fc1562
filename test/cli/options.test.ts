import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJson, REPO, runCli, scratch, ITEMS_STAFF_CONFIG } from './run-cli.js';

/**
 * The command line as a user runs it: a child process, spec files in a temp
 * folder, a local API server. One spec per behaviour the options select.
 */

const TOKEN = 'canary-tok-3f9a1c7e55';
let server: Server;
let base = '';
const hits: { url: string; auth?: string }[] = [];
let work: Awaited<ReturnType<typeof scratch>>;

function spec(opts: { endpoint: string; tags?: string[]; domain?: string; status?: string; path: string; expectStatus?: number; extra?: string }): string {
  return [
    '---',
    `endpoint: ${opts.endpoint}`,
    `domain: ${opts.domain ?? 'items'}`,
    `tags: [${(opts.tags ?? []).join(', ')}]`,
    `status: ${opts.status ?? 'draft'}`,
    'timesReused: 0',
    'tokens: [staff]',
    '---',
    '# Spec',
    '',
    '## Test Request',
    '',
    '```yaml',
    'steps:',
    '  - id: call',
    `    method: ${opts.endpoint.split(' ')[0]}`,
    `    path: ${opts.path}`,
    '    expect:',
    `      status: [${opts.expectStatus ?? 200}]`,
    ...(opts.extra ? [opts.extra] : []),
    '```',
    '',
  ].join('\n');
}

const CONFIG = ITEMS_STAFF_CONFIG;

async function write(rel: string, text: string): Promise<void> {
  const file = path.join(work.dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

const env = (): Record<string, string> => ({ ITEMS_URL: base, ITEMS_TOKEN: TOKEN });

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push({ url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/items') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"a1"}]}');
    if (url.pathname === '/broken') return void res.writeHead(500, { 'content-type': 'application/json' }).end(`{"error":"boom","echo":"${TOKEN}"}`);
    if (url.pathname === '/slow') return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 400);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await write('verify.config.yaml', CONFIG);
  await write('specs/list-items.md', spec({ endpoint: 'GET /items', tags: ['catalog'], path: '/items' }));
  await write('specs/broken.md', spec({ endpoint: 'GET /broken', tags: ['ops'], domain: 'ops', status: 'failing', path: '/broken' }));
  for (let i = 0; i < 6; i++) await write(`specs/many/item-${i}.md`, spec({ endpoint: 'GET /items', tags: ['bulk'], path: '/items' }));
}, 30_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await work?.cleanup();
});

describe('exit codes', () => {
  it('0 when every selected spec verifies', async () => {
    const r = await runCli(['verify', '--tags', 'catalog', '--no-write'], { cwd: work.dir, env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('1 when a spec fails, with expected and actual shown and the token redacted', async () => {
    const r = await runCli(['verify', 'specs/broken.md', '--no-write'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/500/);
    expect(r.stdout).toMatch(/specs\/broken\.md:\d+/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('2 for an unknown option, in one line', async () => {
    const r = await runCli(['verify', '--tagz', 'x'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--tags/);
  });

  it('2 for a --reporter value it cannot use, in one line, and no request is sent', async () => {
    const before = hits.length;
    const r = await runCli(['verify', '--tags', 'catalog', '--no-write', '--reporter', 'yaml:out.yaml'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: unknown reporter "yaml" in "yaml:out.yaml"; use console, json:<file>/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(hits.length).toBe(before);
  });

  it('2 for a bad option value', async () => {
    const r = await runCli(['verify', '--shard', '5/4'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 for a spec that does not parse, which is named with file:line', async () => {
    const dir = path.join(work.dir, 'bad');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'bad.md'), '---js\n{ endpoint: "GET /x" }\n---\n');
    const r = await runCli(['verify', 'bad', '--no-write'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\/bad\.md:1:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 when one spec of many does not parse; the others still run and are reported', async () => {
    await write('mixed/a-good.md', spec({ endpoint: 'GET /items', tags: ['mixed'], path: '/items' }));
    await write('mixed/b-bad.md', '---\nendpoint: [unclosed\n---\n');
    await write('mixed/c-good.md', spec({ endpoint: 'GET /items', tags: ['mixed'], path: '/items' }));
    const r = await runCli(['verify', 'mixed', '--no-write', '--reporter', 'json:mixed.json'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mixed\/b-bad\.md:\d+:\d+/);
    const report = await readJson<{ specs: { file: string; verdict: string }[] }>(path.join(work.dir, 'mixed.json'));
    // The broken file is in the report, in its place, as invalid.
    expect(report.specs.map((s) => [s.file, s.verdict])).toEqual([
      ['mixed/a-good.md', 'verified'],
      ['mixed/b-bad.md', 'invalid'],
      ['mixed/c-good.md', 'verified'],
    ]);
  });

  it('1 when a filter matches nothing (a run that verified nothing is never green), 0 with --pass-with-no-specs', async () => {
    const r = await runCli(['verify', '--grep', 'no-such-endpoint'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: no spec matched/);
    const allowed = await runCli(['verify', '--grep', 'no-such-endpoint', '--pass-with-no-specs'], { cwd: work.dir, env: env() });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/warning: no spec matched/);
  });
});

describe('selection', () => {
  it('--status picks by front-matter status, --domain by domain', async () => {
    const a = await runCli(['verify', '--status', 'failing', '--no-write', '--reporter', 'json:s.json'], { cwd: work.dir, env: env() });
    expect(a.code).toBe(1);
    expect((await readJson<{ specs: { file: string }[] }>(path.join(work.dir, 's.json'))).specs.map((s) => s.file)).toEqual(['specs/broken.md']);
    const b = await runCli(['verify', '--domain', 'ops', '--no-write', '--reporter', 'json:d.json'], { cwd: work.dir, env: env() });
    expect((await readJson<{ specs: { file: string }[] }>(path.join(work.dir, 'd.json'))).specs.map((s) => s.file)).toEqual(['specs/broken.md']);
    expect(b.code).toBe(1);
  });

  it('--bail stops scheduling after the first failure', async () => {
    const r = await runCli(['verify', '--bail', '--concurrency', '1', '--no-write', '--reporter', 'json:b.json'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    const rep = await readJson<{ specs: { file: string; verdict: string }[] }>(path.join(work.dir, 'b.json'));
    // broken.md sorts first; nothing after it may have run.
    expect(rep.specs[0]?.verdict).toBe('failing');
    expect(rep.specs.slice(1).every((s) => s.verdict === 'skipped')).toBe(true);
  });

  it('--shard i/n covers every spec exactly once, and merge reproduces the unsharded summary', async () => {
    const whole = await runCli(['verify', '--no-write', '--reporter', 'json:whole.json'], { cwd: work.dir, env: env() });
    expect(whole.code).toBe(1);
    const seen: string[] = [];
    const parts: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = `shard-${i}.json`;
      await runCli(['verify', '--shard', `${i}/3`, '--no-write', '--reporter', `json:${out}`], { cwd: work.dir, env: env() });
      parts.push(out);
      seen.push(...(await readJson<{ specs: { file: string }[] }>(path.join(work.dir, out))).specs.map((s) => s.file));
    }
    const all = (await readJson<{ specs: { file: string }[]; summary: Record<string, number> }>(path.join(work.dir, 'whole.json')));
    expect([...seen].sort()).toEqual(all.specs.map((s) => s.file).sort());
    expect(new Set(seen).size).toBe(seen.length);

    const merged = await runCli(['report', 'merge', ...parts, '--reporter', 'json:merged.json', '--reporter', 'junit:merged.xml'], { cwd: work.dir });
    expect(merged.code).toBe(1);
    const m = await readJson<{ summary: Record<string, number> }>(path.join(work.dir, 'merged.json'));
    for (const k of ['total', 'verified', 'failing', 'blocked', 'skipped']) expect(m.summary[k], k).toBe(all.summary[k]);
    const xml = await readFile(path.join(work.dir, 'merged.xml'), 'utf8');
    expect(xml.match(/<testcase\b/g)).toHaveLength(all.specs.length);
    expect(xml.match(/<failure\b/g)).toHaveLength(all.summary.failing ?? 0);
  });
});

describe('more selection', () => {
  it('--stale picks never-verified and old verdicts, not fresh ones', async () => {
    const fresh = spec({ endpoint: 'GET /items', tags: ['fresh'], path: '/items' }).replace('status: draft', `status: verified\nverifiedAt: ${new Date().toISOString()}`);
    await write('specs/fresh.md', fresh);
    const old = spec({ endpoint: 'GET /items', tags: ['fresh'], path: '/items' }).replace('status: draft', 'status: verified\nverifiedAt: 2020-01-01T00:00:00Z');
    await write('specs/old.md', old);
    const r = await runCli(['verify', '--tags', 'fresh', '--stale', '7d', '--no-write', '--reporter', 'json:stale.json'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(0);
    expect((await readJson<{ specs: { file: string }[] }>(path.join(work.dir, 'stale.json'))).specs.map((s) => s.file)).toEqual(['specs/old.md']);
  });

  it('--changed-since picks only specs changed since a git ref; --quiet and --verbose change the detail', async () => {
    const git = (...args: string[]): void => void execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: work.dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'specs');
    await write('specs/list-items.md', `${await readFile(path.join(work.dir, 'specs/list-items.md'), 'utf8')}\nA note.\n`);
    const r = await runCli(['verify', '--changed-since', 'HEAD', '--no-write', '--verbose'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/specs\/list-items\.md/);
    expect(r.stdout).not.toMatch(/specs\/broken\.md/);
    expect(r.stdout).toMatch(/test call\s+GET http:\/\/127\.0\.0\.1:\d+\/items\s+200/);
    const q = await runCli(['verify', 'specs/list-items.md', '--no-write', '--quiet'], { cwd: work.dir, env: env() });
    expect(q.stdout.trim().split('\n')).toHaveLength(1);
    expect(q.stdout).toMatch(/1 verified/);
    const bad = await runCli(['verify', '--changed-since', 'no-such-ref'], { cwd: work.dir, env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('reports', () => {
  it('writes a JSON report that validates against the published schema, and a JUnit file', async () => {
    const r = await runCli(['verify', '--no-write', '--reporter', 'json:r/report.json', '--reporter', 'junit:r/junit.xml', '--reporter', 'markdown:r/report.md'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(1);
    const schema = await readJson<object>(path.join(REPO, 'docs/report.schema.json'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const report = await readJson(path.join(work.dir, 'r/report.json'));
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const xml = await readFile(path.join(work.dir, 'r/junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    const failure = /<testcase[^>]*name="GET \/broken"[^>]*>\s*<failure[^>]*message="([^"]*)"/.exec(xml);
    expect(failure?.[1]).toBeTruthy();
    expect(xml).toMatch(/specs\/broken\.md:\d+/);
    const md = await readFile(path.join(work.dir, 'r/report.md'), 'utf8');
    expect(md).toMatch(/broken/);
    for (const text of [xml, md, JSON.stringify(report)]) expect(text).not.toContain(TOKEN);
  });

  it('under GitHub Actions, annotates the failing step line and writes the job summary', async () => {
    const summary = path.join(work.dir, 'gh-summary.md');
    const r = await runCli(['verify', 'specs/broken.md', '--no-write'], { cwd: work.dir, env: { ...env(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error file=specs\/broken\.md,line=\d+/);
    expect(await readFile(summary, 'utf8')).toMatch(/broken/);
  });

  it('--dry-run prints curl commands with the token redacted and sends nothing', async () => {
    const before = hits.length;
    const r = await runCli(['verify', 'specs/list-items.md', '--dry-run'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/curl .*\/items/);
    expect(r.stdout).toContain('***');
    expect(r.stdout).not.toContain(TOKEN);
    expect(hits.length).toBe(before);
  });
});

describe('write-back through the CLI', () => {
  it('writes status and timesReused; --no-write leaves the file alone', async () => {
    const file = path.join(work.dir, 'specs/list-items.md');
    const original = await readFile(file, 'utf8');
    await runCli(['verify', 'specs/list-items.md', '--no-write'], { cwd: work.dir, env: env() });
    expect(await readFile(file, 'utf8')).toBe(original);
    const r = await runCli(['verify', 'specs/list-items.md'], { cwd: work.dir, env: env() });
    expect(r.code).toBe(0);
    const now = await readFile(file, 'utf8');
    expect(now).toMatch(/^status: verified$/m);
    expect(now).toMatch(/^timesReused: 1$/m);
    expect(now.replace(/^(status|timesReused|verifiedAt):.*\n/gm, '')).toBe(original.replace(/^(status|timesReused|verifiedAt):.*\n/gm, ''));
  });

  it('a missing token is an error (exit 3) with the variable named and nothing sent', async () => {
    const before = hits.length;
    const r = await runCli(['verify', 'specs/list-items.md', '--no-write'], { cwd: work.dir, env: { ITEMS_URL: base } });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/ITEMS_TOKEN|VERIFY_TOKEN_STAFF/);
    expect(hits.length).toBe(before);
  });
});

describe('other commands', () => {
  it('status shows freshness without network', async () => {
    const before = hits.length;
    const r = await runCli(['status', '--format', 'json'], { cwd: work.dir });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { file: string; status: string }[] | { specs: { file: string; status: string }[] };
    const list = Array.isArray(rows) ? rows : rows.specs;
    expect(list.find((s) => s.file === 'specs/broken.md')?.status).toBe('failing');
    expect(hits.length).toBe(before);
  });

  it('status --reporter html writes the freshness dashboard; --check fails on stale or failing specs', async () => {
    const r = await runCli(['status', '--reporter', 'html:fresh/freshness.html'], { cwd: work.dir });
    expect(r.code).toBe(0);
    const html = await readFile(path.join(work.dir, 'fresh/freshness.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/never/i);
    expect(html).not.toMatch(/<script[^>]+src=|https?:\/\//);
    const check = await runCli(['status', '--check'], { cwd: work.dir });
    expect(check.code).toBe(1);
  });

  it('report merge writes the HTML report from JSON shards', async () => {
    await runCli(['verify', '--no-write', '--shard', '1/2', '--reporter', 'json:m1.json'], { cwd: work.dir, env: env() });
    await runCli(['verify', '--no-write', '--shard', '2/2', '--reporter', 'json:m2.json'], { cwd: work.dir, env: env() });
    const m = await runCli(['report', 'merge', 'm1.json', 'm2.json', '--reporter', 'html:merged.html'], { cwd: work.dir });
    expect(m.code).toBe(1);
    const html = await readFile(path.join(work.dir, 'merged.html'), 'utf8');
    expect(html).toContain('specs/broken.md');
    expect(html).not.toContain(TOKEN);
  });

  it('sandbox serves the seed APIs on the port it prints, until stopped', async () => {
    let status = 0;
    const r = await runCli(['sandbox', '--port', '0', '--print-env'], {
      cwd: work.dir,
      onSpawn: (kill, out) => {
        const t = setInterval(() => {
          const url = /VERIFY_SANDBOX_URL='([^']+)'/.exec(out())?.[1];
          if (!url) return;
          clearInterval(t);
          void fetch(`${url}/whatsapp/api/conversations`)
            .then((res) => (status = res.status))
            .finally(() => kill('SIGTERM'));
        }, 20);
      },
    });
    expect(status).toBe(200);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('schema prints the spec JSON Schema', async () => {
    const r = await runCli(['schema'], { cwd: work.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('$schema');
  });

  it('lint: seeds/000 has no errors; --help and --version work', async () => {
    const lint = await runCli(['lint', path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt')], { cwd: REPO });
    expect(lint.stdout).toMatch(/0 errors/);
    const help = await runCli(['verify', '--help'], { cwd: work.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
    const v = await runCli(['--version'], { cwd: work.dir });
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
