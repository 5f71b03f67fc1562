import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusCopy, REPO, runCli } from './run-cli.js';

/** `new` from each OpenAPI version: the spec lints clean, is never overwritten, and verifies against the sandbox. */

let work: Awaited<ReturnType<typeof corpusCopy>>;
beforeAll(async () => {
  work = await corpusCopy();
});
afterAll(async () => {
  await work?.cleanup();
});

describe('endpoint-verify new', () => {
  it.each([
    ['v2.json', 'GET /api/items/{id}'],
    ['v30.yaml', 'GET /api/items/{id}'],
    ['v31.yaml', 'GET /api/items/{id}'],
  ])('scaffolds from %s a spec that lints with no errors', async (doc, endpoint) => {
    const out = `specs/new/${doc.replace('.', '-')}.md`;
    const r = await runCli(['new', endpoint, '--swagger', path.join(REPO, 'test/fixtures/openapi', doc), '--out', out], { cwd: work.dir });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    const text = await readFile(path.join(work.dir, out), 'utf8');
    expect(text).toMatch(/^status: draft$/m);
    expect(text).toMatch(/^tokens: \[(staff|user)\]$/m);
    expect(text).toContain('path: "/api/items/{{id}}"');
    expect(text).toContain('locale: "{{locale}}"');
    expect(text).toMatch(/status: \[200\]/);
    const lint = await runCli(['lint', out], { cwd: work.dir });
    expect(lint.stdout).toMatch(/0 errors/);
    expect(lint.code).toBe(0);
  });

  it('never overwrites an existing file, and names an unknown operation with did-you-mean', async () => {
    const target = path.join(work.dir, 'specs/keep.md');
    await writeFile(target, 'mine');
    const r = await runCli(['new', 'GET /api/conversations', '--swagger', 'specs/whatsapp/openapi/whatsapp.yaml', '--out', 'specs/keep.md'], { cwd: work.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(await readFile(target, 'utf8')).toBe('mine');
    const u = await runCli(['new', 'GET /api/conversation', '--swagger', 'specs/whatsapp/openapi/whatsapp.yaml'], { cwd: work.dir });
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/did you mean "GET \/api\/conversations"/);
  });

  it('--run verifies the new spec against the sandbox and records the verdict', async () => {
    const out = 'specs/whatsapp/new-list.md';
    const r = await runCli(['new', 'GET /api/conversations', '--swagger', 'specs/whatsapp/openapi/whatsapp.yaml', '--out', out, '--run'], { cwd: work.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verified/);
    expect(await readFile(path.join(work.dir, out), 'utf8')).toMatch(/^status: verified$/m);
  });

  it('discrepancies prints the seed table with the 422 found on the primary gateway', async () => {
    const r = await runCli(['discrepancies', 'specs/platform/get-client-conversations.md', '--fallback', 'never', '--check'], { cwd: work.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('| Aspect | Swagger Says | Actual Behavior | Evidence |');
    expect(r.stdout).toMatch(/\| Status code \| responses: 200 \| returned 422 \|/);
  });
});

describe('--token-matrix', () => {
  it('runs the chain once per listed, configured token type and prints a type-by-type table', async () => {
    const file = path.join(work.dir, 'specs/platform/get-client-conversations.md');
    await writeFile(file, (await readFile(file, 'utf8')).replace('tokens: [staff]', 'tokens: [staff, app, unknown_type]'));
    const r = await runCli(['verify', 'specs/platform/get-client-conversations.md', '--token-matrix', '--no-write', '--reporter', 'console', '--reporter', 'json:tm.json'], { cwd: work.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Token matrix:/);
    expect(r.stdout).toMatch(/staff\s+verified/);
    expect(r.stdout).toMatch(/app\s+failing\s+get_conversations failed: status 422/);
    const report = JSON.parse(await readFile(path.join(work.dir, 'tm.json'), 'utf8')) as { specs: { tokenMatrix: { tokenType: string; verdict: string }[] }[] };
    expect(report.specs[0]!.tokenMatrix.map((t) => [t.tokenType, t.verdict])).toEqual([
      ['staff', 'verified'],
      ['app', 'failing'],
      ['unknown_type', 'unavailable'],
    ]);
  });
});
