import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findConfig, loadConfig } from '../../src/config/load.js';
import { resolveEnvironment } from '../../src/config/resolve.js';

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
environments:
  local:
    apis:
      items:
        baseUrl: http://127.0.0.1:1/gw
  other:
    apis:
      items:
        baseUrl: http://127.0.0.1:2
`;

/** Writes the config at the temp root and loads it from a folder two levels down. */
async function load(text: string, opts: { env?: Record<string, string | undefined>; envName?: string; name?: string } = {}) {
  await writeFile(path.join(dir, opts.name ?? 'verify.config.yaml'), text);
  const sub = path.join(dir, 'specs', 'items');
  await mkdir(sub, { recursive: true });
  return loadConfig({ cwd: sub, env: opts.env ?? {}, ...(opts.envName ? { envName: opts.envName } : {}) });
}

describe('finding the config', () => {
  it('searches upward from the working directory and resolves paths against the config folder', async () => {
    const raw = await load(CONFIG);
    expect(raw.diagnostics).toEqual([]);
    expect(raw.file).toBe(path.join(dir, 'verify.config.yaml'));
    expect(raw.rootDir).toBe(dir);
    expect(raw.envName).toBe('local');
    expect(raw.sandbox).toBe(false);
  });

  it('accepts verify.config.yml', async () => {
    const raw = await load(CONFIG, { name: 'verify.config.yml' });
    expect(raw.file).toBe(path.join(dir, 'verify.config.yml'));
    expect(raw.diagnostics).toEqual([]);
  });

  it('takes the nearest config when folders above have one too', async () => {
    await writeFile(path.join(dir, 'verify.config.yaml'), CONFIG);
    await mkdir(path.join(dir, 'inner', 'deep'), { recursive: true });
    await writeFile(path.join(dir, 'inner', 'verify.config.yaml'), CONFIG.replace('default: local', 'default: other'));
    expect(findConfig(path.join(dir, 'inner', 'deep'))).toBe(path.join(dir, 'inner', 'verify.config.yaml'));
    const raw = await loadConfig({ cwd: path.join(dir, 'inner', 'deep'), env: {} });
    expect(raw.envName).toBe('other');
  });

  it('picks the environment from envName, then VERIFY_ENV, then default:', async () => {
    expect((await load(CONFIG, { envName: 'other', env: { VERIFY_ENV: 'local' } })).envName).toBe('other');
    expect((await load(CONFIG, { env: { VERIFY_ENV: 'other' } })).envName).toBe('other');
    expect((await load(CONFIG.replace('default: local\n', ''))).envName).toBe('local');
  });
});

describe('.env', () => {
  it('fills unset variables only: the shell wins, then the config folder .env, then the working directory .env', async () => {
    const sub = path.join(dir, 'specs', 'items');
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(dir, 'verify.config.yaml'), CONFIG);
    await writeFile(path.join(dir, '.env'), 'A=root\nB=root\nexport C="root quoted"\n');
    await writeFile(path.join(sub, '.env'), 'A=cwd\nB=cwd\nD=cwd-only\n');
    const raw = await loadConfig({ cwd: sub, env: { A: 'shell' } });
    expect(raw.env).toMatchObject({ A: 'shell', B: 'root', C: 'root quoted', D: 'cwd-only' });
  });

  it('does not change the caller’s env object', async () => {
    await writeFile(path.join(dir, '.env'), 'X=1\n');
    const env: Record<string, string | undefined> = {};
    await load(CONFIG, { env });
    expect(env).toEqual({});
  });

  it('reports a malformed .env line as a warning with its line and never its value', async () => {
    await writeFile(path.join(dir, '.env'), 'GOOD=1\nthis is not a pair s3cr3t\nNEXT=2\n');
    const raw = await load(CONFIG);
    expect(raw.env).toMatchObject({ GOOD: '1', NEXT: '2' });
    const d = raw.diagnostics.find((x) => x.code === 'config-dotenv')!;
    expect(d).toMatchObject({ severity: 'warning', span: { line: 2 } });
    expect(JSON.stringify(d)).not.toContain('s3cr3t');
  });
});

describe('validation', () => {
  it('names an unknown key at its line and column with a did-you-mean', async () => {
    const raw = await load(CONFIG.replace('    specs: specs/items', '    spec: specs/items'));
    expect(raw.diagnostics).toHaveLength(1);
    const d = raw.diagnostics[0]!;
    expect(d).toMatchObject({ code: 'config-invalid', severity: 'error', span: { line: 4, col: 5 } });
    expect(d.span!.file).toBe(path.join('..', '..', 'verify.config.yaml'));
    expect(d.hint).toBe('did you mean "specs"?');
  });

  it('reports wrong types where the value is', async () => {
    const text = CONFIG.replace('  local:\n', '  local:\n    sandbox: yes please\n').replace('baseUrl: http://127.0.0.1:1/gw', 'baseUrl: [a, b]');
    const raw = await load(text);
    const byLine = raw.diagnostics.map((d) => [d.span?.line, d.message]);
    expect(byLine).toEqual([
      [7, 'sandbox must be true or false'],
      [10, 'baseUrl must be a string, not a list'],
    ]);
  });

  it('checks header names, token variable names and var values', async () => {
    const text = `apis:
  a:
    auth: { header: "X Key" }
    tokens:
      staff: { env: "\${STAFF}" }
      app: APP_TOKEN
    vars: { nested: { x: 1 } }
