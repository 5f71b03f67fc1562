import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiConfig, Environment } from '../../src/config/types.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import type { RunResult } from '../../src/result/result.js';
import { readSpec } from '../../src/specfile/parse.js';

/**
 * The runner end to end (runSpecs: scheduler, HTTP client and chain) against
 * real local servers: the seed's chain through both
 * gateways in each fallback mode, tokens, extraction, path encoding,
 * retries and rate limits, deadlines and size caps.
 */

const TOKEN = 'tok-chain-5d1f0a9b7c';
interface Hit {
  method: string;
  url: string;
  auth?: string;
}
let server: Server;
let other: Server;
let base = '';
let otherBase = '';
const hits: Hit[] = [];
const otherHits: Hit[] = [];
const counters = new Map<string, number>();
let dir: string;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  hits.push({ method: req.method ?? '', url, ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'no token' });
  const [p, q = ''] = url.split('?');
  const gw = p!.startsWith('/apigw') ? 'apigw' : 'api2';
  const rest = p!.replace(/^\/(apigw|api2)/, '');
  const count = (k: string): number => {
    const n = (counters.get(k) ?? 0) + 1;
    counters.set(k, n);
    return n;
  };
  if (rest === '/platform/v1/clients') return json(res, 200, { data: { clients: new URLSearchParams(q).get('empty') ? [] : [{ id: 'cli_001' }] } });
  if (/^\/platform\/v1\/clients\/[^/]+\/conversations$/.test(rest)) {
    return gw === 'apigw' ? json(res, 422, { status: 'Error', error: 'Unauthorized' }) : json(res, 200, { data: { conversations: [] } });
  }
  if (rest === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
  if (rest === '/flaky') return count('flaky') < 3 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true });
  if (rest === '/reset') {
    count(`reset-${req.method}`);
    return void req.socket.destroy();
  }
  if (rest === '/limited') return count('limited') === 1 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '1' }) : json(res, 200, { ok: true });
  if (rest === '/limited-long') return json(res, 429, { error: 'slow down' }, { 'retry-after': '3600' });
  if (rest === '/drip') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":');
    const t = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(t));
    return;
  }
  if (rest === '/huge') {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 32);
    let sent = 0;
    const pump = (): void => {
      while (sent < 50 && res.write(chunk)) sent++;
      if (sent >= 50) res.end();
      else res.once('drain', pump);
    };
    pump();
    return;
  }
  json(res, 200, { path: rest, raw: url });
}

async function listen(s: Server, host: string): Promise<string> {
  await new Promise<void>((r) => s.listen(0, host, r));
  return `http://${host}:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = createServer(handler);
  base = await listen(server, '127.0.0.1');
  other = createServer((req, res) => {
    otherHits.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { auth: req.headers.authorization } : {}) });
    json(res, 200, {});
  });
  otherBase = await listen(other, '127.0.0.1');
  dir = await mkdtemp(path.join(tmpdir(), 'ev-chain-'));
});

afterAll(async () => {
  server.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
  await rm(dir, { recursive: true, force: true });
});

function api(over: Partial<ApiConfig> = {}): ApiConfig {
  return { name: 'platform', baseUrl: `${base}/apigw`, fallbackUrl: `${base}/api2`, auth: { header: 'Authorization', scheme: 'Bearer' }, tokens: { staff: { env: 'STAFF_TOKEN' } }, vars: { business_id: 'biz_001' }, ...over };
}
const environment = (a = api()): Environment => ({ name: 'test', sandbox: false, apis: [a], vars: {} });

async function spec(name: string, opts: { fm?: string; prereq?: string; test: string; cleanup?: string }): Promise<string> {
  const file = path.join(dir, name);
  const block = (s: string): string => `\`\`\`yaml\nsteps:\n${s}\n\`\`\`\n`;
  await writeFile(
    file,
    `---\nendpoint: GET /x\n${opts.fm ?? 'tokens: [staff]\n'}timesReused: 0\n---\n# T\n${opts.prereq ? `## Prerequisites\n${block(opts.prereq)}` : ''}## Test Request\n${block(opts.test)}${opts.cleanup ? `## Cleanup\n${block(opts.cleanup)}` : ''}`,
  );
  return file;
}

