import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { readJson, runCli, scratch } from './run-cli.js';

/**
 * A team's own folder of spec files, not this repository's, run as a new user would: the built
 * CLI in a fresh temp folder against a small local API. Covers runs with no config at all, config
 * problems (an error per spec, never a skip), "no spec matched", and which files a run may write.
 */

const TOKEN = 'tok-staff-1234567890';

/** Two specs of a "catalog" API: a list, and a get that uses the list (with the fallback gateway). */
const LIST = `---
endpoint: "GET /v1/items"
domain: catalog
status: draft
timesReused: 0
tokens: [staff]
---

# List items

## Test Request

\`\`\`yaml
steps:
  - id: list_items
    method: GET
    path: "/v1/items"
    params: { shop: "{{shop_id}}" }
    extract:
      item_id: "$.items[0].id"
    expect:
      status: [200]
      body:
        $.items: { type: array }
\`\`\`
`;

const GET = `---
endpoint: "GET /v1/items/{id}"
domain: catalog
status: draft
timesReused: 0
useFallbackApi: true
tokens: [staff]
---

# Get an item

## Prerequisites

\`\`\`yaml
steps:
  - id: items
    use: list-items.md
\`\`\`

## Test Request

\`\`\`yaml
steps:
  - id: get_item
    method: GET
    path: "/v1/items/{{item_id}}"
    expect:
      status: [200]
      body:
        $.id: { equals: i1 }
\`\`\`
`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

function routes(): void {
  server.reset();
  const authorized = (h: Record<string, string>): boolean => h.authorization === `Bearer ${TOKEN}`;
  for (const gw of ['/gw', '/gw2']) {
    server.on('GET', `${gw}/v1/items`, (req) =>
      authorized(req.headers) && req.query.shop === 's1' ? { body: { items: [{ id: 'i1' }] } } : { status: 401, body: { error: 'no' } },
    );
    // Only the fallback gateway serves single items, as the spec's useFallbackApi says.
    server.on('GET', `${gw}/v1/items/i1`, (req) =>
      gw === '/gw2' && authorized(req.headers) ? { body: { id: 'i1' } } : { status: 422, body: { error: 'wrong gateway' } },
    );
  }
}

async function folder(files: Record<string, string>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const s = await scratch();
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(s.dir, rel)), { recursive: true });
    await writeFile(path.join(s.dir, rel), text);
  }
  return s;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fresh(files: Record<string, string> = { 'specs/list-items.md': LIST, 'specs/get-item.md': GET }): Promise<string> {
  const s = await folder(files);
  cleanups.push(s.cleanup);
  routes();
  return s.dir;
}

const tokenEnv = { VERIFY_TOKEN_STAFF: TOKEN };

/** What a JSON report says per spec, without times. */
function verdicts(report: { specs: { file: string; verdict: string; writeBack: { outcome: string } | null }[] }): string[] {
  return report.specs.map((s) => `${s.file} ${s.verdict} ${s.writeBack?.outcome ?? '-'}`);
}

/** A JSON report without what differs between two runs of the same thing: times, and the names of the API and environment. */
function comparable(report: unknown): unknown {
  return JSON.parse(
    JSON.stringify(report, (k, v: unknown) =>
      ['durationMs', 'startedAt', 'finishedAt', 'environment', 'api', 'verifiedAt', 'previousVerifiedAt'].includes(k) ? undefined : v,
    ),
  );
}

