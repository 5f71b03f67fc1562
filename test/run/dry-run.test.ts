import { describe, expect, it } from 'vitest';
import { renderDryRun, type DryRunDeps } from '../../src/run/dry-run-render.js';
import type { Step } from '../../src/specfile/model.js';
import { api, environment, fakeDeps, fakeSpec } from './scheduler-fakes.js';
import { runChain } from '../../src/run/chain/run-chain.js';
import { createRedactor } from '../../src/run/redact.js';
import { chainContext, loadSpec, specText, TOKEN } from '../helpers/chain-harness.js';
import { startTestServer } from '../helpers/test-server.js';
import { ok } from '../../src/result/ok.js';

const { deps: fake } = fakeDeps(async () => {
  throw new Error('dry-run must not run a chain');
});
const deps: DryRunDeps = fake;

/** The seed's chain: list clients, extract the id, get its conversations. */
function seedSpec(frontMatter: Record<string, unknown> = {}) {
  const spec = fakeSpec('conversations.md', { tokens: ['staff'], useFallbackApi: true, ...frontMatter }, [
    {
      id: 'get_client',
      path: '/platform/v1/clients',
      params: { business_id: '{{business_id}}', per_page: '1' },
      extract: { client_id: '$.data.clients[0].id' },
    },
    { id: 'get_conversations', path: '/platform/v1/clients/{{client_id}}/conversations' },
  ]);
  spec.doc.steps[0]!.phase = 'prerequisites';
  return spec;
}

const env = environment([api({ baseUrl: 'https://host/apigw', fallbackUrl: 'https://host/api2/', vars: { business_id: 'biz 001' } })]);

