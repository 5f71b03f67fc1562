import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { REPO, runCli, scratch } from './run-cli.js';

/**
 * `endpoint-verify init` as a new user runs it: on this repository's specs (as committed) and on
 * a fresh folder of three specs for two APIs. What it writes must lint clean and, with only the
 * variables it names set, verify those specs against local servers.
 */

const exec = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const s = await scratch();
  cleanups.push(s.cleanup);
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(s.dir, rel)), { recursive: true });
    await writeFile(path.join(s.dir, rel), text);
  }
  return s.dir;
}

/** The names .env.example lists. */
async function exampleNames(dir: string): Promise<string[]> {
  return (await readFile(path.join(dir, '.env.example'), 'utf8'))
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => l.slice(0, l.indexOf('=')));
}

let sandbox: Sandbox;
let server: TestServer;
beforeAll(async () => {
  sandbox = await startSandbox();
  server = await startTestServer();
});
afterAll(async () => {
  await sandbox.close();
  await server.close();
});

describe('init on this repository\'s specs/', () => {
  it('writes one API per folder with its tokens and variables; lints clean and verifies all 16 with only those variables set', async () => {
    // The committed corpus, not the working tree (a run may have rewritten its status keys).
    const { stdout: listing } = await exec('git', ['ls-files', 'specs'], { cwd: REPO });
    const files: Record<string, string> = {};
    for (const rel of listing.split('\n').filter(Boolean)) files[rel] = (await exec('git', ['show', `HEAD:${rel}`], { cwd: REPO, maxBuffer: 1 << 24 })).stdout;
    const dir = await dirWith(files);

    const init = await runCli(['init'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('npx endpoint-verify lint specs\n  npx endpoint-verify verify specs');
    const config = parseYaml(await readFile(path.join(dir, 'verify.config.yaml'), 'utf8')) as {
      default: string;
      apis: Record<string, { specs: string }>;
      environments: Record<string, { apis: Record<string, { baseUrl: string; fallbackUrl?: string; tokens?: Record<string, { env: string }>; vars?: Record<string, string> }> }>;
    };
    expect(config.default).toBe('staging');
    expect(Object.fromEntries(Object.entries(config.apis).map(([k, v]) => [k, v.specs]))).toEqual({
      agentclara: 'specs/agentclara',
      'conversations-v2': 'specs/conversations-v2',
      platform: 'specs/platform',
      whatsapp: 'specs/whatsapp',
    });
    const staging = config.environments.staging!.apis;
    expect(staging.platform).toEqual({
      baseUrl: '${PLATFORM_BASE_URL}',
      fallbackUrl: '${PLATFORM_FALLBACK_URL}',
      tokens: { staff: { env: 'PLATFORM_STAFF_TOKEN' } },
      vars: { business_id: '${PLATFORM_BUSINESS_ID}' },
    });
    expect(Object.keys(staging['conversations-v2']!.tokens!).sort()).toEqual(['admin', 'other_org_user', 'super_admin', 'user']);
    expect(staging['conversations-v2']!.vars).toEqual({ organization_id: '${CONVERSATIONS_V2_ORGANIZATION_ID}' });
    expect(staging.whatsapp).toEqual({ baseUrl: '${WHATSAPP_BASE_URL}' });

    const s = sandbox.env;
    const values: Record<string, string> = {
      AGENTCLARA_BASE_URL: `${sandbox.url}/agentclara`,
      AGENTCLARA_API_KEY_TOKEN: s.SANDBOX_AGENTCLARA_API_KEY!,
      CONVERSATIONS_V2_BASE_URL: `${sandbox.url}/v2`,
      CONVERSATIONS_V2_ADMIN_TOKEN: s.SANDBOX_CONV_ADMIN!,
      CONVERSATIONS_V2_OTHER_ORG_USER_TOKEN: s.SANDBOX_CONV_OTHER_ORG_USER!,
      CONVERSATIONS_V2_SUPER_ADMIN_TOKEN: s.SANDBOX_CONV_SUPER_ADMIN!,
      CONVERSATIONS_V2_USER_TOKEN: s.SANDBOX_CONV_USER!,
      CONVERSATIONS_V2_ORGANIZATION_ID: 'org_001',
      PLATFORM_BASE_URL: `${sandbox.url}/platform/apigw`,
      PLATFORM_FALLBACK_URL: `${sandbox.url}/platform/api2`,
      PLATFORM_STAFF_TOKEN: s.SANDBOX_PLATFORM_STAFF!,
      PLATFORM_BUSINESS_ID: 'biz_001',
      WHATSAPP_BASE_URL: `${sandbox.url}/whatsapp`,
    };
    expect((await exampleNames(dir)).sort()).toEqual(Object.keys(values).sort());
    const lint = await runCli(['lint', 'specs'], { cwd: dir, env: values });
    expect(lint.stdout).toContain('16 files checked: 0 errors, 0 warnings');
    expect(lint.code).toBe(0);
    const run = await runCli(['verify', 'specs', '-q', '--no-write'], { cwd: dir, env: values });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('16 verified, 0 failing, 0 blocked (16 specs)');
    expect(run.code).toBe(0);
  });
});

const spec = (fm: string, steps: string): string => `---\n${fm}\n---\n\n# Spec\n\n## Test Request\n\n\`\`\`yaml\nsteps:\n${steps}\`\`\`\n`;

/** Three specs for two APIs: catalog (a list and a get that uses it, staff token, {{shop_id}}) and orders (an API key). */
const THREE = {
  'docs/api/catalog/list-items.md': spec(
    'endpoint: "GET /v1/items"\nstatus: draft\ntokens: [staff]',
    '  - id: list\n    method: GET\n    path: "/v1/items"\n    params: { shop: "{{shop_id}}" }\n    extract:\n      item_id: "$.items[0].id"\n    expect:\n      status: [200]\n',
  ),
  'docs/api/catalog/get-item.md': spec(
    'endpoint: "GET /v1/items/{id}"\nstatus: draft\ntokens: [staff]\nuseFallbackApi: true',
    '  - id: items\n    use: list-items.md\n  - id: get\n    method: GET\n    path: "/v1/items/{{item_id}}"\n    expect:\n      status: [200]\n',
  ),
  'docs/api/orders/list-orders.md': spec(
    'endpoint: "GET /orders"\nstatus: draft',
    '  - id: orders\n    method: GET\n    path: "/orders"\n    token: partner\n    headers: { X-Region: "{{region}}" }\n    expect:\n      status: [200]\n',
  ),
};

function routes(): void {
  server.reset();
  server.on('GET', '/cat/v1/items', (r) => (r.headers.authorization === 'Bearer st' && r.query.shop === 's1' ? { body: { items: [{ id: 'i1' }] } } : { status: 401 }));
  server.on('GET', '/cat-fb/v1/items/i1', (r) => (r.headers.authorization === 'Bearer st' ? { body: { id: 'i1' } } : { status: 401 }));
  server.on('GET', '/ord/orders', (r) => (r.headers.authorization === 'Bearer pk' && r.headers['x-region'] === 'eu' ? { body: [] } : { status: 401 }));
}

describe('init on a fresh folder of three specs for two APIs', () => {
  it('infers both APIs, their tokens, variables and fallback; lints clean; verifies with only the named variables', async () => {
    const dir = await dirWith(THREE);
    const init = await runCli(['init', 'docs/api', '--env', 'qa'], { cwd: dir });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('npx endpoint-verify lint docs/api\n  npx endpoint-verify verify docs/api');
    const names = await exampleNames(dir);
    expect(names).toEqual([
      'CATALOG_BASE_URL',
      'CATALOG_FALLBACK_URL',
      'CATALOG_STAFF_TOKEN',
      'CATALOG_SHOP_ID',
      'ORDERS_BASE_URL',
      'ORDERS_PARTNER_TOKEN',
      'ORDERS_REGION',
    ]);
    for (const n of names) expect(init.stdout).toContain(`  ${n}\n`);
    const config = await readFile(path.join(dir, 'verify.config.yaml'), 'utf8');
    expect(config).toMatch(/^default: qa$/m);
    expect(config).toMatch(/^  qa:$/m);
    expect(config).not.toContain('item_id'); // extracted by list-items.md and imported by use:

    routes();
    const values = {
      CATALOG_BASE_URL: `${server.url}/cat`,
      CATALOG_FALLBACK_URL: `${server.url}/cat-fb`,
      CATALOG_STAFF_TOKEN: 'st',
      CATALOG_SHOP_ID: 's1',
      ORDERS_BASE_URL: `${server.url}/ord`,
      ORDERS_PARTNER_TOKEN: 'pk',
      ORDERS_REGION: 'eu',
    };
    const lint = await runCli(['lint', 'docs/api'], { cwd: dir, env: values });
    expect(lint.stdout).toContain('3 files checked: 0 errors, 0 warnings');
    expect(lint.code).toBe(0);
    const run = await runCli(['verify', 'docs/api'], { cwd: dir, env: values });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('3 verified');
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, 'docs/api/orders/list-orders.md'), 'utf8')).toMatch(/^status: verified$/m);
  });

  it('pre-fills the gateways from --base-url / --fallback-url as defaults', async () => {
    const dir = await dirWith({ 'specs/list-items.md': THREE['docs/api/catalog/list-items.md'] });
    const init = await runCli(['init', '--base-url', `${server.url}/cat`], { cwd: dir });
    expect(init.code).toBe(0);
    expect(await readFile(path.join(dir, 'verify.config.yaml'), 'utf8')).toContain(`baseUrl: \${SPECS_BASE_URL:-${server.url}/cat}`);
    expect(init.stdout).not.toContain('SPECS_BASE_URL\n');
    routes();
    const run = await runCli(['verify', '--no-write'], { cwd: dir, env: { SPECS_STAFF_TOKEN: 'st', SPECS_SHOP_ID: 's1' } });
    expect(run.stdout).toContain('1 verified');
    expect(run.code).toBe(0);
  });

  it('never overwrites: an existing verify.config.yaml or .env.example stops it with exit 2, naming the file', async () => {
    for (const existing of ['verify.config.yaml', '.env.example']) {
      const dir = await dirWith({ ...THREE, [existing]: 'mine\n' });
      const init = await runCli(['init', 'docs/api'], { cwd: dir });
      expect(init.code).toBe(2);
      expect(init.stderr).toContain(`${existing} already exists`);
      expect(await readFile(path.join(dir, existing), 'utf8')).toBe('mine\n');
      const other = existing === '.env.example' ? 'verify.config.yaml' : '.env.example';
      await expect(readFile(path.join(dir, other))).rejects.toThrow();
    }
  });
});
