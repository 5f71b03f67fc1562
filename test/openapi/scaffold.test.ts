import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNew } from '../../src/cli/new-action.js';
import type { CliIo } from '../../src/cli/io.js';
import { scaffoldSpec } from '../../src/openapi/scaffold.js';
import { lintSpec } from '../../src/specfile/lint.js';
import { parseSpec } from '../../src/specfile/parse.js';
import { findOwnedTables } from '../../src/specfile/tables/index.js';

/** `new`: a spec in the seed's format from each document version, which parses and lints with no errors. */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi');
const NOW = new Date('2026-03-01T10:00:00.000Z');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-new-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function lint(text: string, outAbs: string) {
  const parsed = parseSpec(text, 'new.md');
  return { parsed, diagnostics: [...parsed.diagnostics, ...lintSpec(parsed.doc, { knownVars: new Set(), mayComeFromEnv: true, fileExists: existsSync, specDir: path.dirname(outAbs) })] };
}

describe('scaffold owned tables', () => {
  it('writes the three owned-table markers, the responses table from the documented statuses', async () => {
    const outAbs = path.join(dir, 'specs', 'items', 'owned.md');
    const { text } = await scaffoldSpec({ endpoint: 'GET /api/items/{id}', swaggerAbs: path.join(FIXTURES, 'v2.json'), outAbs, now: NOW });
    const found = findOwnedTables(text!);
    expect(found.problems).toEqual([]);
    expect(found.regions.map((r) => r.kind)).toEqual(['responses', 'auth', 'discrepancies']);
    const responses = found.regions[0]!.table!;
    expect(responses.header.cells).toEqual(['Status', 'Meaning', 'Observed']);
    expect(responses.rows.length).toBeGreaterThan(0);
    expect(responses.rows.every((r) => /^\d{3}$/.test(r.cells[0]!) && r.cells[2] === '')).toBe(true);
    expect(found.regions[1]!.table).toBeUndefined();
  });
});