describe('dry-run', () => {
  it("renders the seed's chain as curl: fallback gateway, config vars encoded, extracted values as placeholders, token hidden", async () => {
    const entries = await renderDryRun({ specs: [seedSpec()], environment: env, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, deps);
    expect(entries.map((e) => [e.stepId, e.phase, e.line])).toEqual([
      ['get_client', 'prerequisites', 10],
      ['get_conversations', 'test', 11],
    ]);
    expect(entries[0]!.curl).toBe(
      "curl 'https://host/api2/platform/v1/clients?business_id=biz+001&per_page=1' \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: ***'",
    );
    expect(entries[1]!.curl).toBe(
      "curl 'https://host/api2/platform/v1/clients/<client_id from get_client>/conversations' \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: ***'",
    );
    expect(entries.map((e) => e.curl).join('\n')).not.toContain('tok-123');
  });

  it('--fallback never uses the primary; --var wins over config vars', async () => {
    const [first] = await renderDryRun(
      { specs: [seedSpec()], environment: env, env: {}, cliVars: { business_id: '../admin' }, fallback: 'never' },
      deps,
    );
    expect(first!.curl).toContain("'https://host/apigw/platform/v1/clients?business_id=..%2Fadmin&per_page=1'");
  });

  it('a missing token is shown with the variables to set, never as an empty credential', async () => {
    const [first] = await renderDryRun({ specs: [seedSpec()], environment: env, env: {} }, deps);
    expect(first!.curl).toMatch(/^# a run would stop here: no staff token: set VERIFY_TOKEN_STAFF \(nothing was sent\)\ncurl /);
    expect(first!.curl).not.toContain('Authorization');
  });

  it('redacts a token echoed through a template, and secret-looking vars', async () => {
    const spec = fakeSpec('echo.md', { tokens: ['staff'] }, [
      { id: 'post', method: 'POST', path: '/things', headers: { 'X-Api-Key': '{{api_key}}' }, body: { copy: '{{echo}}', n: '{{count}}' } },
    ]);
    const e = environment([api({ baseUrl: 'https://h', vars: { api_key: 'k-1', echo: 'before tok-123 after', count: '5' } })]);
    const [entry] = await renderDryRun({ specs: [spec], environment: e, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, deps);
    expect(entry!.curl).toContain("-H 'X-Api-Key: ***'");
    expect(entry!.curl).toContain(`--data-raw '{"copy":"before *** after","n":"5"}'`);
    expect(entry!.curl).not.toContain('tok-123');
  });

  it('shows the body the run would send: typed "{{x}}", JSON-escaped JSON text', async () => {
    const spec = fakeSpec('typed.md', {}, [
      { id: 'a', method: 'POST', path: '/a', token: 'none', body: { n: '{{count}}', label: 'n={{count}}' } },
      { id: 'b', method: 'POST', path: '/b', token: 'none', body: '{"name": "{{who}}", "n": {{count}}}' },
    ]);
    const e = environment([api({ baseUrl: 'https://h', vars: { count: 5, who: 'Jo "JD"' } })]);
    const [a, b] = await renderDryRun({ specs: [spec], environment: e, env: {} }, deps);
    expect(a!.curl).toContain(`--data-raw '{"n":5,"label":"n=5"}'`);
    expect(b!.curl).toContain(`--data-raw '{"name": "Jo \\"JD\\"", "n": 5}'`);
  });

  it('names where an unknown value would come from: a use, a built-in, or nowhere', async () => {
    const spec = fakeSpec('uses.md', {}, [
      { id: 'u', use: '../clients/list.md' } as Partial<Step>,
      { id: 'get', path: '/c/{{client_id}}', params: { rid: '{{$uuid}}' } },
    ]);
    const plain = fakeSpec('plain.md', {}, [{ id: 'get', path: '/c/{{nothing}}', token: 'none' }]);
    const entries = await renderDryRun({ specs: [spec, plain], environment: env, env: {} }, deps);
    expect(entries.map((e) => e.curl)).toEqual([
      "# use: ../clients/list.md (runs that spec's chain first and imports its variables)",
      "curl 'https://host/apigw/c/<client_id from use ../clients/list.md>?rid=<$uuid>' \\\n  -H 'Accept: application/json'",
      '# not sendable (template): {{nothing}} is not defined (in the path): no earlier step extracts it and the environment does not set it (specs/plain.md:10:3)',
    ]);
  });

  it('a spec with no API is one comment entry, and the others still render', async () => {
    const entries = await renderDryRun({ specs: [fakeSpec('x.md', { api: 'nope' }), seedSpec()], environment: env, env: {} }, deps);
    expect(entries[0]).toMatchObject({ file: 'specs/x.md', curl: '# not runnable: no API named "nope" in environment "test"' });
    expect(entries).toHaveLength(3);
  });

  it('masks values of variables named like session_id, credential, auth, as a run does', async () => {
    const spec = fakeSpec('s.md', {}, [{ id: 'get', path: '/c', params: { a: '{{session_id}}', b: '{{credential}}', c: '{{auth}}' }, token: 'none' }]);
    const cliVars = { session_id: 'sess-abcdef-1', credential: 'cred-abcdef-2', auth: 'auth-abcdef-3' };
    const [entry] = await renderDryRun({ specs: [spec], environment: env, env: {}, cliVars }, deps);
    expect(entry!.curl).toBe("curl 'https://host/apigw/c?a=***&b=***&c=***' \\\n  -H 'Accept: application/json'");
  });

  it('masks a token used in a params: value even when no rendered spec lists its token type', async () => {
    const spec = fakeSpec('p.md', {}, [{ id: 'get', path: '/c', params: { copy: '{{copy}}' }, token: 'none' }]);
    const e = environment([api({ baseUrl: 'https://h', vars: { copy: 'tok 123/x' } })]);
    const [entry] = await renderDryRun({ specs: [spec], environment: e, env: { VERIFY_TOKEN_STAFF: 'tok 123/x' } }, { ...deps, createRedactor });
    expect(entry!.curl).not.toMatch(/tok/);
    expect(entry!.curl).toContain('copy=***');
  });

  it('refuses a path without a leading "/" as the run does, instead of rewriting it', async () => {
    const spec = fakeSpec('r.md', {}, [{ id: 'get', path: 'platform/v1/clients', token: 'none' }]);
    const [entry] = await renderDryRun({ specs: [spec], environment: env, env: {} }, deps);
    expect(entry!.curl).toBe('# not sendable (refused): path "platform/v1/clients" must start with "/"');
  });
});

describe('dry-run and the run send one plan', () => {
  it('the URL, query, headers and body printed are those the server receives', async () => {
    const server = await startTestServer();
    try {
      server.on('POST', /.*/, { status: 200, body: {} });
      const text = specText({
        test: `  - id: create\n    method: POST\n    path: /things/{{business_id}}\n    params: { q: "a b&c", n: 2 }\n    headers: { X-Trace: "t {{business_id}}" }\n    body: { name: "x y", biz: "{{business_id}}", list: [1, "two"] }`,
      });
      const spec = loadSpec(text);
      const ctx = chainContext(server);
      await runChain(spec, ctx);
      await ctx.http.close?.();
      const got = server.requests[0]!;
      const [entry] = await renderDryRun({ specs: [spec], environment: ctx.environment, env: ctx.env }, { ...deps, createRedactor, apiForSpec: () => ok(ctx.api) });
      const curl = entry!.curl;
      // POST is implied by --data-raw.
      expect(got.method).toBe('POST');
      expect(curl).toContain(`curl '${server.url}${got.rawUrl}'`);
      for (const h of ['accept', 'content-type', 'x-trace']) {
        const name = Object.keys({ Accept: 1, 'Content-Type': 1, 'X-Trace': 1 }).find((k) => k.toLowerCase() === h)!;
        expect(curl).toContain(`-H '${name}: ${got.headers[h]}'`);
      }
      expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(curl).toContain("-H 'Authorization: ***'");
      expect(curl).toContain(`--data-raw '${got.body}'`);
      expect(curl).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });
});