describe('a folder with no verify.config.yaml', () => {
  it('runs every spec against --base-url / --fallback-url with VERIFY_TOKEN_<TYPE> and --var, like a one-API config', async () => {
    const dir = await fresh();
    const bare = await runCli(
      ['verify', 'specs', '--base-url', `${server.url}/gw`, '--fallback-url', `${server.url}/gw2`, '--var', 'shop_id=s1', '--reporter', 'json:out.json', '--reporter', 'console'],
      { cwd: dir, env: tokenEnv },
    );
    expect(bare.stderr).toBe('');
    expect(bare.code, bare.stdout).toBe(0);
    expect(bare.stdout).toContain('2 verified');
    const report = await readJson<Parameters<typeof verdicts>[0]>(path.join(dir, 'out.json'));
    expect(verdicts(report)).toEqual(['specs/get-item.md verified written', 'specs/list-items.md verified written']);
    const list = await readFile(path.join(dir, 'specs/list-items.md'), 'utf8');
    expect(list).toMatch(/^status: verified$/m);
    expect(list).toMatch(/^timesReused: 2$/m); // its own run and the use by get-item.md
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/gw/v1/items', '/gw2/v1/items/i1']);

    // The same folder with the smallest config that says the same: same verdicts, same write-backs.
    const withConfig = await fresh();
    await writeFile(
      path.join(withConfig, 'verify.config.yaml'),
      `environments:\n  staging:\n    apis:\n      catalog:\n        baseUrl: ${server.url}/gw\n        fallbackUrl: ${server.url}/gw2\n        vars: { shop_id: s1 }\n`,
    );
    const configured = await runCli(['verify', 'specs', '--reporter', 'json:out.json', '--reporter', 'console'], { cwd: withConfig, env: tokenEnv });
    expect(configured.code).toBe(0);
    const configuredReport = await readJson<Parameters<typeof verdicts>[0]>(path.join(withConfig, 'out.json'));
    expect(verdicts(configuredReport)).toEqual(verdicts(report));
    // The whole report is the same, but for times, the API's and environment's names.
    expect(comparable(configuredReport)).toEqual(comparable(report));
    const untimed = (out: string): string => out.replace(/\d+(\.\d+)? (ms|s)\b/g, 'T');
    expect(untimed(configured.stdout)).toBe(untimed(bare.stdout));
    const strip = (t: string): string => t.replace(/^verifiedAt: .*$/m, '');
    expect(strip(await readFile(path.join(withConfig, 'specs/list-items.md'), 'utf8'))).toBe(strip(list));
    expect(strip(await readFile(path.join(withConfig, 'specs/get-item.md'), 'utf8'))).toBe(strip(await readFile(path.join(dir, 'specs/get-item.md'), 'utf8')));
  });

  it('reads VERIFY_BASE_URL, VERIFY_FALLBACK_URL and VERIFY_VAR_<name> from .env', async () => {
    const dir = await fresh();
    await writeFile(path.join(dir, '.env'), `VERIFY_BASE_URL=${server.url}/gw\nVERIFY_FALLBACK_URL=${server.url}/gw2\nVERIFY_VAR_shop_id=s1\nVERIFY_TOKEN_STAFF=${TOKEN}\n`);
    const run = await runCli(['verify', 'specs', '--no-write'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 verified');
    // lint knows the variable from .env as the run does.
    const lint = await runCli(['lint', 'specs'], { cwd: dir });
    expect(lint.stdout).toContain('2 files checked: 0 errors, 0 warnings');
  });

  it('with no base URL stops before sending anything: exit 2 and one message naming --base-url and init', async () => {
    const dir = await fresh();
    const run = await runCli(['verify', 'specs'], { cwd: dir, env: tokenEnv });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error[config-none]');
    expect(run.stderr).toContain('--base-url');
    expect(run.stderr).toContain('endpoint-verify init');
    expect(run.stderr.match(/error/g)).toHaveLength(1);
    expect(server.requests).toEqual([]);
    expect(await readFile(path.join(dir, 'specs/list-items.md'), 'utf8')).toBe(LIST);
  });

  it('never runs this repository\'s sandbox APIs unless asked with --sandbox', async () => {
    const sandboxSpec = `---\nendpoint: "GET /api/conversations"\nstatus: draft\n---\n\n## Test Request\n\n\`\`\`yaml\nsteps:\n  - id: list\n    method: GET\n    path: "/api/conversations"\n    expect:\n      status: [200]\n\`\`\`\n`;
    const dir = await fresh({ 'specs/whatsapp/list.md': sandboxSpec });
    const plain = await runCli(['verify', '--no-write'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('config-none');
    const sandbox = await runCli(['verify', '--no-write', '--sandbox'], { cwd: dir });
    expect(sandbox.stderr).toBe('');
    expect(sandbox.code).toBe(0);
    expect(sandbox.stdout).toContain('1 verified');
  });
});

describe('a config problem is an error of that spec, never a skip', () => {
  it('gives each spec its own invalid verdict with code, line and hint; the others still run; exit 2', async () => {
    const dir = await fresh({
      'specs/catalog/list-items.md': LIST,
      'specs/catalog/get-item.md': GET, // useFallbackApi: true, but catalog has no fallbackUrl
      'specs/orders/list-items.md': LIST, // orders: ${ORDERS_URL} is unset
      'specs/billing/list-items.md': LIST, // billing: no baseUrl in staging
      'specs/stray/list-items.md': LIST, // no API covers it
      'specs/named/list-items.md': LIST.replace('domain: catalog', 'api: catalgo'), // unknown api:
      'verify.config.yaml': [
        'default: staging',
        'apis:',
        '  catalog: { specs: specs/catalog }',
        '  orders: { specs: specs/orders }',
        '  billing: { specs: specs/billing }',
        'environments:',
        '  staging:',
        '    apis:',
        `      catalog: { baseUrl: "${server.url}/gw", vars: { shop_id: s1 } }`,
        '      orders: { baseUrl: "${ORDERS_URL}" }',
        '      billing: {}',
        '',
      ].join('\n'),
    });
    const run = await runCli(['verify', 'specs', '--reporter', 'json:out.json', '--reporter', 'console'], { cwd: dir, env: tokenEnv });
    expect(run.code).toBe(2);
    const report = await readJson<{
      summary: Record<string, number>;
      specs: { file: string; verdict: string; writeBack: unknown; diagnostics?: { code: string; file: string; line: number; hint: string | null }[] }[];
    }>(path.join(dir, 'out.json'));
    const by = Object.fromEntries(report.specs.map((s) => [s.file, s]));
    expect(by['specs/catalog/list-items.md']?.verdict).toBe('verified');
    const expectInvalid = (file: string, code: string, at: string, line: number): void => {
      const s = by[file]!;
      expect(s.verdict, file).toBe('invalid');
      expect(s.writeBack, file).toBeNull();
      expect(s.diagnostics?.[0]).toMatchObject({ code, file: at, line });
      expect(s.diagnostics?.[0]?.hint, file).toBeTruthy();
    };
    expectInvalid('specs/catalog/get-item.md', 'config-no-fallback', 'specs/catalog/get-item.md', 6);
    expectInvalid('specs/orders/list-items.md', 'config-unset-var', 'verify.config.yaml', 10);
    expectInvalid('specs/billing/list-items.md', 'config-no-base-url', 'verify.config.yaml', 11);
    expectInvalid('specs/stray/list-items.md', 'config-api', 'specs/stray/list-items.md', 1);
    expectInvalid('specs/named/list-items.md', 'config-api', 'specs/named/list-items.md', 3);
    expect(report.summary).toMatchObject({ total: 6, verified: 1, invalid: 5, skipped: 0 });
    // Nothing about the docs was learned: the invalid specs' files are untouched.
    expect(await readFile(path.join(dir, 'specs/orders/list-items.md'), 'utf8')).toBe(LIST);
    expect(await readFile(path.join(dir, 'specs/catalog/get-item.md'), 'utf8')).toBe(GET);
    // The console names the problem, where it is and what to do.
    expect(run.stdout).toContain('error[config-unset-var]');
    expect(run.stdout).toContain('verify.config.yaml:10');
    expect(run.stdout).toContain('export ORDERS_URL=');
    expect(run.stdout).toMatch(/1 verified, .*5 invalid/);
  });
});

describe('no empty success', () => {
  it('exits 1 when no spec matched, 0 with --pass-with-no-specs, and 0 for a shard that holds none of a non-empty corpus', async () => {
    const dir = await fresh({ 'specs/list-items.md': LIST, 'empty/README.md': '# nothing here\n' });
    const base = ['--base-url', `${server.url}/gw`, '--var', 'shop_id=s1', '--no-write'];
    const none = await runCli(['verify', 'empty', ...base], { cwd: dir, env: tokenEnv });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no spec matched');
    expect(none.stderr).toContain('--pass-with-no-specs exits 0 here');
    // A path that does not exist is an error the flag does not change: no hint pointing at it.
    const missing = await runCli(['verify', 'no-such-folder', ...base], { cwd: dir, env: tokenEnv });
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toContain('--pass-with-no-specs');
    expect((await runCli(['verify', 'no-such-folder', '--pass-with-no-specs', ...base], { cwd: dir, env: tokenEnv })).code).toBe(2);
    const filtered = await runCli(['verify', 'specs', '--tags', 'nope', ...base], { cwd: dir, env: tokenEnv });
    expect(filtered.code).toBe(1);
    const allowed = await runCli(['verify', 'empty', '--pass-with-no-specs', ...base], { cwd: dir, env: tokenEnv });
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('no spec matched');
    const shards = await Promise.all([1, 2, 3].map((i) => runCli(['verify', 'specs', '--shard', `${i}/3`, ...base], { cwd: dir, env: tokenEnv })));
    expect(shards.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(shards.filter((r) => r.stdout.includes('1 verified'))).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the files a run may write', () => {
  it('a single named spec still writes the use: target in its own folder', async () => {
    const dir = await fresh({
      'specs/list-items.md': LIST,
      'specs/get-item.md': GET,
      'verify.config.yaml': `environments:\n  staging:\n    apis:\n      catalog: { baseUrl: "${server.url}/gw", fallbackUrl: "${server.url}/gw2", vars: { shop_id: s1 } }\n`,
    });
    const run = await runCli(['verify', 'specs/get-item.md'], { cwd: dir, env: tokenEnv });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('outside');
    expect(await readFile(path.join(dir, 'specs/list-items.md'), 'utf8')).toMatch(/^timesReused: 1$/m);
    expect(await readFile(path.join(dir, 'specs/get-item.md'), 'utf8')).toMatch(/^status: verified$/m);
  });

  it('a named symlink to a spec outside the folder is run but its target is not written', async () => {
    const dir = await fresh({ 'specs/list-items.md': LIST, 'elsewhere/outside.md': LIST });
    await symlink(path.join(dir, 'elsewhere/outside.md'), path.join(dir, 'specs/link.md'));
    const sub = path.join(dir, 'specs');
    // From inside specs/, with the named file's own folder as the root: elsewhere/ is not in it.
    const run = await runCli(['verify', 'link.md', '--base-url', `${server.url}/gw`, '--var', 'shop_id=s1', '--reporter', 'json:../out.json'], { cwd: sub, env: tokenEnv });
    const report = await readJson<{ specs: { verdict: string; writeBack: { outcome: string } }[] }>(path.join(dir, 'out.json'));
    expect(report.specs[0]).toMatchObject({ verdict: 'verified', writeBack: { outcome: 'refused' } });
    // A refused write-back leaves the run incomplete (exit 3, docs/results.md), whatever the verdict.
    expect(run.code).toBe(3);
    expect(await readFile(path.join(dir, 'elsewhere/outside.md'), 'utf8')).toBe(LIST);
  });

  it('with a config: a named symlink out of the specs: folder is not written, one that stays inside is', async () => {
    const dir = await fresh({
      'specs/real.md': LIST,
      'elsewhere/outside.md': LIST,
      'verify.config.yaml': `environments:\n  staging:\n    apis:\n      catalog: { specs: specs, baseUrl: "${server.url}/gw", vars: { shop_id: s1 } }\n`,
    });
    await symlink(path.join(dir, 'elsewhere/outside.md'), path.join(dir, 'specs/out-link.md'));
    await symlink(path.join(dir, 'specs/real.md'), path.join(dir, 'specs/in-link.md'));
    const run = await runCli(['verify', 'specs/out-link.md', 'specs/in-link.md', '--reporter', 'json:out.json'], { cwd: dir, env: tokenEnv });
    const report = await readJson<{ specs: { file: string; verdict: string; writeBack: { outcome: string } }[] }>(path.join(dir, 'out.json'));
    expect(report.specs.map((s) => [s.file, s.verdict, s.writeBack.outcome])).toEqual([
      ['specs/in-link.md', 'verified', 'written'],
      ['specs/out-link.md', 'verified', 'refused'],
    ]);
    expect(run.code).toBe(3);
    expect(await readFile(path.join(dir, 'elsewhere/outside.md'), 'utf8')).toBe(LIST);
    expect(await readFile(path.join(dir, 'specs/real.md'), 'utf8')).toMatch(/^status: verified$/m);
  });
});