describe.each([
  ['v2.json', 'GET /api/items/{id}', 'staff'],
  ['v30.yaml', 'GET /api/items/{id}', 'user'],
  ['v31.yaml', 'GET /api/items/{id}', 'user'],
  ['v30.yaml', 'GET /items/{item_id}', 'user'],
])('scaffold from %s (%s)', (doc, endpoint, token) => {
  it('writes the seed format and lints with no errors', async () => {
    const outAbs = path.join(dir, 'specs', 'items', 'get-item.md');
    const { text, diagnostics } = await scaffoldSpec({ endpoint, swaggerAbs: path.join(FIXTURES, doc), outAbs, now: NOW });
    expect(diagnostics).toEqual([]);
    const { parsed, diagnostics: found } = lint(text, outAbs);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
    const fm = parsed.doc.frontMatter;
    expect(fm).toMatchObject({ status: 'draft', savedAt: NOW.toISOString(), timesReused: 0, tokens: [token], domain: 'items', tags: ['items'] });
    expect(path.resolve(path.dirname(outAbs), String(fm.swagger))).toBe(path.join(FIXTURES, doc));
    // the document's names, whatever the caller wrote: {item_id} is the same shape as {id}
    expect(parsed.doc.endpoint).toMatchObject({ method: 'GET' });
    expect(parsed.doc.endpoint!.path).toMatch(/\/items\/\{id\}$/);
    expect(text).toMatch(/^# Get an item$/m);
    expect(text).toMatch(/## Summary\n\nReturns one item\./);
    const test = parsed.doc.steps.filter((s) => s.phase === 'test');
    expect(test).toHaveLength(1);
    expect(test[0]!.step).toMatchObject({ method: 'GET', params: { locale: '{{locale}}' }, expect: { status: [200] } });
    expect(test[0]!.step.path).toMatch(/\/items\/\{\{id\}\}$/);
    expect(parsed.doc.steps.filter((s) => s.phase === 'prerequisites')).toEqual([]);
    expect(text).toContain('# TODO: {{id}} still needs a step that extracts it');
    expect(text).toContain('| locale | query | yes | string |  |');
    expect(text).toContain('| id | path | yes | string |  |');
  });
});

describe('scaffold: unknown operations and odd documents', () => {
  it('an unknown endpoint is an error with did-you-mean, and no text', async () => {
    const r = await scaffoldSpec({ endpoint: 'GET /api/item/{id}', swaggerAbs: path.join(FIXTURES, 'v31.yaml'), outAbs: path.join(dir, 'x.md'), now: NOW });
    expect(r.text).toBe('');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'new-unknown-operation', severity: 'error', hint: 'did you mean "GET /api/items/{id}"?' })]);
  });

  it('a missing document and a malformed endpoint are errors', async () => {
    const missing = await scaffoldSpec({ endpoint: 'GET /x', swaggerAbs: path.join(FIXTURES, 'nope.yaml'), outAbs: path.join(dir, 'x.md'), now: NOW });
    expect(missing.diagnostics[0]).toMatchObject({ code: 'new-bad-swagger', message: 'nope.yaml: the file does not exist' });
    const bad = await scaffoldSpec({ endpoint: 'conversations', swaggerAbs: path.join(FIXTURES, 'v30.yaml'), outAbs: path.join(dir, 'x.md'), now: NOW });
    expect(bad.diagnostics[0]).toMatchObject({ code: 'new-bad-endpoint' });
  });

  it('description prose cannot open a heading or a fence; a POST gets a body skeleton and its 201', async () => {
    const swaggerAbs = path.join(dir, 'odd.yaml');
    await writeFile(
      swaggerAbs,
      [
        'openapi: 3.1.0',
        'info: { title: Odd, version: "1" }',
        'paths:',
        '  /notes:',
        '    post:',
        '      summary: "Create: a note | fast"',
        '      description: "Creates.\\n## Test Request\\n```yaml\\nsteps: oops\\n```"',
        '      security: [{ AppKey: [] }]',
        '      requestBody: { content: { application/json: { schema: { type: object, required: [text] } } } }',
        '      responses: { "202": { description: queued }, "201": { description: created } }',
      ].join('\n'),
    );
    const outAbs = path.join(dir, 'odd.md');
    const { text } = await scaffoldSpec({ endpoint: 'POST /notes', swaggerAbs, outAbs, now: NOW, api: 'notes' });
    const { parsed, diagnostics } = lint(text, outAbs);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.doc.frontMatter).toMatchObject({ api: 'notes', tokens: ['appkey'], tags: [] });
    expect(parsed.doc.steps.map((s) => [s.phase, s.step.expect?.status])).toEqual([['test', [201]]]);
    expect(parsed.doc.steps[0]!.step.body).toEqual({});
    expect(text).toContain('# TODO: fill in the request body (required: text)');
    expect(text).toContain('\\## Test Request');
    expect(text).toContain('None: the endpoint has no path parameters.');
  });
});

describe('endpoint-verify new (action)', () => {
  function io(): CliIo & { out: string; err: string } {
    const o = { out: '', err: '' };
    return Object.assign(o, {
      stdout: { write: (s: string) => (o.out += s) },
      stderr: { write: (s: string) => (o.err += s) },
      env: { NO_COLOR: '1' },
      cwd: dir,
    });
  }

  it('writes the file once and never overwrites it (exit 2, content unchanged)', async () => {
    const first = io();
    const flags = { swagger: path.join(FIXTURES, 'v30.yaml'), out: 'specs/once.md' } as Parameters<typeof runNew>[1];
    expect(await runNew('GET /api/items/{id}', flags, first)).toBe(0);
    expect(first.out).toContain('wrote specs/once.md');
    const target = path.join(dir, 'specs/once.md');
    await writeFile(target, 'mine');
    const second = io();
    expect(await runNew('GET /api/items/{id}', flags, second)).toBe(2);
    expect(second.err).toMatch(/specs\/once\.md already exists; nothing was written/);
    expect(await readFile(target, 'utf8')).toBe('mine');
  });

  it('an unknown endpoint prints did-you-mean and writes nothing', async () => {
    const r = io();
    const flags = { swagger: path.join(FIXTURES, 'v2.json') } as Parameters<typeof runNew>[1];
    expect(await runNew('GET /api/itemz/{id}', flags, r)).toBe(2);
    expect(r.err).toMatch(/did you mean "GET \/api\/items\/\{id\}"/);
    expect(existsSync(path.join(dir, 'specs/get-api-itemz.md'))).toBe(false);
  });
});
