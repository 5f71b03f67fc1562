import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { KNOWN_FRONT_MATTER_KEYS } from '../../src/specfile/model.js';
import { parseSpec } from '../../src/specfile/parse.js';
import { specJsonSchema } from '../../src/specfile/schema.js';
import { STEP_KEYS } from '../../src/specfile/step-check.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(specJsonSchema);
const defs = (specJsonSchema as { $defs: Record<string, { properties: Record<string, unknown> }> }).$defs;

function stepDoc(stepLines: string[]): string {
  return ['---', 'endpoint: GET /x', '---', '## Test Request', '```yaml', 'steps:', ...stepLines.map((l) => `  ${l}`), '```', ''].join('\n');
}

describe('specJsonSchema', () => {
  it('compiles under ajv strict mode and accepts the parsed seed', async () => {
    const { doc } = parseSpec(await readFile(path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt'), 'utf8'), 's');
    const ok = validate({ frontMatter: doc.frontMatter, steps: doc.steps.map((s) => s.step) });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('describes the same keys as the model and the parser', () => {
    expect(Object.keys(defs.frontMatter?.properties ?? {}).sort()).toEqual([...KNOWN_FRONT_MATTER_KEYS].sort());
    expect(Object.keys(defs.step?.properties ?? {}).sort()).toEqual([...STEP_KEYS].sort());
  });

  it.each([
    ['an unknown step key', ['- id: a', '  method: GET', '  path: /x', '  pathh: /y']],
    ['a step without id', ['- method: GET', '  path: /x']],
    ['a bad onFail', ['- id: a', '  method: GET', '  path: /x', '  onFail: maybe']],
    ['a status out of range', ['- id: a', '  method: GET', '  path: /x', '  expect: { status: 42 }']],
    ['an assertion with an unknown key', ['- id: a', '  method: GET', '  path: /x', '  expect: { body: { $.a: { equal: 1 } } }']],
    ['retry zero', ['- id: a', '  method: GET', '  path: /x', '  retry: 0']],
    ['extract long form without from', ['- id: a', '  method: GET', '  path: /x', '  extract: { e: { header: ETag } }']],
  ])('the parser and the schema both reject %s', (_name, lines) => {
    const r = parseSpec(stepDoc(lines), 's.md');
    expect(r.diagnostics.some((d) => d.severity === 'error' && d.span && d.hint)).toBe(true);
    const rawSteps = rawStepsOf(stepDoc(lines));
    expect(validate({ frontMatter: { endpoint: 'GET /x' }, steps: rawSteps })).toBe(false);
  });

  it('the parser and the schema both accept a full step', () => {
    const lines = [
      '- id: a',
      '  method: POST',
      '  path: /x/{{id}}',
      '  params: { q: 1, b: true }',
      '  headers: { X-A: b }',
      '  body: { any: [1, 2] }',
      '  extract: { id: $.id, etag: { from: header, header: ETag }, code: { from: status } }',
      '  expect: { status: [200, 201], body: { $.id: { exists: true, type: string } }, headers: { etag: { matches: "^W/" } }, maxMs: 100, schema: { type: object } }',
      '  onFail: continue',
      '  retry: { attempts: 2 }',
      '  timeoutMs: 500',
      '  token: none',
      '  followRedirects: false',
      '- id: b',
      '  use: ./other.md',
    ];
    const r = parseSpec(stepDoc(lines), 's.md');
    expect(r.diagnostics).toEqual([]);
    expect(validate({ frontMatter: { endpoint: 'POST /x/{id}' }, steps: rawStepsOf(stepDoc(lines)) })).toBe(true);
  });
});

/** The steps as written (before the parser's typing), by reading the block with the yaml package. */
function rawStepsOf(text: string): unknown[] {
  const block = text.slice(text.indexOf('```yaml\n') + 8, text.lastIndexOf('```'));
  return (YAML.parse(block) as { steps: unknown[] }).steps;
}
