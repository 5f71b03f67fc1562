import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type RawConfig } from '../../src/config/load.js';
import { overridesFromEnv, resolveEnvironment } from '../../src/config/resolve.js';

const CONFIG = `default: local
vars: { region: eu, tier: free }
apis:
  items:
    specs: specs/items
    auth: { header: Authorization, scheme: Bearer }
    tokens:
      staff: { env: ITEMS_STAFF }
      Admin: ITEMS_ADMIN
    vars: { business_id: biz_shared, page_size: 25 }
  keys:
    specs: \${KEYS_DIR:-specs/keys}
    auth: { header: X-API-Key, scheme: "" }
environments:
  local:
    vars: { tier: pro }
    apis:
      items:
        baseUrl: \${ITEMS_URL}/gw/
        fallbackUrl: \${ITEMS_URL:-http://127.0.0.1:9}/fb
        tokens:
          staff: { auth: { scheme: Token } }
        vars: { business_id: "\${BIZ:-biz_001}" }
      keys:
        baseUrl: http://127.0.0.1:1/keys
  staging:
    apis:
      items:
        baseUrl: \${STAGING_ITEMS_URL}
      keys:
        baseUrl: \${STAGING_KEYS_URL}
  partial:
    apis:
      items:
        baseUrl: https://items.example.com
        fallbackUrl: \${OPTIONAL_FB:-}
  broken:
    apis:
      items:
        baseUrl: ftp://items.example.com
      keys:
        baseUrl: https://user:pw@keys.example.com
`;

/** 1-based line of the first line containing `text` (after `after`, if given). */
function lineOf(text: string, after?: string): number {
  const lines = CONFIG.split('\n');
  const from = after ? lines.findIndex((l) => l.includes(after)) : 0;
  return lines.findIndex((l, i) => i >= from && l.includes(text)) + 1;
}

let dir: string;
const raws = new Map<string, RawConfig>();
async function raw(envName = 'local'): Promise<RawConfig> {
  const cached = raws.get(envName);
  if (cached) return cached;
  const r = await loadConfig({ cwd: dir, env: {}, envName });
  expect(r.diagnostics).toEqual([]);
  raws.set(envName, r);
  return r;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-resolve-'));
  await writeFile(path.join(dir, 'verify.config.yaml'), CONFIG);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveEnvironment', () => {
  it('merges the environment over the shared API settings and expands ${VAR}s', async () => {
    const { environment, diagnostics } = resolveEnvironment(await raw(), { env: { ITEMS_URL: 'http://127.0.0.1:7' }, overrides: {} });
    expect(diagnostics).toEqual([]);
    const [items, keys] = environment!.apis;
    expect(items).toEqual({
      name: 'items',
      baseUrl: 'http://127.0.0.1:7/gw',
      fallbackUrl: 'http://127.0.0.1:7/fb',
      auth: { header: 'Authorization', scheme: 'Bearer' },
      tokens: { staff: { env: 'ITEMS_STAFF', auth: { header: 'Authorization', scheme: 'Token' } }, admin: { env: 'ITEMS_ADMIN' } },
      vars: { business_id: 'biz_001', page_size: 25 },
      specsDir: path.join(dir, 'specs/items'),
    });
    expect(keys).toMatchObject({ baseUrl: 'http://127.0.0.1:1/keys', auth: { header: 'X-API-Key', scheme: '' }, specsDir: path.join(dir, 'specs/keys') });
    expect(keys!.fallbackUrl).toBeUndefined();
    expect(environment).toMatchObject({ name: 'local', sandbox: false, vars: { region: 'eu', tier: 'pro' } });
  });

  it('an unset variable in a baseUrl names it, its config line and what to do', async () => {
    const { environment, diagnostics } = resolveEnvironment(await raw('staging'), { env: {}, overrides: {} });
    expect(environment).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.span?.line, d.span?.col])).toEqual([
      ['config-unset-var', 'error', lineOf('${STAGING_ITEMS_URL}'), 18],
      ['config-unset-var', 'error', lineOf('${STAGING_KEYS_URL}'), 18],
    ]);
    expect(diagnostics[0]!.message).toBe(`environments.staging.apis.items.baseUrl uses \${STAGING_ITEMS_URL}, which is not set (verify.config.yaml:${lineOf('${STAGING_ITEMS_URL}')})`);
    expect(diagnostics[0]!.hint).toMatch(/^export STAGING_ITEMS_URL=… .*--base-url/);
  });

  it('keeps the APIs that resolve and marks the others unavailable, with the reason', async () => {
    const { environment, diagnostics } = resolveEnvironment(await raw('staging'), { env: { STAGING_ITEMS_URL: 'https://items.example.com/' }, overrides: {} });
    expect(environment!.apis.map((a) => [a.name, a.baseUrl])).toEqual([['items', 'https://items.example.com']]);
    expect(environment!.unavailable).toEqual([
      { name: 'keys', specsDir: path.join(dir, 'specs/keys'), reason: expect.objectContaining({ code: 'config-unset-var', severity: 'error', span: expect.objectContaining({ line: lineOf('${STAGING_KEYS_URL}') }) }) },
    ]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'config-unset-var', severity: 'warning' })]);
  });

  it('an empty optional fallback means no fallback; an API missing from the environment is unavailable', async () => {
    const { environment } = resolveEnvironment(await raw('partial'), { env: {}, overrides: {} });
    expect(environment!.apis.map((a) => a.name)).toEqual(['items']);
    expect(environment!.apis[0]!.fallbackUrl).toBeUndefined();
    expect(environment!.unavailable?.[0]?.reason).toMatchObject({ code: 'config-no-base-url' });
    expect(environment!.unavailable?.[0]?.reason.message).toMatch(/API "keys" has no baseUrl in environment "partial"/);
  });

  it('refuses gateways that are not plain http(s) URLs', async () => {
    const { diagnostics } = resolveEnvironment(await raw('broken'), { env: {}, overrides: {} });
    expect(diagnostics.map((d) => [d.code, d.span?.line])).toEqual([
      ['config-bad-url', lineOf('ftp://')],
      ['config-bad-url', lineOf('user:pw@')],
    ]);
    expect(diagnostics[1]!.message).toMatch(/credentials/);
    expect(diagnostics[1]!.message).not.toContain('pw@');
  });
});

