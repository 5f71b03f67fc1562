import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createOpenApiLinter } from '../../src/spec/lint-openapi.js';
import { parseSpec } from '../../src/spec/parse.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi');

function spec(endpoint: string, stepPath: string): string {
  return `---\nendpoint: ${endpoint}\nswagger: v30.yaml\n---\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: s\n    method: GET\n    path: ${stepPath}\n\`\`\`\n`;
}

describe('lint against the OpenAPI document', () => {
  it('accepts a documented endpoint and step path', async () => {
    const { doc } = parseSpec(spec('GET /api/items/{id}', '/api/items/{{id}}'), 'a.md');
    expect(await createOpenApiLinter()(doc, path.join(FIXTURES, 'a.md'))).toEqual([]);
  });

  it('an undocumented endpoint is an error with did-you-mean on its line; an unknown step path a warning', async () => {
    const { doc } = parseSpec(spec('GET /api/item/{id}', '/api/item/{{id}}'), 'a.md');
    const d = await createOpenApiLinter()(doc, path.join(FIXTURES, 'a.md'));
    expect(d.map((x) => [x.code, x.severity, x.span?.line])).toEqual([
      ['endpoint-not-documented', 'error', 2],
      ['step-not-documented', 'warning', 10],
    ]);
    expect(d[0]!.hint).toMatch(/did you mean "GET \/items\/\{id\}"/);
  });
});