async function run(files: string[], extra: Partial<Parameters<typeof runSpecs>[0]> = {}, env: Record<string, string> = { STAFF_TOKEN: TOKEN }): Promise<RunResult> {
  const specs = await Promise.all(files.map((f) => readSpec(f, path.basename(f))));
  for (const s of specs) expect(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runSpecs({ specs, environment: environment(), env, loadSpec: (abs) => readSpec(abs, path.basename(abs)), ...extra });
}

const SEED_PREREQ = `  - id: get_client
    method: GET
    path: /platform/v1/clients
    params: { business_id: "{{business_id}}", per_page: "1" }
    extract: { client_id: "$.data.clients[0].id" }
    expect: { status: [200] }`;
const SEED_TEST = `  - id: get_conversations
    method: GET
    path: /platform/v1/clients/{{client_id}}/conversations
    expect: { status: [200] }`;

describe('the seed chain and gateways', () => {
  it('spec mode: useFallbackApi sends every step to /api2 and verifies; without it /apigw answers 422 and the spec fails', async () => {
    const fb = await spec('seed-fb.md', { fm: 'tokens: [staff]\nuseFallbackApi: true\n', prereq: SEED_PREREQ, test: SEED_TEST });
    const prim = await spec('seed-primary.md', { prereq: SEED_PREREQ, test: SEED_TEST });
    const r = await run([fb, prim]);
    expect(r.specs[0]).toMatchObject({ verdict: 'verified', gateway: 'fallback' });
    expect(r.specs[0]!.steps.every((s) => s.gateway === 'fallback' && s.url.includes('/api2/'))).toBe(true);
    expect(r.specs[1]).toMatchObject({ verdict: 'failing', gateway: 'primary' });
    const failed = r.specs[1]!.steps.find((s) => s.outcome === 'failed')!;
    expect(failed.assertions[0]).toMatchObject({ kind: 'status', expected: [200], actual: 422, passed: false });
    expect(failed.responseSnippet).toContain('Unauthorized');
  });

  it('auto mode retries a failing spec on the fallback and records both attempts; never mode ignores the key', async () => {
    const prim = await spec('seed-auto.md', { prereq: SEED_PREREQ, test: SEED_TEST });
    const auto = await run([prim], { fallback: 'auto' });
    expect(auto.specs[0]).toMatchObject({ verdict: 'verified', gateway: 'fallback' });
    expect(auto.specs[0]!.gatewayAttempts?.map((a) => [a.gateway, a.verdict])).toEqual([
      ['primary', 'failing'],
      ['fallback', 'verified'],
    ]);
    const fb = await spec('seed-never.md', { fm: 'tokens: [staff]\nuseFallbackApi: true\n', prereq: SEED_PREREQ, test: SEED_TEST });
    const never = await run([fb], { fallback: 'never' });
    expect(never.specs[0]).toMatchObject({ verdict: 'failing', gateway: 'primary' });
  });

  it('auto mode writes useFallbackApi: true back when the fallback verified', async () => {
    const prim = await spec('seed-auto-write.md', { prereq: SEED_PREREQ, test: SEED_TEST });
    const r = await run([prim], { fallback: 'auto', write: { roots: [dir] } });
    expect(r.specs[0]?.writeBack?.outcome).toBe('written');
    const text = await readFile(prim, 'utf8');
    expect(text).toMatch(/^useFallbackApi: true$/m);
    expect(text).toMatch(/^status: verified$/m);
  });

  it('a failing prerequisite blocks the spec and says which; Cleanup still runs', async () => {
    const f = await spec('blocked.md', {
      prereq: SEED_PREREQ.replace('per_page: "1"', 'per_page: "1", empty: "1"'),
      test: SEED_TEST,
      cleanup: '  - id: tidy\n    method: DELETE\n    path: /tidy\n    expect: { status: [500] }',
    });
    const before = hits.length;
    const r = await run([f]);
    expect(r.specs[0]!.verdict).toBe('blocked');
    expect(r.specs[0]!.reason).toMatch(/prerequisite get_client failed: no match for \$\.data\.clients\[0\]\.id/);
    expect(r.specs[0]!.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['get_client', 'failed'],
      ['get_conversations', 'skipped'],
      ['tidy', 'failed'],
    ]);
    expect(hits.slice(before).map((h) => h.method)).toEqual(['GET', 'DELETE']);
  });
});