describe('overrides', () => {
  it('--base-url replaces every gateway (and drops config fallbacks); --fallback-url sets every fallback', async () => {
    const r = await raw('staging');
    const base = resolveEnvironment(r, { env: {}, overrides: { baseUrl: 'http://127.0.0.1:3/x/' } });
    expect(base.diagnostics).toEqual([]);
    expect(base.environment!.apis.map((a) => [a.baseUrl, a.fallbackUrl])).toEqual([
      ['http://127.0.0.1:3/x', undefined],
      ['http://127.0.0.1:3/x', undefined],
    ]);
    const both = resolveEnvironment(await raw(), { env: { ITEMS_URL: 'http://127.0.0.1:7' }, overrides: { fallbackUrl: 'http://127.0.0.1:4' } });
    expect(both.environment!.apis.map((a) => [a.baseUrl, a.fallbackUrl])).toEqual([
      ['http://127.0.0.1:7/gw', 'http://127.0.0.1:4'],
      ['http://127.0.0.1:1/keys', 'http://127.0.0.1:4'],
    ]);
  });

  it('override vars win over top-level, environment and API vars', async () => {
    const { environment } = resolveEnvironment(await raw(), {
      env: { ITEMS_URL: 'http://127.0.0.1:7', BIZ: 'biz_env' },
      overrides: { vars: { business_id: 'biz_cli', tier: 'cli' } },
    });
    expect(environment!.apis[0]!.vars).toEqual({ business_id: 'biz_cli', page_size: 25, tier: 'cli' });
    expect(environment!.vars).toEqual({ region: 'eu', tier: 'cli', business_id: 'biz_cli' });
  });

  it('a bad --base-url is one error for the run', async () => {
    const { environment, diagnostics } = resolveEnvironment(await raw(), { env: {}, overrides: { baseUrl: 'localhost:3000' } });
    expect(environment).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'config-bad-url', message: expect.stringMatching(/^--base-url/) })]);
  });

  it('overridesFromEnv reads VERIFY_BASE_URL, VERIFY_FALLBACK_URL and VERIFY_VAR_<name>', () => {
    expect(overridesFromEnv({ VERIFY_BASE_URL: 'http://a', VERIFY_FALLBACK_URL: 'http://b', VERIFY_VAR_business_id: 'biz_9', VERIFY_VAR_: 'x', OTHER: 'y' })).toEqual({
      baseUrl: 'http://a',
      fallbackUrl: 'http://b',
      vars: { business_id: 'biz_9' },
    });
    expect(overridesFromEnv({ VERIFY_BASE_URL: '' })).toEqual({});
  });
});