environments:
  e: { apis: { a: { baseUrl: "http://h" } } }
`;
    const raw = await load(text);
    expect(raw.diagnostics.map((d) => d.span?.line)).toEqual([3, 5, 7]);
    expect(raw.diagnostics[1]!.hint).toMatch(/variable name itself/);
  });

  it('reports duplicate keys and YAML syntax errors with their position', async () => {
    const dup = await load(CONFIG.replace('    specs: specs/items\n', '    specs: specs/items\n    specs: other\n'));
    expect(dup.diagnostics[0]).toMatchObject({ code: 'config-yaml', span: { line: 5 } });
    const broken = await load('environments:\n  a: [1, 2\n');
    expect(broken.diagnostics[0]).toMatchObject({ code: 'config-yaml' });
    expect(broken.diagnostics[0]!.span?.line).toBeGreaterThanOrEqual(2);
  });

  it('reads plain YAML and YAML with anchors (the full reader) to the same config', async () => {
    const plain = await load(CONFIG);
    const anchored = await load(CONFIG.replace('  local:\n    apis:\n      items:\n        baseUrl: http://127.0.0.1:1/gw', '  local: &local\n    apis:\n      items:\n        baseUrl: http://127.0.0.1:1/gw'));
    expect(plain.diagnostics).toEqual([]);
    expect(anchored.diagnostics).toEqual([]);
    expect(anchored.data).toEqual(plain.data);
    expect(plain.data.environments?.local?.apis?.items?.baseUrl).toBe('http://127.0.0.1:1/gw');
  });

  it('refuses an alias bomb without expanding it', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const raw = await load(`${bomb.join('\n')}\nenvironments: { e: {} }\n`);
    expect(raw.diagnostics[0]).toMatchObject({ code: 'config-yaml', severity: 'error' });
  });

  it('requires environments, and an empty file says so', async () => {
    expect((await load('apis: {}\n')).diagnostics[0]!.message).toMatch(/no environments/);
    expect((await load('environments: {}\n')).diagnostics[0]!.message).toMatch(/no environments/);
    expect((await load('')).diagnostics[0]!.message).toMatch(/empty/);
  });

  it('warns about an environment API spelled unlike every shared one', async () => {
    const raw = await load(CONFIG.replace('    apis:\n      items:\n        baseUrl: http://127.0.0.1:1/gw', '    apis:\n      itemz:\n        baseUrl: http://127.0.0.1:1/gw'));
    expect(raw.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', hint: 'did you mean "items"?', span: expect.objectContaining({ line: 8 }) })]);
  });
});

describe('environment names', () => {
  it('an unknown --env lists the environments, with a did-you-mean', async () => {
    const raw = await load(CONFIG, { envName: 'othr' });
    expect(raw.diagnostics).toHaveLength(1);
    expect(raw.diagnostics[0]).toMatchObject({ code: 'config-env', severity: 'error' });
    expect(raw.diagnostics[0]!.message).toMatch(/"othr" \(from --env\)/);
    expect(raw.diagnostics[0]!.hint).toBe('did you mean "other"? environments: local, other');
  });

  it('an unknown default: points at its line', async () => {
    const raw = await load(CONFIG.replace('default: local', 'default: prod'));
    expect(raw.diagnostics[0]).toMatchObject({ code: 'config-env', span: { line: 1, col: 10 } });
    expect(raw.diagnostics[0]!.hint).toMatch(/local, other/);
  });
});

describe('no config file', () => {
  it('is one ad-hoc API from --base-url for every spec, never the sandbox; with no base URL, one clear error', async () => {
    expect(findConfig(dir)).toBeUndefined();
    const raw = await loadConfig({ cwd: dir, env: {} });
    expect(raw).toMatchObject({ adHoc: true, sandbox: false, diagnostics: [] });
    const none = resolveEnvironment(raw, { env: {}, overrides: {} });
    expect(none.environment).toBeUndefined();
    expect(none.diagnostics).toMatchObject([{ code: 'config-none', severity: 'error' }]);
    expect(none.diagnostics[0]!.hint).toMatch(/--base-url.*endpoint-verify init/);
    const { environment } = resolveEnvironment(raw, { env: {}, overrides: { baseUrl: 'http://127.0.0.1:1/gw/', fallbackUrl: 'http://127.0.0.1:1/gw2', vars: { a: '1' } } });
    expect(environment).toMatchObject({ adHoc: true, sandbox: false, apis: [{ baseUrl: 'http://127.0.0.1:1/gw', fallbackUrl: 'http://127.0.0.1:1/gw2', vars: { a: '1' } }] });
    expect(environment!.apis[0]!.specsDir).toBeUndefined();
  });

  it('with --sandbox uses the built-in sandbox environment of this repository, rooted at cwd', async () => {
    const raw = await loadConfig({ cwd: dir, env: {}, sandbox: true });
    expect(raw.file).toBeUndefined();
    expect(raw.rootDir).toBe(dir);
    expect(raw).toMatchObject({ envName: 'sandbox', sandbox: true, diagnostics: [] });

    const env = { VERIFY_SANDBOX_URL: 'http://127.0.0.1:4010', SANDBOX_PLATFORM_STAFF: 'st' };
    const { environment, diagnostics } = resolveEnvironment(raw, { env, overrides: {} });
    expect(diagnostics).toEqual([]);
    const byName = Object.fromEntries(environment!.apis.map((a) => [a.name, a]));
    expect(Object.keys(byName)).toEqual(['platform', 'conversations', 'whatsapp', 'agentclara']);
    expect(byName.platform).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010/platform/apigw',
      fallbackUrl: 'http://127.0.0.1:4010/platform/api2',
      specsDir: path.join(dir, 'specs/platform'),
      tokens: { staff: { env: 'SANDBOX_PLATFORM_STAFF' }, app: { env: 'SANDBOX_PLATFORM_APP' }, directory: { env: 'SANDBOX_PLATFORM_DIRECTORY' } },
      vars: { business_id: 'biz_001' },
      auth: { header: 'Authorization', scheme: 'Bearer' },
    });
    expect(byName.conversations).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010/v2',
      specsDir: path.join(dir, 'specs/conversations-v2'),
      vars: { organization_id: 'org_001' },
    });
    expect(Object.entries(byName.conversations!.tokens).map(([t, s]) => [t, s.env])).toEqual([
      ['user', 'SANDBOX_CONV_USER'],
      ['admin', 'SANDBOX_CONV_ADMIN'],
      ['super_admin', 'SANDBOX_CONV_SUPER_ADMIN'],
      ['other_org_user', 'SANDBOX_CONV_OTHER_ORG_USER'],
    ]);
    expect(byName.whatsapp).toMatchObject({ baseUrl: 'http://127.0.0.1:4010/whatsapp', tokens: {}, specsDir: path.join(dir, 'specs/whatsapp') });
    expect(byName.whatsapp!.fallbackUrl).toBeUndefined();
    expect(byName.agentclara).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010/agentclara',
      tokens: { api_key: { env: 'SANDBOX_AGENTCLARA_API_KEY' } },
      auth: { header: 'Authorization', scheme: 'Bearer' },
    });
  });

  it('with --sandbox picks the sandbox environment whatever --env says', async () => {
    const raw = await loadConfig({ cwd: dir, env: {}, envName: 'staging', sandbox: true });
    expect(raw).toMatchObject({ envName: 'sandbox', sandbox: true, diagnostics: [] });
  });
});

describe('docs/configuration.md', () => {
  it('every complete config example in it loads and resolves without errors', async () => {
    const { readFile } = await import('node:fs/promises');
    const md = await readFile(path.join(import.meta.dirname, '../../docs/configuration.md'), 'utf8');
    const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => b.includes('environments:'));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const env = { VERIFY_SANDBOX_URL: 'http://127.0.0.1:1', PLATFORM_BASE_URL: 'https://s.example.com/apigw', PLATFORM_FALLBACK_URL: 'https://s.example.com/api2', PLATFORM_BUSINESS_ID: 'b', CONVERSATIONS_BASE_URL: 'https://c.example.com', AUTH_URL: 'https://auth.example.com', STAFF_USERNAME: 'u', STAFF_PASSWORD: 'p' };
    for (const block of blocks) {
      await writeFile(path.join(dir, 'verify.config.yaml'), block);
      // The token-provider examples show a staging environment only.
      for (const envName of ['sandbox', 'staging'].filter((n) => block.includes(`\n  ${n}:`))) {
        const raw = await loadConfig({ cwd: dir, env, envName });
        expect(raw.diagnostics).toEqual([]);
        const r = resolveEnvironment(raw, { env, overrides: {} });
        expect(r.diagnostics).toEqual([]);
        expect(r.environment!.apis.length).toBeGreaterThan(0);
      }
    }
  });
});
