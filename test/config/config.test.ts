import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiForSpec } from '../../src/config/api-for-spec.js';
import { loadConfig } from '../../src/config/load.js';
import { overridesFromEnv, resolveEnvironment } from '../../src/config/resolve.js';
import { authHeaderValue, resolveToken, secretForms } from '../../src/config/tokens.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONFIG = `default: local
apis:
  items:
    specs: specs/items
    tokens:
      staff: { env: ITEMS_STAFF }
  keys:
    specs: specs/keys
    auth: { header: X-API-Key, scheme: "" }
environments:
  local:
    vars: { region: eu }
    apis:
      items:
        baseUrl: \${ITEMS_URL}/gw/
        fallbackUrl: \${ITEMS_URL:-http://127.0.0.1:9}/fb
        vars: { business_id: biz_001 }
      keys:
        baseUrl: http://127.0.0.1:1/keys
  other:
    apis:
      items:
        baseUrl: http://127.0.0.1:2
`;

async function load(text: string, env: Record<string, string | undefined> = {}, envName?: string) {
  await writeFile(path.join(dir, 'verify.config.yaml'), text);
  const sub = path.join(dir, 'specs', 'items');
  await mkdir(sub, { recursive: true });
  return loadConfig({ cwd: sub, env, ...(envName ? { envName } : {}) });
}

describe('loadConfig', () => {
  it('finds verify.config.yaml upward and picks the default environment', async () => {
    const raw = await load(CONFIG);
    expect(raw.diagnostics).toEqual([]);
    expect(raw.file).toBe(path.join(dir, 'verify.config.yaml'));
    expect(raw.envName).toBe('local');
  });

  it('loads .env without overriding variables already set', async () => {
    await writeFile(path.join(dir, '.env'), 'ITEMS_URL=http://127.0.0.1:5\nITEMS_STAFF="from-dotenv"\n');
    const raw = await load(CONFIG, { ITEMS_STAFF: 'from-shell' });
    expect(raw.env.ITEMS_URL).toBe('http://127.0.0.1:5');
    expect(raw.env.ITEMS_STAFF).toBe('from-shell');
  });

  it('reports unknown keys with did-you-mean and the config line', async () => {
    const raw = await load(CONFIG.replace('    specs: specs/items', '    spec: specs/items'));
    const d = raw.diagnostics[0]!;
    expect(d.code).toBe('config-invalid');
    expect(d.hint).toMatch(/did you mean "specs"/);
    expect(d.span?.line).toBe(4);
  });

  it('reports an unknown environment with the names it has', async () => {
    const raw = await load(CONFIG, {}, 'prod');
    expect(raw.diagnostics[0]).toMatchObject({ code: 'config-env' });
    expect(raw.diagnostics[0]!.hint).toMatch(/local, other/);
  });

  it('uses the built-in sandbox config when there is no file', async () => {
    const raw = await loadConfig({ cwd: dir, env: {} });
    expect(raw.file).toBeUndefined();
    expect(raw.sandbox).toBe(true);
    const { environment } = resolveEnvironment(raw, { env: { VERIFY_SANDBOX_URL: 'http://127.0.0.1:4010' }, overrides: {} });
    expect(environment?.apis.find((a) => a.name === 'platform')?.fallbackUrl).toBe('http://127.0.0.1:4010/platform/api2');
  });
});

describe('resolveEnvironment', () => {
  it('expands ${VAR} and defaults, strips trailing slashes, resolves spec folders, merges vars', async () => {
    const raw = await load(CONFIG);
    const { environment, diagnostics } = resolveEnvironment(raw, { env: { ITEMS_URL: 'http://127.0.0.1:7' }, overrides: {} });
    expect(diagnostics).toEqual([]);
    const items = environment!.apis.find((a) => a.name === 'items')!;
    expect(items).toMatchObject({ baseUrl: 'http://127.0.0.1:7/gw', fallbackUrl: 'http://127.0.0.1:7/fb', specsDir: path.join(dir, 'specs/items'), vars: { business_id: 'biz_001' } });
    expect(environment!.vars).toEqual({ region: 'eu' });
  });

  it('names an unset variable and its line, with a hint', async () => {
    const raw = await load(CONFIG);
    const { environment, diagnostics } = resolveEnvironment(raw, { env: {}, overrides: {} });
    expect(environment).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: 'config-unset-var' });
    expect(diagnostics[0]!.message).toMatch(/ITEMS_URL/);
    expect(diagnostics[0]!.span?.line).toBe(15);
  });

  it('--base-url, --fallback-url and --var (or VERIFY_*) win for every API', async () => {
    const raw = await load(CONFIG);
    const overrides = { ...overridesFromEnv({ VERIFY_BASE_URL: 'http://127.0.0.1:3/x', VERIFY_VAR_business_id: 'biz_9' }), fallbackUrl: 'http://127.0.0.1:4' };
    const { environment } = resolveEnvironment(raw, { env: {}, overrides });
    for (const a of environment!.apis) expect([a.baseUrl, a.fallbackUrl]).toEqual(['http://127.0.0.1:3/x', 'http://127.0.0.1:4']);
    expect(environment!.apis[0]!.vars.business_id).toBe('biz_9');
  });
});

describe('apiForSpec and tokens', () => {
  it('maps by front-matter api, then by folder; ambiguity is a diagnostic', async () => {
    const raw = await load(CONFIG);
    const { environment } = resolveEnvironment(raw, { env: { ITEMS_URL: 'http://127.0.0.1:7' }, overrides: {} });
    const env = environment!;
    expect((apiForSpec(env, path.join(dir, 'specs/items/a.md'), {}) as { name: string }).name).toBe('items');
    expect((apiForSpec(env, path.join(dir, 'specs/items/a.md'), { api: 'keys' }) as { name: string }).name).toBe('keys');
    expect(apiForSpec(env, path.join(dir, 'elsewhere/a.md'), {})).toMatchObject({ code: 'config-api' });
    expect(apiForSpec(env, path.join(dir, 'specs/items/a.md'), { api: 'nope' })).toMatchObject({ code: 'config-api' });
  });

  it('reads the configured variable, then VERIFY_TOKEN_<TYPE>; empty is missing', async () => {
    const raw = await load(CONFIG);
    const items = resolveEnvironment(raw, { env: { ITEMS_URL: 'http://127.0.0.1:7' }, overrides: {} }).environment!.apis[0]!;
    expect(resolveToken(items, 'staff', { ITEMS_STAFF: 'a' }).value).toBe('a');
    expect(resolveToken(items, 'STAFF', { VERIFY_TOKEN_STAFF: 'b' }).value).toBe('b');
    const none = resolveToken(items, 'staff', { ITEMS_STAFF: '', VERIFY_TOKEN_STAFF: '  ' });
    expect(none.value).toBeUndefined();
    expect(none.tried).toEqual(['ITEMS_STAFF', 'VERIFY_TOKEN_STAFF']);
  });

  it('builds Bearer, Basic and raw header values, and every form for redaction', () => {
    expect(authHeaderValue({ header: 'Authorization', scheme: 'Bearer' }, 't')).toBe('Bearer t');
    expect(authHeaderValue({ header: 'Authorization', scheme: 'Basic' }, 'u:p')).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(authHeaderValue({ header: 'X-API-Key', scheme: '' }, 'k')).toBe('k');
    const forms = secretForms('a b/c', { header: 'Authorization', scheme: 'Basic' });
    expect(forms).toEqual(expect.arrayContaining(['a b/c', 'a%20b%2Fc', Buffer.from('a b/c').toString('base64')]));
  });
});