describe('tokens and secrets', () => {
  it('a missing or empty token fails before anything is sent, naming the variable', async () => {
    const f = await spec('no-token.md', { test: SEED_TEST.replace('{{client_id}}', 'cli_1') });
    for (const env of [{}, { STAFF_TOKEN: "" }] as Record<string, string>[]) {
      const before = hits.length;
      const r = await run([f], {}, env);
      expect(r.specs[0]!.verdict).toBe('error');
      expect(r.specs[0]!.steps[0]!.error).toMatchObject({ code: 'token' });
      expect(r.specs[0]!.steps[0]!.error!.message).toMatch(/STAFF_TOKEN.*VERIFY_TOKEN_STAFF/);
      expect(hits.length).toBe(before);
    }
  });

  it('an absolute URL or //host path is refused: the token never reaches another host', async () => {
    for (const p of [`${otherBase}/steal`, `//127.0.0.1:${new URL(otherBase).port}/steal`]) {
      const f = await spec(`abs-${otherHits.length}.md`, { test: `  - id: steal\n    method: GET\n    path: "${p}"` });
      const specs = [await readSpec(f, 'abs.md')];
      const r = await runSpecs({ specs, environment: environment(), env: { STAFF_TOKEN: TOKEN }, loadSpec: (abs) => readSpec(abs, abs) });
      expect(r.specs[0]!.steps[0]!.error?.code).toBe('refused');
    }
    expect(otherHits).toEqual([]);
  });

  it('an extracted value that arrives as ../admin is sent as one encoded segment', async () => {
    const f = await spec('traversal.md', {
      test: `  - id: echo
    method: GET
    path: /echo/{{id}}/tail`,
    });
    const specs = [await readSpec(f, 'traversal.md')];
    const r = await runSpecs({ specs, environment: environment(), env: { STAFF_TOKEN: TOKEN }, cliVars: { id: '../admin' }, loadSpec: (abs) => readSpec(abs, abs) });
    expect(r.specs[0]!.verdict).toBe('verified');
    expect(hits.at(-1)!.url).toBe('/apigw/echo/..%2Fadmin/tail');
    for (const bad of ['..', 'a\r\nb']) {
      const rr = await runSpecs({ specs, environment: environment(), env: { STAFF_TOKEN: TOKEN }, cliVars: { id: bad }, loadSpec: (abs) => readSpec(abs, abs) });
      expect(rr.specs[0]!.steps[0]!.error?.code).toBe('template');
    }
  });

  it('an undefined variable fails before any request, naming it and its line', async () => {
    const f = await spec('undef.md', { test: '  - id: u\n    method: GET\n    path: /echo/{{nope}}' });
    const before = hits.length;
    const r = await run([f]);
    expect(r.specs[0]!.steps[0]!.error?.message).toMatch(/\{\{nope\}\} is not defined.*undef\.md:\d+:\d+/);
    expect(hits.length).toBe(before);
  });

  it('a token the server echoes back is redacted in the result', async () => {
    const f = await spec('echo.md', { test: '  - id: e\n    method: GET\n    path: /echo\n    extract: { session_token: "$.raw" }' });
    const r = await run([f]);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
    expect(r.specs[0]!.steps[0]!.extracted.session_token).toBe('***');
  });
});

describe('HTTP behaviour through the chain', () => {
  it('HTML where JSON is needed says so', async () => {
    const f = await spec('html.md', { test: '  - id: h\n    method: GET\n    path: /html\n    extract: { x: "$.a" }' });
    const r = await run([f]);
    expect(r.specs[0]!.steps[0]!.assertions.find((a) => !a.passed)?.message).toMatch(/expected JSON, got text\/html/);
  });

  it('GET is retried on 503; POST is never replayed after a reset', async () => {
    const g = await spec('flaky.md', { test: '  - id: f\n    method: GET\n    path: /flaky\n    retry: { attempts: 3, backoffMs: 10 }' });
    const r = await run([g]);
    expect(r.specs[0]!.verdict).toBe('verified');
    expect(r.specs[0]!.steps[0]!.attempts).toBe(3);
    const p = await spec('reset.md', { test: '  - id: p\n    method: POST\n    path: /reset\n    body: { a: 1 }\n    retry: 3' });
    const rp = await run([p]);
    expect(rp.specs[0]!.steps[0]!.error?.code).toBe('network');
    expect(counters.get('reset-POST')).toBe(1);
  });

  it('429 with Retry-After is waited for; longer than --max-wait fails as rate-limited at once', async () => {
    const a = await spec('limited.md', { test: '  - id: l\n    method: GET\n    path: /limited' });
    expect((await run([a])).specs[0]!.verdict).toBe('verified');
    const b = await spec('limited-long.md', { test: '  - id: l\n    method: GET\n    path: /limited-long' });
    const before = hits.length;
    const r = await run([b], { maxWaitMs: 2000 });
    expect(r.specs[0]!.steps[0]!.error?.code).toBe('rate-limited');
    expect(hits.length - before).toBe(1);
  });

  it('a slow-drip body is stopped by the deadline and a 50 MB body by the size cap', async () => {
    const d = await spec('drip.md', { test: '  - id: d\n    method: GET\n    path: /drip\n    timeoutMs: 500' });
    expect((await run([d])).specs[0]!.steps[0]!.error?.code).toBe('timeout');
    const h = await spec('huge.md', { test: '  - id: h\n    method: GET\n    path: /huge' });
    const r = await run([h]);
    expect(r.specs[0]!.steps[0]!.error?.code).toBe('too-large');
  });
});
