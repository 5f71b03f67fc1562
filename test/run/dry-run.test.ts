import { describe, expect, it } from 'vitest';
import { renderDryRun, type DryRunDeps } from '../../src/run/dry-run-render.js';
import type { Step } from '../../src/specfile/model.js';
import { api, environment, fakeDeps, fakeSpec } from './scheduler-fakes.js';
import { runChain } from '../../src/run/chain/run-chain.js';
import { createRedactor } from '../../src/secret/index.js';
import { chainContext, loadSpec, specText, testApi, testEnvironment, TOKEN } from '../helpers/chain-harness.js';
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
      "curl 'https://host/api2/platform/v1/clients?business_id=biz+001&per_page=1' \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: Bearer ***'",
    );
    expect(entries[1]!.curl).toBe(
      "curl 'https://host/api2/platform/v1/clients/<client_id from get_client>/conversations' \\\n  -H 'Accept: application/json' \\\n  -H 'Authorization: Bearer ***'",
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

  it('the token header keeps its scheme (Bearer ***); a step that writes that header itself is masked whole', async () => {
    const own = fakeSpec('own.md', { tokens: ['staff'] }, [{ id: 'get', path: '/c', headers: { authorization: 'Token {{session}}' } }]);
    const e = environment([api({ baseUrl: 'https://h', vars: { session: 'sess-0123456789' } })]);
    const [bearer] = await renderDryRun({ specs: [seedSpec()], environment: env, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, deps);
    expect(bearer!.curl).toContain("-H 'Authorization: Bearer ***'");
    const [entry] = await renderDryRun({ specs: [own], environment: e, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, { ...deps, createRedactor });
    expect(entry!.curl).toContain("-H 'authorization: ***'");
    expect(entry!.curl).not.toMatch(/Token|Bearer|sess-|tok-123/);
  });

  it('refuses a path without a leading "/" as the run does, instead of rewriting it', async () => {
    const spec = fakeSpec('r.md', {}, [{ id: 'get', path: 'platform/v1/clients', token: 'none' }]);
    const [entry] = await renderDryRun({ specs: [spec], environment: env, env: {} }, deps);
    expect(entry!.curl).toBe('# not sendable (refused): path "platform/v1/clients" must start with "/"');
  });
});

/** The words of a command as a POSIX shell splits them (the quoting toCurl writes: '...', '\\'', line continuations). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      if (command[i + 1] !== '\n') word = (word ?? '') + command[i + 1];
      i++;
    } else if (c === ' ' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** What a curl command sends: method, URL, headers (lower-case names), body. */
function curlRequest(command: string): { method: string; url: URL; headers: Record<string, string>; body?: string } {
  const words = shellWords(command);
  expect(words[0]).toBe('curl');
  let method: string | undefined;
  let url: URL | undefined;
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-X') method = words[++i];
    else if (w === '-H') {
      const h = words[++i]!;
      const colon = h.indexOf(':');
      headers[h.slice(0, colon).toLowerCase()] = h.slice(colon + 1).trim();
    } else if (w === '--data-raw') body = words[++i];
    else if (w === '--head') method = 'HEAD';
    else if (w === '--globoff') continue;
    else url = new URL(w);
  }
  return { method: method ?? (body === undefined ? 'GET' : 'POST'), url: url!, headers, ...(body !== undefined ? { body } : {}) };
}

/** Headers the HTTP stack adds on the way (not part of a step's request). */
const TRANSPORT = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'user-agent', 'accept-encoding', 'accept-language', 'sec-fetch-mode']);

describe('dry-run and the run send one plan', () => {
  const step = [
    '  - id: create',
    '    method: PUT',
    '    path: /things/{{business_id}}/items?fixed=1',
    '    params: { q: "a b&c=d", "filter[x]": "ü/€", n: 2, empty: "" }',
    '    headers: { X-Trace: "t {{business_id}}", X-Api-Key: "{{api_key}}", X-Request-Id: "r-1" }',
    '    body: { name: "x y \'q\'", biz: "{{business_id}}", list: [1, "two", null], nested: { ok: true } }',
  ].join('\n');

  it('the method, URL, query, headers and body the dry-run prints are those the server receives; credentials masked alike', async () => {
    const server = await startTestServer();
    try {
      server.on('PUT', /.*/, { status: 200, body: {} });
      const spec = loadSpec(specText({ test: step }));
      const api = { ...testApi(server), vars: { business_id: 'biz 0/1', api_key: 'key-secret-9431' } };
      const ctx = chainContext(server, { api, environment: testEnvironment(api) });
      const run = await runChain(spec, ctx);
      await ctx.http.close?.();
      const got = server.requests[0]!;
      const [entry] = await renderDryRun({ specs: [spec], environment: ctx.environment, env: ctx.env }, { ...deps, createRedactor, apiForSpec: () => ok(ctx.api) });
      const curl = curlRequest(entry!.curl);
      const sent = new URL(got.rawUrl, server.url);

      expect(curl.method).toBe(got.method);
      expect(curl.url.origin + curl.url.pathname).toBe(sent.origin + sent.pathname);
      expect(curl.url.search).toBe(sent.search);
      expect([...curl.url.searchParams]).toEqual([...sent.searchParams]);
      expect([...sent.searchParams]).toEqual([['fixed', '1'], ['q', 'a b&c=d'], ['filter[x]', 'ü/€'], ['n', '2'], ['empty', '']]);
      expect(curl.body).toBe(got.body);
      expect(JSON.parse(curl.body!)).toEqual({ name: "x y 'q'", biz: 'biz 0/1', list: [1, 'two', null], nested: { ok: true } });

      // Every header the step sends is printed, with its value; the credentials as the run's results show them.
      const stepHeaders = Object.fromEntries(Object.entries(got.headers).filter(([k]) => !TRANSPORT.has(k)));
      expect(Object.keys(curl.headers).sort()).toEqual(Object.keys(stepHeaders).sort());
      expect(got.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(got.headers['x-api-key']).toBe('key-secret-9431');
      expect(curl.headers.authorization).toBe('Bearer ***');
      expect(curl.headers['x-api-key']).toBe('***');
      for (const [k, v] of Object.entries(stepHeaders)) if (k !== 'authorization' && k !== 'x-api-key') expect(curl.headers[k], k).toBe(v);
      const shown = Object.fromEntries(Object.entries(run.steps[0]!.requestHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      expect(shown).toEqual(curl.headers);
      expect(entry!.curl).not.toMatch(/tok-harness|key-secret/);
    } finally {
      await server.close();
    }
  });
});
