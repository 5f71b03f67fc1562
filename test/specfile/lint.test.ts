import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintSpec, pathMatchesEndpoint, type LintContext } from '../../src/specfile/lint.js';
import { lintPaths } from '../../src/specfile/lint-run.js';
import { parseSpec } from '../../src/specfile/parse.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const SEED = path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt');

const ctx = (over: Partial<LintContext> = {}): LintContext => ({
  knownVars: new Set(),
  mayComeFromEnv: false,
  fileExists: () => true,
  specDir: '/specs',
  ...over,
});

interface StepSrc {
  id: string;
  method?: string;
  path?: string;
  extra?: string[];
}

function spec(o: { fm?: string[]; pre?: StepSrc[]; test?: StepSrc[]; cleanup?: StepSrc[] }): string {
  const steps = (list: StepSrc[]) => [
    '```yaml',
    'steps:',
    ...list.flatMap((s) => [`  - id: ${s.id}`, ...(s.method ? [`    method: ${s.method}`] : []), ...(s.path ? [`    path: "${s.path}"`] : []), ...(s.extra ?? []).map((l) => `    ${l}`)]),
    '```',
  ];
  return [
    '---',
    ...(o.fm ?? ['endpoint: "GET /items/{id}"']),
    '---',
    ...(o.pre ? ['## Prerequisites', ...steps(o.pre)] : []),
    ...(o.test ? ['## Test Request', ...steps(o.test)] : []),
    ...(o.cleanup ? ['## Cleanup', ...steps(o.cleanup)] : []),
    '',
  ].join('\n');
}

function lint(text: string, c: LintContext = ctx()) {
  const parsed = parseSpec(text, 's.md');
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return lintSpec(parsed.doc, c);
}
const codes = (ds: { code: string }[]) => ds.map((d) => d.code);

const CREATE = { id: 'create', method: 'POST', path: '/items', extra: ['extract:', '  id: "$.id"'] };
const GET = { id: 'get', method: 'GET', path: '/items/{{id}}' };

