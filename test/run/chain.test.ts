import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runChain, type ChainContext, type ChainResult } from '../../src/run/chain/run-chain.js';
import type { ConformanceInput } from '../../src/openapi/types.js';
import type { LoadedSpec } from '../../src/specfile/parse.js';
import type { StepResult } from '../../src/result/result.js';
import { chainContext, loadSpec, specText, testApi, testEnvironment, TOKEN } from '../helpers/chain-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** runChain against a real local server: verdicts, gateways, variables, tokens and secrets. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function run(spec: LoadedSpec, over: Partial<ChainContext> = {}): Promise<ChainResult> {
  const ctx = chainContext(server, over);
  try {
    return await runChain(spec, ctx);
  } finally {
    await ctx.http.close();
  }
}

const outcomes = (r: ChainResult): [string, string][] => r.steps.map((s) => [s.id, s.outcome]);

const SEED_PREREQ = `  - id: get_client
    description: "Fetch a client with conversations"
    method: GET
    path: "/platform/v1/clients"
    params:
      business_id: "{{business_id}}"
      per_page: "1"
    extract:
      client_id: "$.data.clients[0].id"
    expect:
      status: [200]
    onFail: abort`;
const SEED_TEST = `  - id: get_conversations
    description: "Get conversations for the client"
    method: GET
    path: "/platform/v1/clients/{{client_id}}/conversations"
    expect:
      status: [200]`;

function seedRoutes(): void {
  for (const gw of ['apigw', 'api2']) server.on('GET', `/${gw}/platform/v1/clients`, { body: { data: { clients: [{ id: 'cli_001' }] } } });
  server.on('GET', '/apigw/platform/v1/clients/cli_001/conversations', { status: 422, body: { status: 'Error', error: 'Unauthorized' } });
  server.on('GET', '/api2/platform/v1/clients/cli_001/conversations', { body: { data: { conversations: [] } } });
}

