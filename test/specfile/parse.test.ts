import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSpec, readSpec } from '../../src/specfile/parse.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const SEED = path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt');
const BAD = path.join(REPO, 'test/fixtures/bad-specs');

/** One broken file per bad input: the code and line users should see. */
const BAD_INPUTS: { file: string; code: string; line: number; severity?: 'warning' }[] = [
  { file: 'js-front-matter.md', code: 'front-matter-language', line: 1 },
  { file: 'javascript-front-matter.md', code: 'front-matter-language', line: 1 },
  { file: 'unclosed-front-matter.md', code: 'unclosed-front-matter', line: 1 },
  { file: 'front-matter-not-mapping.md', code: 'front-matter-not-mapping', line: 1 },
  { file: 'duplicate-key.md', code: 'duplicate-key', line: 4 },
  { file: 'alias-bomb.md', code: 'yaml-alias', line: 4 },
  { file: 'js-function-tag.md', code: 'yaml-unknown-tag', line: 3 },
  { file: 'unknown-tag.md', code: 'yaml-unknown-tag', line: 3 },
  { file: 'merge-key.md', code: 'yaml-merge-key', line: 5 },
  { file: 'proto-key.md', code: 'forbidden-key', line: 3 },
  { file: 'deep-nesting.md', code: 'yaml-too-deep', line: 3 },
  { file: 'invalid-utf8.md', code: 'invalid-utf8', line: 3 },
  { file: 'empty.md', code: 'empty-file', line: 1 },
  { file: 'bom-only.md', code: 'empty-file', line: 1 },
  { file: 'missing-front-matter.md', code: 'missing-front-matter', line: 1 },
  // The unclosed quote on line 11, where it opens (not the closing fence on line 12).
  { file: 'yaml-syntax-in-steps.md', code: 'yaml-syntax', line: 11 },
  { file: 'unknown-step-key.md', code: 'unknown-step-key', line: 11 },
  { file: 'steps-not-list.md', code: 'steps-not-list', line: 9 },
  { file: 'bad-endpoint.md', code: 'bad-endpoint', line: 2 },
  { file: 'missing-endpoint.md', code: 'missing-key', line: 1 },
  { file: 'bad-regex.md', code: 'bad-regex', line: 14 },
  { file: 'wrong-type.md', code: 'invalid-value', line: 3 },
  { file: 'steps-outside-phase.md', code: 'steps-outside-phase', line: 16, severity: 'warning' },
];

