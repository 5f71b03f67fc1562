import { describe, expect, it } from 'vitest';
import { renderDryRun, type DryRunDeps } from '../../src/run/dry-run-render.js';
import type { Step } from '../../src/spec/model.js';
import { api, environment, fakeDeps, fakeSpec } from './scheduler-fakes.js';

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
  it("renders the seed's chain as curl: fallback gateway, config vars encoded, extracted values as placeholders, token hidden", () => {
    const entries = renderDryRun({ specs: [seedSpec()], environment: env, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, deps);
    expect(entries.map((e) => [e.stepId, e.phase, e.line])).toEqual([
      ['get_client', 'prerequisites', 10],
      ['get_conversations', 'test', 11],
    ]);
    expect(entries[0]!.curl).toBe(
      "curl 'https://host/api2/platform/v1/clients?business_id=biz%20001&per_page=1' \\\n  -H 'Authorization: Bearer ***'",
    );
    expect(entries[1]!.curl).toBe(
      "curl 'https://host/api2/platform/v1/clients/<client_id from get_client>/conversations' \\\n  -H 'Authorization: Bearer ***'",
    );
    expect(entries.map((e) => e.curl).join('\n')).not.toContain('tok-123');
  });

  it('--fallback never uses the primary; --var wins over config vars', () => {
    const [first] = renderDryRun(
      { specs: [seedSpec()], environment: env, env: {}, cliVars: { business_id: '../admin' }, fallback: 'never' },
      deps,
    );
    expect(first!.curl).toContain("'https://host/apigw/platform/v1/clients?business_id=..%2Fadmin&per_page=1'");
  });

  it('a missing token is shown with the variables to set, never as an empty credential', () => {
    const [first] = renderDryRun({ specs: [seedSpec()], environment: env, env: {} }, deps);
    expect(first!.curl).toContain("-H 'Authorization: <no token: set VERIFY_TOKEN_STAFF>'");
  });

  it('redacts a token echoed through a template, and secret-looking vars', () => {
    const spec = fakeSpec('echo.md', { tokens: ['staff'] }, [
      { id: 'post', method: 'POST', path: '/things', headers: { 'X-Api-Key': '{{api_key}}' }, body: { copy: '{{echo}}', n: '{{count}}' } },
    ]);
    const e = environment([api({ baseUrl: 'https://h', vars: { api_key: 'k-1', echo: 'before tok-123 after', count: '5' } })]);
    const [entry] = renderDryRun({ specs: [spec], environment: e, env: { VERIFY_TOKEN_STAFF: 'tok-123' } }, deps);
    expect(entry!.curl).toContain("-H 'X-Api-Key: ***'");
    expect(entry!.curl).toContain(`--data-raw '{"copy":"before *** after","n":"5"}'`);
    expect(entry!.curl).not.toContain('tok-123');
  });

  it('shows the body the run would send: typed "{{x}}", JSON-escaped JSON text', () => {
    const spec = fakeSpec('typed.md', {}, [
      { id: 'a', method: 'POST', path: '/a', token: 'none', body: { n: '{{count}}', label: 'n={{count}}' } },
      { id: 'b', method: 'POST', path: '/b', token: 'none', body: '{"name": "{{who}}", "n": {{count}}}' },
    ]);
    const e = environment([api({ baseUrl: 'https://h', vars: { count: 5, who: 'Jo "JD"' } })]);
    const [a, b] = renderDryRun({ specs: [spec], environment: e, env: {} }, deps);
    expect(a!.curl).toContain(`--data-raw '{"n":5,"label":"n=5"}'`);
    expect(b!.curl).toContain(`--data-raw '{"name": "Jo \\"JD\\"", "n": 5}'`);
  });

  it('names where an unknown value would come from: a use, a built-in, or nowhere', () => {
    const spec = fakeSpec('uses.md', {}, [
      { id: 'u', use: '../clients/list.md' } as Partial<Step>,
      { id: 'get', path: '/c/{{client_id}}', params: { rid: '{{$uuid}}' } },
    ]);
    const plain = fakeSpec('plain.md', {}, [{ id: 'get', path: '/c/{{nothing}}', token: 'none' }]);
    const entries = renderDryRun({ specs: [spec, plain], environment: env, env: {} }, deps);
    expect(entries.map((e) => e.curl)).toEqual([
      "# use: ../clients/list.md (runs that spec's chain first and imports its variables)",
      "curl 'https://host/apigw/c/<client_id from use ../clients/list.md>?rid=<$uuid>'",
      "curl 'https://host/apigw/c/<nothing undefined>'",
    ]);
  });

  it('a spec with no API is one comment entry, and the others still render', () => {
    const entries = renderDryRun({ specs: [fakeSpec('x.md', { api: 'nope' }), seedSpec()], environment: env, env: {} }, deps);
    expect(entries[0]).toMatchObject({ file: 'specs/x.md', curl: '# not runnable: no API named "nope" in environment "test"' });
    expect(entries).toHaveLength(3);
  });
});
