import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOpenApiLinter, lintAgainstOpenApi } from '../../src/specfile/lint-openapi.js';
import { parseSpec } from '../../src/specfile/parse.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi');
const AT = path.join(FIXTURES, 'a.md');

function spec(endpoint: string, stepPath: string, swagger = 'v30.yaml', method = 'GET'): ReturnType<typeof parseSpec>['doc'] {
  return parseSpec(`---\nendpoint: ${endpoint}\nswagger: ${swagger}\n---\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: s\n    method: ${method}\n    path: ${stepPath}\n\`\`\`\n`, 'a.md').doc;
}

describe('lint against the OpenAPI document', () => {
  it.each(['v2.json', 'v30.yaml', 'v31.yaml'])('accepts a documented endpoint and step path (%s)', async (doc) => {
    expect(await lintAgainstOpenApi(spec('GET /api/items/{id}', '/api/items/{{id}}', doc), AT)).toEqual([]);
  });

  it('an undocumented endpoint is an error with did-you-mean on its line; an unknown step path a warning on its line', async () => {
    const d = await lintAgainstOpenApi(spec('GET /api/item/{id}', '/api/item/{{id}}'), AT);
    expect(d.map((x) => [x.code, x.severity, x.span?.line])).toEqual([
      ['endpoint-not-documented', 'error', 2],
      ['step-not-documented', 'warning', 10],
    ]);
    expect(d[0]!.hint).toBe('did you mean "GET /api/items/{id}"?');
  });

  it('the method counts', async () => {
    const d = await lintAgainstOpenApi(spec('DELETE /api/items/{id}', '/api/items/{{id}}', 'v31.yaml', 'DELETE'), AT);
    expect(d.map((x) => x.code)).toEqual(['endpoint-not-documented', 'step-not-documented']);
  });

  it('a broken document is one warning on the swagger line; a missing one is left to swagger-missing', async () => {
    const broken = await lintAgainstOpenApi(spec('GET /x', '/x', 'broken.yaml'), AT);
    expect(broken).toEqual([expect.objectContaining({ code: 'swagger-unreadable', severity: 'warning' })]);
    expect(broken[0]!.span?.line).toBe(3);
    expect(await lintAgainstOpenApi(spec('GET /x', '/x', 'nope.yaml'), AT)).toEqual([]);
  });

  it('a linter reused across the specs of a run keeps answering per spec', async () => {
    const lint = createOpenApiLinter();
    const a = await lint(spec('GET /api/items/{id}', '/api/items/{{id}}'), AT);
    const b = await lint(spec('GET /api/items/{id}', '/nowhere'), AT);
    expect(a).toEqual([]);
    expect(b.map((x) => x.code)).toEqual(['step-not-documented']);
  });
});