describe('bad inputs', () => {
  it.each(BAD_INPUTS)('$file -> $code on line $line, file untouched', async ({ file, code, line, severity }) => {
    const abs = path.join(BAD, file);
    const before = await readFile(abs);
    const spec = await readSpec(abs, file);
    const found = spec.diagnostics.find((d) => d.code === code);
    expect(found, JSON.stringify(spec.diagnostics)).toBeDefined();
    expect(found?.severity).toBe(severity ?? 'error');
    expect(found?.span?.line).toBe(line);
    expect(found?.span?.file).toBe(file);
    expect(found?.hint).toBeTruthy();
    expect(Buffer.compare(await readFile(abs), before)).toBe(0);
    expect(spec.bytes.equals(before)).toBe(true);
  });

  it('reports an alias bomb once, without expanding it', async () => {
    const spec = await readSpec(path.join(BAD, 'alias-bomb.md'), 'a.md');
    expect(spec.diagnostics.filter((d) => d.code === 'yaml-alias')).toHaveLength(1);
  });

  it('suggests the closest step key', async () => {
    const spec = await readSpec(path.join(BAD, 'unknown-step-key.md'), 'u.md');
    const d = spec.diagnostics.find((x) => x.code === 'unknown-step-key');
    expect(d?.hint).toContain('"path"');
    expect(d?.span?.col).toBe(5);
  });

  it('never evaluates a language front-matter and keeps no data from it', () => {
    const text = "---js\n{ endpoint: (globalThis.__ev_pwned = 1, 'GET /x') }\n---\n# x\n";
    const r = parseSpec(text, 'j.md');
    expect((globalThis as Record<string, unknown>).__ev_pwned).toBeUndefined();
    expect(r.doc.frontMatter).toEqual({});
    expect(r.doc.endpoint).toBeUndefined();
  });

  it('does not pollute prototypes through __proto__ keys in steps', () => {
    const text = ['---', 'endpoint: GET /x', '---', '## Test Request', '```yaml', 'steps:', '  - id: a', '    method: GET', '    path: /x', '    body:', '      __proto__: { polluted: true }', '```', ''].join('\n');
    const r = parseSpec(text, 'p.md');
    expect(r.diagnostics.map((d) => [d.code, d.span?.line])).toContainEqual(['forbidden-key', 11]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives a huge flow nesting with an error, not a crash', () => {
    const text = `---\nendpoint: GET /x\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n---\n`;
    const r = parseSpec(text, 'deep.md');
    const d = r.diagnostics.find((x) => x.code === 'yaml-too-deep');
    expect(d?.span?.line).toBe(3);
  });

  it('gives every error a position and a hint for arbitrary junk', () => {
    for (const text of ['---\n: : :\n---\n', '---\n[a, b\n---\n', '---\nendpoint: GET /x\n---\n## Test Request\n```yaml\nsteps: 3\n```\n', '---\nendpoint: GET /x\n---\n## Cleanup\n```yml\nsteps:\n  - 42\n  - [a]\n```\n']) {
      const r = parseSpec(text, 'j.md');
      expect(r.diagnostics.length).toBeGreaterThan(0);
      for (const d of r.diagnostics) {
        expect(d.span?.line).toBeGreaterThan(0);
        expect(d.hint).toBeTruthy();
      }
    }
  });
});

describe('the seed spec', () => {
  it('parses with no diagnostics into its front-matter, phases and steps', async () => {
    const spec = await readSpec(SEED, 'seeds/000.txt');
    expect(spec.diagnostics).toEqual([]);
    const { doc } = spec;
    expect(doc.endpoint).toEqual({ method: 'GET', path: '/platform/v1/clients/{client_id}/conversations' });
    expect(doc.frontMatter.useFallbackApi).toBe(true);
    expect(doc.frontMatter.tokens).toEqual(['staff']);
    expect(doc.frontMatter.timesReused).toBe(0);
    expect(doc.steps.map((s) => [s.step.id, s.phase, s.span.line])).toEqual([
      ['get_client', 'prerequisites', 46],
      ['get_conversations', 'test', 64],
    ]);
    expect(doc.blocks.map((b) => [b.phase, b.fenceLine])).toEqual([
      ['prerequisites', 44],
      ['test', 62],
    ]);
    const first = doc.steps[0];
    expect(first?.step.extract).toEqual({ client_id: '$.data.clients[0].id' });
    expect(first?.step.expect?.status).toEqual([200]);
    expect(first?.step.onFail).toBe('abort');
    expect(first?.keySpans['params.business_id']?.line).toBe(51);
    expect(first?.keySpans['extract.client_id']?.line).toBe(54);
    expect(first?.keySpans['expect.status']?.line).toBe(56);
    expect(doc.frontMatterSpans.endpoint?.line).toBe(2);
    expect(doc.frontMatterSpans['endpoint.value']?.col).toBe(11);
  });

  it('positions templates at their {{ in the file', async () => {
    const text = await readFile(SEED, 'utf8');
    const lines = text.split('\n');
    const { doc } = parseSpec(text, 'seed.txt');
    const refs = doc.steps.flatMap((s) => s.templates.map((t) => ({ name: t.name, at: t.at, line: t.span.line, col: t.span.col })));
    expect(refs.map((r) => [r.name, r.at, r.line])).toEqual([
      ['business_id', 'params.business_id', 51],
      ['client_id', 'path', 67],
    ]);
    for (const r of refs) expect(lines[r.line - 1]?.slice(r.col - 1).startsWith(`{{${r.name}}}`)).toBe(true);
  });

  it('ignores the ruby block and the tables', async () => {
    const { doc } = parseSpec(await readFile(SEED, 'utf8'), 's');
    expect(doc.blocks).toHaveLength(2);
  });
});

describe('line endings and BOM', () => {
  const lf = ['---', 'endpoint: "GET /items/{id}"', '---', '', '## Test Request', '', '```yaml', 'steps:', '  - id: one', '    method: GET', '    path: "/items/{{id}}?x={{ $uuid }}"', '```', ''].join('\n');

  const summary = (text: string) => {
    const r = parseSpec(text, 'f.md');
    return {
      diagnostics: r.diagnostics,
      steps: r.doc.steps.map((s) => ({ span: s.span, keySpans: s.keySpans, templates: s.templates })),
      fm: r.doc.frontMatterSpans,
    };
  };

  it('CRLF gives the same lines and columns as LF', () => {
    expect(summary(lf.replace(/\n/g, '\r\n'))).toEqual(summary(lf));
  });

  it('a BOM file gives the same positions (decoded without the BOM)', async () => {
    const { decodeSpec } = await import('../../src/specfile/decode.js');
    const d = decodeSpec(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf.replace(/\n/g, '\r\n'))]), 'f.md');
    expect(d.bom).toBe(true);
    expect(summary(d.text)).toEqual(summary(lf));
  });

  it('finds templates with spaces inside braces, and built-ins', () => {
    const t = summary(lf).steps[0]?.templates ?? [];
    expect(t.map((x) => [x.name, x.span.line, x.span.col])).toEqual([
      ['id', 11, 19],
      ['$uuid', 11, 28],
    ]);
  });
});