describe('the seed', () => {
  it('lints with no errors', async () => {
    const ds = lint(await readFile(SEED, 'utf8'), ctx({ mayComeFromEnv: true, specDir: path.dirname(SEED), fileExists: existsSync }));
    expect(ds.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('with business_id known, only the missing swagger file is mentioned', async () => {
    const ds = lint(await readFile(SEED, 'utf8'), ctx({ knownVars: new Set(['business_id']), fileExists: () => false }));
    expect(codes(ds)).toEqual(['swagger-missing']);
    expect(ds[0]?.span?.line).toBe(5);
  });
});

describe('rules', () => {
  it('a clean chain has no findings', () => {
    expect(lint(spec({ pre: [CREATE], test: [GET] }))).toEqual([]);
  });

  it('unknown-key: warns with did-you-mean, keeps the key', () => {
    const text = spec({ fm: ['endpoint: "GET /items/{id}"', 'tagz: [a]', 'owner: me'], pre: [CREATE], test: [GET] });
    const ds = lint(text);
    expect(ds.map((d) => [d.code, d.severity, d.span?.line])).toEqual([
      ['unknown-key', 'warning', 3],
      ['unknown-key', 'warning', 4],
    ]);
    expect(ds[0]?.hint).toContain('"tags"');
    expect(parseSpec(text, 's.md').doc.frontMatter.tagz).toEqual(['a']);
  });

  it('duplicate-step-id: on the second step', () => {
    const ds = lint(spec({ pre: [CREATE], test: [GET, { ...GET }] }));
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([['duplicate-step-id', 19]]);
  });

  it('undefined-var: error when nothing defines it, warning when it may come from the environment', () => {
    const text = spec({ test: [GET] });
    const hard = lint(text);
    expect(hard.map((d) => [d.code, d.severity, d.span?.line, d.span?.col])).toEqual([['undefined-var', 'error', 9, 19]]);
    const soft = lint(text, ctx({ mayComeFromEnv: true }));
    expect(soft.map((d) => [d.code, d.severity])).toEqual([['maybe-undefined-var', 'warning']]);
    expect(lint(text, ctx({ knownVars: new Set(['id']) }))).toEqual([]);
  });

  it('undefined-var: a variable extracted only later (Cleanup) does not count', () => {
    const ds = lint(spec({ test: [GET], cleanup: [CREATE] }));
    expect(codes(ds)).toEqual(['undefined-var']);
    expect(ds[0]?.message).toContain('runs later');
  });

  it('undefined-var: prerequisites run before the test even when written after it', () => {
    const text = ['---', 'endpoint: "GET /items/{id}"', '---', '## Test Request', '```yaml', 'steps:', '  - id: get', '    method: GET', '    path: "/items/{{id}}"', '```', '## Prerequisites', '```yaml', 'steps:', '  - id: create', '    method: POST', '    path: /items', '    extract:', '      id: "$.id"', '```', ''].join('\n');
    expect(lint(text)).toEqual([]);
  });

  it('undefined-var: built-ins are known, unknown $names are errors with a suggestion', () => {
    const ds = lint(spec({ test: [{ id: 'get', method: 'GET', path: '/items/{{$uuid}}', extra: ['params: { t: "{{$timestamp}}", r: "{{$randomInt}}", i: "{{$isoTimestamp}}", bad: "{{$uuidd}}" }'] }] }));
    expect(ds.map((d) => [d.code, d.hint])).toEqual([['undefined-var', 'did you mean {{$uuid}}?']]);
  });

  it('after a use: step an unknown variable is at most a warning', () => {
    const ds = lint(spec({ pre: [{ id: 'setup', extra: ['use: ./create.md'] }], test: [GET] }));
    expect(ds.map((d) => [d.code, d.severity])).toEqual([['maybe-undefined-var', 'warning']]);
  });

  it('bad-jsonpath: extract values and expect.body keys', () => {
    const ds = lint(
      spec({
        pre: [{ ...CREATE, extra: ['extract:', '  id: "$.items["', '  x: { from: body, path: "$..[?(@.a]" }'] }],
        test: [{ ...GET, extra: ['expect:', '  body:', "    $.ok: { exists: true }", "    $.a[(@.length-1)]: { exists: true }", "    $.b[?@.c=='x']: { exists: true }"] }],
      }),
      ctx({ knownVars: new Set(['id']) }),
    );
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([
      ['bad-jsonpath', 11],
      ['bad-jsonpath', 12],
      ['bad-jsonpath', 23],
    ]);
    // The caret points at the character inside the path: the "[" that is never closed.
    expect(ds[0]?.message).toContain('(at character 8)');
    expect([ds[0]?.span?.col, ds[0]?.span?.endCol]).toEqual([19, 20]);
  });

  it('bad-method: not an HTTP method, lower case gets a hint', () => {
    const ds = lint(spec({ fm: ['endpoint: "FETCH /items/{id}"'], pre: [{ ...CREATE, method: 'post' }], test: [{ ...GET, method: 'FETCH' }] }));
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([
      ['bad-method', 2],
      ['bad-method', 8],
      ['bad-method', 17],
    ]);
    expect(ds[1]?.hint).toContain('POST');
  });

  it('bad-path: relative paths, absolute URLs and //host are refused', () => {
    for (const p of ['items/{{id}}', 'https://evil.example/items/{{id}}', '//evil.example/items', '{{base}}/items']) {
      const ds = lint(spec({ pre: [CREATE], test: [GET, { id: 'x', method: 'GET', path: p }] }), ctx({ knownVars: new Set(['base']) }));
      expect(codes(ds)).toContain('bad-path');
    }
  });

  it('endpoint-not-called: method and path segments must match', () => {
    expect(codes(lint(spec({ pre: [CREATE], test: [{ ...GET, method: 'DELETE' }] })))).toEqual(['endpoint-not-called']);
    expect(codes(lint(spec({ pre: [CREATE], test: [{ ...GET, path: '/items/{{id}}/extra' }] })))).toEqual(['endpoint-not-called']);
    expect(codes(lint(spec({ pre: [CREATE, GET] })))).toEqual(['endpoint-not-called']);
    expect(lint(spec({ pre: [CREATE], test: [{ ...GET, path: '/items/{{id}}?full=1' }] }))).toEqual([]);
  });

  it('pathMatchesEndpoint: {param} matches a template or a value; literals must be equal', () => {
    expect(pathMatchesEndpoint('/platform/v1/clients/{{client_id}}/conversations', '/platform/v1/clients/{client_id}/conversations')).toBe(true);
    expect(pathMatchesEndpoint('/a/{{other}}/b/', '/a/{x}/b')).toBe(true);
    expect(pathMatchesEndpoint('/a/{{x}}', '/a/b')).toBe(false);
    expect(pathMatchesEndpoint('/a//b', '/a/{x}/b')).toBe(false);
  });

  it('swagger-missing: resolved against the spec folder', () => {
    const text = spec({ fm: ['endpoint: "GET /items/{id}"', 'swagger: ../openapi/items.json'], pre: [CREATE], test: [GET] });
    const asked: string[] = [];
    const ds = lint(text, ctx({ specDir: '/repo/specs', fileExists: (p) => (asked.push(p), false) }));
    expect(asked).toEqual([path.resolve('/repo/openapi/items.json')]);
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([['swagger-missing', 3]]);
    expect(lint(text, ctx({ fileExists: () => true }))).toEqual([]);
  });

  it('use-missing: the used spec must exist', () => {
    const text = spec({ pre: [{ id: 'setup', extra: ['use: ../other/create.md'] }], test: [{ ...GET, path: '/items/1' }] });
    expect(lint(text, ctx({ fileExists: () => true }))).toEqual([]);
    const ds = lint(text, ctx({ fileExists: () => false }));
    expect(ds.map((d) => [d.code, d.span?.line])).toEqual([['use-missing', 8]]);
  });
});

describe('lintPaths', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ev-lint-'));
    await mkdir(path.join(dir, 'specs/sub'), { recursive: true });
    await writeFile(path.join(dir, 'specs/ok.md'), spec({ pre: [CREATE], test: [GET] }));
    await writeFile(path.join(dir, 'specs/sub/broken.md'), '---\nendpoint: GET /x\nendpoint: GET /y\n---\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to specs/, reports display paths, sources and per-file findings', async () => {
    const r = await lintPaths({ paths: [], cwd: dir, knownVars: new Set(), mayComeFromEnv: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.file, codes(f.diagnostics)])).toEqual([
      ['specs/ok.md', []],
      ['specs/sub/broken.md', ['duplicate-key']],
    ]);
    expect(r.files[0]?.source).toContain('## Test Request');
  });

  it('reports a missing path as a discovery diagnostic', async () => {
    const r = await lintPaths({ paths: ['nope'], cwd: dir, knownVars: new Set(), mayComeFromEnv: false });
    expect(codes(r.diagnostics)).toEqual(['no-such-path']);
    expect(r.files).toEqual([]);
  });
});
