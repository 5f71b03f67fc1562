import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { maskOwnedValues } from '../../src/specfile/front-matter-edit.js';
import { adoptTables, findOwnedTables } from '../../src/specfile/tables/index.js';
import { REPO, runCli, scratch } from './run-cli.js';

/**
 * The "done when": a copy of the seed, adopted with `docs adopt`, run against the sandbox
 * with --update-docs and --check-docs, as a user would (no config; gateways and tokens given).
 */

const SEED = path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt');
const SPEC = 'specs/conv.md';

let work: { dir: string; cleanup(): Promise<void> };
let sandbox: Sandbox;
let fixed: Sandbox;

function args(s: Sandbox): string[] {
  return ['--base-url', `${s.url}/platform/apigw`, '--fallback-url', `${s.url}/platform/api2`, '--var', 'business_id=biz_001'];
}
function env(s: Sandbox, without: string[] = []): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = {
    VERIFY_TOKEN_STAFF: s.env.SANDBOX_PLATFORM_STAFF,
    VERIFY_TOKEN_APP: s.env.SANDBOX_PLATFORM_APP,
    VERIFY_TOKEN_DIRECTORY: s.env.SANDBOX_PLATFORM_DIRECTORY,
  };
  for (const w of without) delete e[w];
  return e;
}

/** The text outside the owned tables' markers (the markers kept), with the owned front-matter values masked. */
function outside(text: string): string {
  const { regions } = findOwnedTables(text);
  let out = '';
  let at = 0;
  for (const r of regions) {
    out += `${text.slice(at, r.open.end)}[${r.kind}]`;
    at = r.close.start;
  }
  return maskOwnedValues(out + text.slice(at));
}

function ownedTable(text: string, kind: string): string[] {
  const r = findOwnedTables(text).regions.find((x) => x.kind === kind)!;
  return text.slice(r.table!.start, r.table!.end).split('\n');
}

const read = (): Promise<string> => readFile(path.join(work.dir, SPEC), 'utf8');

beforeAll(async () => {
  work = await scratch();
  await mkdir(path.join(work.dir, 'specs/mcp_swagger'), { recursive: true });
  await cp(SEED, path.join(work.dir, SPEC));
  await cp(path.join(REPO, 'specs/platform/mcp_swagger/communication.json'), path.join(work.dir, 'specs/mcp_swagger/communication.json'));
  sandbox = await startSandbox({ port: 0 });
  fixed = await startSandbox({ port: 0, knobs: { primaryGatewayFixed: true } });
});

afterAll(async () => {
  await sandbox?.close();
  await fixed?.close();
  await work?.cleanup();
});