describe('phases and fences', () => {
  const block = (id: string) => ['```yaml', 'steps:', `  - id: ${id}`, '    method: GET', '    path: /x', '```'];
  const doc = (...body: string[]) => ['---', 'endpoint: GET /x', '---', ...body, ''].join('\n');

  it('assigns blocks to the nearest heading of any level, case-insensitively', () => {
    const r = parseSpec(
      doc('# PREREQUISITES', ...block('a'), '### test request', ...block('b'), '## Cleanup', ...block('c'), '```yml', 'steps:', '  - id: d', '    method: GET', '    path: /x', '```'),
      'p.md',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.doc.steps.map((s) => [s.step.id, s.phase, s.block])).toEqual([
      ['a', 'prerequisites', 0],
      ['b', 'test', 1],
      ['c', 'cleanup', 2],
      ['d', 'cleanup', 3],
    ]);
  });

  it('treats other fences as prose and does not see headings inside fences', () => {
    const r = parseSpec(
      doc('## Test Request', '~~~', '## Cleanup', '~~~', '```json', '{"steps": []}', '```', '````markdown', '## Notes', '```yaml', 'steps:', '  - id: inner', '```', '````', ...block('t'), '```', 'steps:', '```'),
      'f.md',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.doc.steps.map((s) => [s.step.id, s.phase])).toEqual([['t', 'test']]);
  });

  it('ignores yaml blocks without steps:', () => {
    const r = parseSpec(doc('## Test Request', '```yaml', 'config: 1', '```', ...block('t')), 'f.md');
    expect(r.doc.blocks).toHaveLength(1);
  });

  it('parses use-only steps without method or path', () => {
    const r = parseSpec(doc('## Prerequisites', '```yaml', 'steps:', '  - id: setup', '    use: ./other.md', '```', '## Test Request', ...block('t')), 'f.md');
    expect(r.diagnostics).toEqual([]);
    expect(r.doc.steps[0]?.step).toEqual({ id: 'setup', use: './other.md' });
  });

  it('types the long forms of extract, expect, retry', () => {
    const r = parseSpec(
      doc(
        '## Test Request',
        '```yaml',
        'steps:',
        '  - id: t',
        '    method: POST',
        '    path: /x',
        '    headers: { X-Count: 5 }',
        '    body: { name: "n {{$timestamp}}", nested: { id: "{{id}}" } }',
        '    retry: { attempts: 3, backoffMs: 10 }',
        '    extract:',
        '      etag: { from: header, header: ETag }',
        '    expect:',
        '      status: 201',
        '      body:',
        "        $.data: { type: array, length: { min: 1 } }",
        '      headers:',
        '        content-type: { matches: json }',
        '```',
      ),
      'f.md',
    );
    expect(r.diagnostics).toEqual([]);
    const s = r.doc.steps[0];
    expect(s?.step.headers).toEqual({ 'X-Count': '5' });
    expect(s?.step.retry).toEqual({ attempts: 3, backoffMs: 10 });
    expect(s?.step.extract?.etag).toEqual({ from: 'header', header: 'ETag' });
    expect(s?.step.expect?.body?.['$.data']).toEqual({ type: 'array', length: { min: 1 } });
    expect(s?.keySpans['expect.body.$.data']?.line).toBe(18);
    expect(s?.templates.map((t) => [t.name, t.at])).toEqual([
      ['$timestamp', 'body.name'],
      ['id', 'body.nested.id'],
    ]);
  });

  it('reports wrong value types with did-you-mean for enums', () => {
    const r = parseSpec(doc('## Test Request', '```yaml', 'steps:', '  - id: t', '    method: GET', '    path: /x', '    onFail: contineu', '    expect: { status: ok }', '```'), 'f.md');
    const codes = r.diagnostics.map((d) => [d.code, d.span?.line, d.hint]);
    expect(codes).toContainEqual(['invalid-value', 10, 'did you mean "continue"?']);
    expect(codes.some(([c, l]) => c === 'invalid-value' && l === 11)).toBe(true);
  });
});

describe('readSpec', () => {
  it('turns an unreadable path into a diagnostic', async () => {
    const spec = await readSpec(path.join(BAD, 'does-not-exist.md'), 'x.md');
    expect(spec.diagnostics.map((d) => d.code)).toEqual(['read-error']);
  });
});