describe('the seed chain', () => {
  const seed = loadSpec(specText({ fm: 'tokens: [staff]\nuseFallbackApi: true\n', prereq: SEED_PREREQ, test: SEED_TEST }), 'seed.md');

  it('through /apigw: the 422 makes the spec failing, with the status in the reason', async () => {
    seedRoutes();
    const r = await run(seed, { gateway: 'primary' });
    expect(r.verdict).toBe('failing');
    expect(r.reason).toBe('get_conversations failed: status 422, expected 200');
    expect(outcomes(r)).toEqual([
      ['get_client', 'passed'],
      ['get_conversations', 'failed'],
    ]);
    const failed = r.steps[1]!;
    expect(failed).toMatchObject({ gateway: 'primary', status: 422, tokenType: 'staff', attempts: 1, responseContentType: 'application/json' });
    expect(failed.assertions[0]).toMatchObject({ kind: 'status', op: 'in', expected: [200], actual: 422, passed: false });
    expect(failed.responseSnippet).toBe('{"status":"Error","error":"Unauthorized"}');
    expect(server.requests.map((q) => q.rawUrl)).toEqual(['/apigw/platform/v1/clients?business_id=biz_001&per_page=1', '/apigw/platform/v1/clients/cli_001/conversations']);
  });

  it('passedSnippets: false keeps the snippet of the failed step only', async () => {
    seedRoutes();
    const all = await run(seed, { gateway: 'primary' });
    expect(all.steps.map((s) => s.responseSnippet)).toEqual(['{"data":{"clients":[{"id":"cli_001"}]}}', '{"status":"Error","error":"Unauthorized"}']);
    const failuresOnly = await run(seed, { gateway: 'primary', passedSnippets: false });
    expect(failuresOnly.verdict).toBe('failing');
    expect(failuresOnly.steps.map((s) => s.responseSnippet)).toEqual([undefined, '{"status":"Error","error":"Unauthorized"}']);
  });

  it('through /api2: verified, every step on the fallback, with the token sent and hidden', async () => {
    seedRoutes();
    const seen: StepResult[] = [];
    const r = await run(seed, { gateway: 'fallback', onStep: (s) => seen.push(s) });
    expect(r.verdict).toBe('verified');
    expect(r.reason).toBeUndefined();
    expect(r.tokenType).toBe('staff');
    expect(r.vars.client_id).toBe('cli_001');
    expect(seen.map((s) => s.id)).toEqual(['get_client', 'get_conversations']);
    const [first, second] = r.steps;
    expect(first).toMatchObject({
      phase: 'prerequisites',
      description: 'Fetch a client with conversations',
      method: 'GET',
      url: `${server.url}/api2/platform/v1/clients?business_id=biz_001&per_page=1`,
      gateway: 'fallback',
      status: 200,
      extracted: { client_id: 'cli_001' },
      requestHeaders: { Accept: 'application/json', Authorization: 'Bearer ***' },
    });
    expect(first!.assertions.map((a) => [a.kind, a.passed])).toEqual([
      ['status', true],
      ['extract', true],
    ]);
    expect(first!.span).toMatchObject({ file: 'seed.md' });
    expect(second).toMatchObject({ phase: 'test', gateway: 'fallback', url: `${server.url}/api2/platform/v1/clients/cli_001/conversations` });
    expect(server.requests.every((q) => q.headers.authorization === `Bearer ${TOKEN}` && q.headers.accept === 'application/json')).toBe(true);
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it('an extraction with no match blocks the spec, saying what came back', async () => {
    server.on('GET', '/apigw/platform/v1/clients', { body: { data: { clients: [] } } });
    const r = await run(seed);
    expect(r.verdict).toBe('blocked');
    expect(r.reason).toBe('prerequisite get_client failed: no match for $.data.clients[0].id in {"data":{"clients":[]}}');
    expect(r.steps[1]).toMatchObject({ outcome: 'skipped', skipReason: 'an earlier step (get_client) failed', attempts: 0 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('verdicts, onFail and cleanup', () => {
  const step = (id: string, p: string, extra = ''): string => `  - id: ${id}\n    method: GET\n    path: ${p}${extra}`;

  it('a failing prerequisite blocks the spec and names it; Cleanup still runs', async () => {
    server.on('GET', '/apigw/client', { status: 500, body: { error: 'boom' } });
    server.on('GET', '/apigw/ok', { body: {} });
    const spec = loadSpec(specText({ prereq: step('get_client', '/client'), test: step('t', '/ok'), cleanup: step('tidy', '/ok') }));
    const r = await run(spec);
    expect(r.verdict).toBe('blocked');
    expect(r.reason).toBe('prerequisite get_client failed: status 500, expected 2xx');
    expect(outcomes(r)).toEqual([
      ['get_client', 'failed'],
      ['t', 'skipped'],
      ['tidy', 'passed'],
    ]);
    expect(server.requests.map((q) => q.path)).toEqual(['/apigw/client', '/apigw/ok']);
  });

  it('onFail: abort (the default) skips the rest; continue goes on; the first failure is the reason', async () => {
    server.on('GET', '/apigw/bad', { status: 404, body: {} });
    server.on('GET', '/apigw/ok', { body: {} });
    const aborting = await run(loadSpec(specText({ test: `${step('a', '/bad')}\n${step('b', '/ok')}` })));
    expect(outcomes(aborting)).toEqual([
      ['a', 'failed'],
      ['b', 'skipped'],
    ]);
    server.reset();
    server.on('GET', '/apigw/bad', { status: 404, body: {} });
    server.on('GET', '/apigw/ok', { body: {} });
    const continuing = await run(loadSpec(specText({ test: `${step('a', '/bad', '\n    onFail: continue')}\n${step('b', '/ok')}` })));
    expect(continuing.verdict).toBe('failing');
    expect(continuing.reason).toBe('a failed: status 404, expected 2xx');
    expect(outcomes(continuing)).toEqual([
      ['a', 'failed'],
      ['b', 'passed'],
    ]);
    expect(server.requests.map((q) => q.path)).toEqual(['/apigw/bad', '/apigw/ok']);
  });

  it('a failing Cleanup is recorded and does not change the verdict', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    server.on('DELETE', '/apigw/thing', { status: 500, body: { error: 'cannot delete' } });
    const r = await run(loadSpec(specText({ test: step('t', '/ok'), cleanup: '  - id: tidy\n    method: DELETE\n    path: /thing\n  - id: tidy2\n    method: GET\n    path: /ok' })));
    expect(r.verdict).toBe('verified');
    expect(outcomes(r)).toEqual([
      ['t', 'passed'],
      ['tidy', 'failed'],
      ['tidy2', 'passed'],
    ]);
    expect(r.steps[1]!.assertions[0]).toMatchObject({ actual: 500, passed: false });
  });

  it('a spec without Test Request steps is invalid (a broken spec, not a wrong doc)', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    const r = await run(loadSpec(specText({ prereq: step('p', '/ok') })));
    expect(r).toMatchObject({ verdict: 'invalid', reason: 'no Test Request steps' });
  });

  it('a network error fails the step with its code, not as an assertion, and the verdict is error', async () => {
    const dead = await startTestServer();
    const api = testApi(dead);
    await dead.close();
    const r = await run(loadSpec(specText({ test: step('t', '/ok') })), { api, environment: testEnvironment(api) });
    expect(r.verdict).toBe('error');
    expect(r.steps[0]!.error?.code).toBe('network');
    expect(r.steps[0]!.assertions).toEqual([]);
  });

  it('an aborted signal skips the remaining steps as interrupted', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    const controller = new AbortController();
    const spec = loadSpec(specText({ test: `${step('a', '/ok')}\n${step('b', '/ok')}`, cleanup: step('c', '/ok') }));
    const r = await run(spec, { signal: controller.signal, onStep: () => controller.abort() });
    expect(outcomes(r)).toEqual([
      ['a', 'passed'],
      ['b', 'skipped'],
      ['c', 'skipped'],
    ]);
    expect(r.steps[1]!.error?.code).toBe('interrupted');
    expect(r.verdict).toBe('skipped');
    expect(server.requests).toHaveLength(1);
  });
});

describe('variables and use:', () => {
  it('environment < API < extracted < --var; built-ins come from ctx.now', async () => {
    server.on('GET', '/apigw/extract', { body: { c: 'from-extract', d: 'from-extract' } });
    server.on('GET', '/apigw/echo', { body: {} });
    const spec = loadSpec(
      specText({
        prereq: '  - id: x\n    method: GET\n    path: /extract\n    extract: { c: "$.c", d: "$.d" }',
        test: '  - id: e\n    method: GET\n    path: /echo\n    params: { a: "{{a}}", b: "{{b}}", c: "{{c}}", d: "{{d}}", t: "{{$timestamp}}", iso: "{{$isoTimestamp}}" }',
      }),
    );
    const api = testApi(server, { vars: { b: 'from-api', c: 'from-api' } });
    const environment = testEnvironment(api, { a: 'from-env', b: 'from-env', c: 'from-env' });
    const r = await run(spec, { api, environment, cliVars: { d: 'from-cli' }, now: () => new Date('2026-02-04T08:30:00Z') });
    expect(r.verdict).toBe('verified');
    expect(server.requests[1]!.query).toEqual({ a: 'from-env', b: 'from-api', c: 'from-extract', d: 'from-cli', t: '1770193800', iso: '2026-02-04T08:30:00.000Z' });
  });

  it('a use: step imports the used spec\'s variables (path resolved from the spec file); a failed use blocks', async () => {
    server.on('GET', '/apigw/clients/cli_7', { body: {} });
    const spec = loadSpec(specText({ prereq: '  - use: ../clients/list.md\n    id: list', test: '  - id: t\n    method: GET\n    path: /clients/{{client_id}}' }), 'conv/get.md');
    const asked: string[] = [];
    const r = await run(spec, {
      runUse: async (abs) => {
        asked.push(abs);
        return { ok: true, vars: { client_id: 'cli_7', api_key: 'key-secret-998877' } };
      },
    });
    expect(asked).toEqual(['/specs/clients/list.md']);
    expect(r.verdict).toBe('verified');
    expect(r.steps[0]).toMatchObject({ method: 'USE', outcome: 'passed', extracted: { client_id: 'cli_7', api_key: '***' } });
    const failed = await run(spec, { runUse: async () => ({ ok: false, reason: 'use cycle: a.md -> b.md -> a.md' }) });
    expect(failed.verdict).toBe('blocked');
    expect(failed.steps[0]!.error).toEqual({ code: 'use', message: 'use cycle: a.md -> b.md -> a.md' });
    expect(failed.reason).toBe('prerequisite list failed: use cycle: a.md -> b.md -> a.md');
  });
});

describe('tokens', () => {
  const test = '  - id: t\n    method: GET\n    path: /ok';

  it('a missing or empty token fails before sending, naming the variables tried', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    for (const env of [{}, { STAFF_TOKEN: '' }, { STAFF_TOKEN: '  ' }]) {
      const r = await run(loadSpec(specText({ test })), { env });
      expect(r.verdict).toBe('error');
      expect(r.steps[0]!.error).toEqual({ code: 'token', message: 'no staff token: set STAFF_TOKEN or VERIFY_TOKEN_STAFF (nothing was sent)' });
      expect(r.steps[0]!.attempts).toBe(0);
    }
    expect(server.requests).toEqual([]);
  });

  it('the first listed type that has a value is sent; a step may pick another or none; the matrix forces one', async () => {
    server.on('GET', /^\/apigw\//, { body: {} });
    const api = testApi(server, { tokens: { staff: { env: 'STAFF_TOKEN' }, app: { env: 'APP_TOKEN' } } });
    const spec = loadSpec(specText({ fm: 'tokens: [app, staff]\n', test: `${test}\n  - id: anon\n    method: GET\n    path: /public\n    token: none\n  - id: s\n    method: GET\n    path: /s\n    token: staff` }));
    const r = await run(spec, { api, environment: testEnvironment(api), env: { STAFF_TOKEN: TOKEN } });
    expect(r.tokenType).toBe('staff');
    expect(r.steps.map((s) => s.tokenType)).toEqual(['staff', undefined, 'staff']);
    expect(server.requests.map((q) => q.headers.authorization)).toEqual([`Bearer ${TOKEN}`, undefined, `Bearer ${TOKEN}`]);
    server.reset();
    server.on('GET', /^\/apigw\//, { body: {} });
    const forced = await run(spec, { api, environment: testEnvironment(api), env: { STAFF_TOKEN: TOKEN, APP_TOKEN: 'app-token-123456' }, forceTokenType: 'staff' });
    expect(forced.steps.map((s) => s.tokenType)).toEqual(['staff', undefined, 'staff']);
    const normal = await run(spec, { api, environment: testEnvironment(api), env: { STAFF_TOKEN: TOKEN, APP_TOKEN: 'app-token-123456' } });
    expect(normal.steps.map((s) => s.tokenType)).toEqual(['app', undefined, 'staff']);
  });

  it('a spec without tokens sends the API\'s first configured token that has a value, or nothing', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    const spec = loadSpec(specText({ fm: '', test }));
    expect((await run(spec)).steps[0]!.tokenType).toBe('staff');
    expect((await run(spec, { env: {} })).verdict).toBe('verified');
    expect(server.requests.map((q) => q.headers.authorization)).toEqual([`Bearer ${TOKEN}`, undefined]);
  });

  it('Basic and raw (X-API-Key) schemes; the header value is redacted in the result', async () => {
    server.on('GET', '/apigw/ok', { body: {} });
    const spec = loadSpec(specText({ test }));
    const basic = testApi(server, { auth: { header: 'Authorization', scheme: 'Basic' } });
    const rb = await run(spec, { api: basic, environment: testEnvironment(basic), env: { STAFF_TOKEN: 'ada:correct-horse' } });
    const raw = testApi(server, { auth: { header: 'X-API-Key', scheme: '' } });
    const rr = await run(spec, { api: raw, environment: testEnvironment(raw) });
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ada:correct-horse').toString('base64')}`);
    expect(server.requests[1]!.headers['x-api-key']).toBe(TOKEN);
    expect(rb.steps[0]!.requestHeaders).toMatchObject({ Authorization: 'Basic ***' });
    expect(rr.steps[0]!.requestHeaders).toMatchObject({ 'X-API-Key': '***' });
    expect(JSON.stringify([rb, rr])).not.toMatch(/correct-horse|YWRhOmNvcnJlY3QtaG9yc2U|tok-harness/);
  });

  it('a token is only sent to the gateway: absolute URL and //host paths are refused before sending', async () => {
    const host = new URL(server.url).host;
    for (const p of [`${server.url}/steal`, `//${host}/steal`, 'steal', 'HTTP://evil.example/x']) {
      const r = await run(loadSpec(specText({ test: `  - id: t\n    method: GET\n    path: "${p}"` })));
      expect(r.steps[0]!.error?.code).toBe('refused');
      expect(r.verdict).toBe('invalid');
    }
    expect(server.requests).toEqual([]);
  });
});

describe('secrets in results', () => {
  it('an extracted value with a secret-looking name is *** everywhere, even when echoed later', async () => {
    const secret = 'sess-canary-4e5f6a7b8c';
    server.on('POST', '/apigw/login', { body: { session_token: secret } });
    server.on('GET', /^\/apigw\/me\//, (req) => ({ status: 500, body: { error: `bad session ${req.headers['x-session-token'] ?? ''}` } }));
    const spec = loadSpec(
      specText({
        prereq: '  - id: login\n    method: POST\n    path: /login\n    body: { user: ada }\n    extract: { session_token: "$.session_token" }',
        test: '  - id: me\n    method: GET\n    path: /me/{{session_token}}\n    headers: { X-Session-Token: "{{session_token}}" }',
      }),
    );
    const r = await run(spec);
    expect(server.requests[1]!.headers['x-session-token']).toBe(secret);
    expect(r.steps[0]!.extracted).toEqual({ session_token: '***' });
    expect(r.steps[1]!.url).toBe(`${server.url}/apigw/me/***`);
    expect(r.steps[1]!.requestHeaders).toMatchObject({ 'X-Session-Token': '***' });
    expect(r.steps[1]!.responseSnippet).toBe('{"error":"bad session ***"}');
    expect(JSON.stringify(r.steps)).not.toContain(secret);
    expect(r.reason).not.toContain(secret);
  });
});

describe('OpenAPI conformance', () => {
  it('findings are warnings in warn mode and fail the step in error mode', async () => {
    server.on('GET', '/apigw/items/7', { body: { id: 7 } });
    const inputs: ConformanceInput[] = [];
    const checker = {
      check: async (input: ConformanceInput) => {
        inputs.push(input);
        return [{ stepId: input.stepId, aspect: 'status' as const, documented: '200', actual: `${input.status} ${TOKEN}`, severity: 'warning' as const }];
      },
    };
    const spec = loadSpec(specText({ fm: 'tokens: [staff]\nswagger: ../api.json\n', test: '  - id: item\n    method: GET\n    path: /items/{{id}}\n    params: { q: "1" }' }));
    const warn = await run(spec, { cliVars: { id: '7' }, conformance: { mode: 'warn', checker } });
    expect(warn.verdict).toBe('verified');
    expect(warn.findings).toEqual([{ stepId: 'item', aspect: 'status', documented: '200', actual: '200 ***', severity: 'warning' }]);
    expect(inputs[0]).toMatchObject({ swagger: '../api.json', stepId: 'item', method: 'GET', pathTemplate: '/items/{{id}}', path: '/items/7', query: { q: '1' }, status: 200, body: { id: 7 } });
    const error = await run(spec, { cliVars: { id: '7' }, conformance: { mode: 'error', checker } });
    expect(error.verdict).toBe('failing');
    expect(error.findings[0]!.severity).toBe('error');
    expect(error.steps[0]!.assertions.at(-1)).toMatchObject({ kind: 'conformance', passed: false });
    const off = await run(spec, { cliVars: { id: '7' }, conformance: { mode: 'off', checker } });
    expect(off.findings).toEqual([]);
    expect(inputs).toHaveLength(2);
  });
});