describe('owned tables on a copy of the seed', () => {
  let adopted: string;

  it('docs adopt inserts the markers and nothing else', async () => {
    const r = await runCli(['docs', 'adopt', 'specs'], { cwd: work.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('specs/conv.md: marked responses (line 27), auth (line 36), discrepancies (line 116)');
    adopted = await read();
    expect(adopted).toBe(adoptTables(await readFile(SEED, 'utf8')).text);
  });

  it('verify --check-docs writes nothing and exits 1 with a diff of each stale table', async () => {
    const r = await runCli(['verify', 'specs', '--check-docs', ...args(sandbox)], { cwd: work.dir, env: env(sandbox) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout.match(/^--- a\/specs\/conv\.md$/gm)).toHaveLength(3);
    expect(r.stdout).toContain('+| Staff | ✅ | 422 via primary, 200 via fallback | Requires staff to be associated with a business |');
    expect(r.stderr).toContain('3 owned tables out of date');
    expect(await read()).toBe(adopted);
  });

  it('an outage changes no table and writes nothing', async () => {
    const r = await runCli(['verify', 'specs', '--token-matrix', '--update-docs', '--base-url', 'http://127.0.0.1:9/x', '--fallback-url', 'http://127.0.0.1:9/y', '--var', 'business_id=biz_001'], {
      cwd: work.dir,
      env: env(sandbox),
    });
    expect(r.code, r.stderr).toBe(3);
    expect(await read()).toBe(adopted);
  });

  it('verify --token-matrix --update-docs rewrites the three tables to what the sandbox does, keeping the Notes and every byte outside the markers', async () => {
    const r = await runCli(['verify', 'specs', '--token-matrix', '--update-docs', ...args(sandbox)], { cwd: work.dir, env: env(sandbox) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('updated specs/conv.md:38 auth table');
    const after = await read();
    expect(ownedTable(after, 'auth')).toEqual([
      '| Token Type | Works | Observed | Notes |',
      '|------------|-------|----------|-------|',
      '| Staff | ✅ | 422 via primary, 200 via fallback | Requires staff to be associated with a business |',
      '| App | ❌ | 422 via primary, 422 via fallback | May fail via apigw, use fallback |',
      '| Directory | ❌ | 422 via primary, 422 via fallback | May fail via apigw, use fallback |',
    ]);
    expect(ownedTable(after, 'responses')).toEqual([
      '| Status | Meaning | Observed |',
      '|--------|---------|----------|',
      '| 200 | Success - Conversations retrieved | `get_client` (staff, app, directory via primary and fallback), `get_conversations` (staff via fallback) |',
      '| 422 | Unprocessable Entity - Upstream error (includes Unauthorized) | `get_conversations` (staff via primary; app, directory via primary and fallback) |',
    ]);
    expect(ownedTable(after, 'discrepancies')).toEqual([
      '| Aspect | Swagger Says | Actual Behavior | Evidence |',
      '|--------|--------------|-----------------|----------|',
      '| Error responses | responses: 200 | returned 422 | step `get_conversations` `{"status":"Error","error":"Unauthorized"}` (staff via primary; app, directory via primary and fallback) |',
      '| Token types (not observed) | Staff, App, Directory | Only Staff works reliably via fallback | Gateway auth context issues |',
    ]);
    // Byte for byte outside the markers, the owned front-matter values aside.
    expect(Buffer.from(outside(after)).equals(Buffer.from(outside(adopted)))).toBe(true);
    const changedLines = after.split('\n').filter((l, i) => l !== adopted.split('\n')[i] && /^[a-zA-Z]+:/.test(l));
    expect(changedLines.map((l) => l.split(':')[0])).toEqual(['verifiedAt', 'timesReused']);
  });

  it('--check-docs exits 0 on the up-to-date file, and 1 with the diff after the sandbox changes; it writes nothing either way', async () => {
    const before = await readFile(path.join(work.dir, SPEC));
    const ok = await runCli(['verify', 'specs', '--check-docs', ...args(sandbox)], { cwd: work.dir, env: env(sandbox) });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).not.toContain('--- a/');
    expect(ok.stderr).toContain('owned tables up to date');
    expect((await readFile(path.join(work.dir, SPEC))).equals(before)).toBe(true);

    const stale = await runCli(['verify', 'specs', '--check-docs', ...args(fixed)], { cwd: work.dir, env: env(fixed) });
    expect(stale.code, stale.stderr).toBe(1);
    expect(stale.stdout).toContain('-| Staff | ✅ | 422 via primary, 200 via fallback | Requires staff to be associated with a business |');
    expect(stale.stdout).toContain('+| Staff | ✅ | 200 via primary, 200 via fallback | Requires staff to be associated with a business |');
    expect(stale.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/m);
    expect((await readFile(path.join(work.dir, SPEC))).equals(before)).toBe(true);
  });

  it('a token the environment lacks leaves its row as it is', async () => {
    const before = await read();
    const r = await runCli(['verify', 'specs', '--update-docs', ...args(fixed)], { cwd: work.dir, env: env(fixed, ['VERIFY_TOKEN_APP']) });
    expect(r.code, r.stderr).toBe(0);
    const auth = ownedTable(await read(), 'auth');
    expect(auth[2]).toBe('| Staff | ✅ | 200 via primary, 200 via fallback | Requires staff to be associated with a business |');
    expect(auth[3]).toBe(ownedTable(before, 'auth')[3]);
  });

  it('refuses --update-docs with --no-write, and --prune alone', async () => {
    const a = await runCli(['verify', 'specs', '--update-docs', '--no-write', ...args(sandbox)], { cwd: work.dir, env: env(sandbox) });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--check-docs');
    const b = await runCli(['verify', 'specs', '--prune', ...args(sandbox)], { cwd: work.dir, env: env(sandbox) });
    expect(b.code).toBe(2);
  });
});
