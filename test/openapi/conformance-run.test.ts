import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/types.js';
import { createConformanceChecker } from '../../src/openapi/conformance.js';
import { discrepancySection } from '../../src/openapi/discrepancies.js';
import type { Finding, RunResult } from '../../src/result/result.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import { readSpec } from '../../src/specfile/parse.js';

/**
 * Real runs against a local API that deviates from its documents on purpose:
 * every deviation shows up as a finding of the step that met it, for a
 * Swagger 2.0, an OpenAPI 3.0 and an OpenAPI 3.1 document alike.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi');

const ANSWERS: Record<string, { status: number; type: string; body: string }> = {
  it_ok: { status: 200, type: 'application/json', body: '{"id":"it_ok","name":"Chair","price":10,"note":null}' },
  it_422: { status: 422, type: 'application/json', body: '{"status":"Error","error":"Unauthorized"}' },
  it_missing: { status: 200, type: 'application/json', body: '{"id":"it_missing","price":10}' },
  it_wrong: { status: 200, type: 'application/json', body: '{"id":"it_wrong","name":"Chair","price":"ten"}' },
  it_null: { status: 200, type: 'application/json', body: '{"id":"it_null","name":null}' },
  it_html: { status: 200, type: 'text/html; charset=utf-8', body: '<p>hello</p>' },
};

let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '';
    const a = ANSWERS[id] ?? { status: 404, type: 'application/json', body: '{}' };
    res.writeHead(a.status, { 'content-type': a.type }).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gw`;
  dir = await mkdtemp(path.join(tmpdir(), 'ev-conf-'));
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

function step(id: string, item: string, status: number, params = 'locale: en'): string {
  return `  - id: ${id}\n    method: GET\n    path: /api/items/${item}\n    params: { ${params} }\n    expect: { status: [${status}] }\n`;
}

async function run(swagger: string, mode: 'warn' | 'error', file = 'spec.md'): Promise<RunResult> {
  const text = [
    '---',
    'endpoint: "GET /api/items/{id}"',
    `swagger: "${swagger}"`,
    'status: draft',
    '---',
    '## Test Request',
    '```yaml',
    'steps:',
    step('ok', 'it_ok', 200),
    step('undocumented_status', 'it_422', 422),
    step('missing_field', 'it_missing', 200),
    step('wrong_type', 'it_wrong', 200),
    step('null_not_nullable', 'it_null', 200),
    step('html', 'it_html', 200),
    step('params', 'it_ok', 200, 'debug: "1"'),
    '```',
    '',
  ].join('\n');
  const abs = path.join(dir, file);
  await writeFile(abs, text);
  const spec = await readSpec(abs, file);
  expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const environment: Environment = {
    name: 'test',
    sandbox: false,
    vars: {},
    apis: [{ name: 'items', baseUrl: base, auth: { header: 'Authorization', scheme: 'Bearer' }, tokens: {}, vars: {} }],
  };
  return runSpecs({
    specs: [spec],
    environment,
    env: {},
    loadSpec: (p) => readSpec(p, path.basename(p)),
    conformance: { mode, checker: createConformanceChecker() },
    write: false,
  });
}

const byStep = (findings: Finding[]) => findings.map((f) => [f.stepId, f.aspect, f.pointer ?? '']);

describe.each(['v2.json', 'v30.yaml', 'v31.yaml'])('verify with conformance against %s', (doc) => {
  it('finds each deviation at the step that met it, and warn mode keeps the verdict', async () => {
    const result = await run(path.join(FIXTURES, doc), 'warn');
    const spec = result.specs[0]!;
    expect(spec.verdict).toBe('verified');
    expect(byStep(spec.findings)).toEqual([
      ['undocumented_status', 'status', ''],
      ['missing_field', 'schema', '/name'],
      ['wrong_type', 'schema', '/price'],
      ['null_not_nullable', 'schema', '/name'],
      ['html', 'content-type', ''],
      ['params', 'parameter', ''],
      ['params', 'parameter', ''],
    ]);
    expect(spec.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(spec.findings[0]).toMatchObject({ documented: 'responses: 200', actual: 'returned 422', evidence: '{"status":"Error","error":"Unauthorized"}' });
    const table = discrepancySection(spec);
    expect(table).toContain('| Aspect | Swagger Says | Actual Behavior | Evidence |');
    expect(table).toContain('| Status code | responses: 200 | returned 422 | step `undocumented_status` `{"status":"Error","error":"Unauthorized"}` |');
  });
});

describe('conformance modes and broken documents', () => {
  it('error mode makes a finding fail the step', async () => {
    const spec = (await run(path.join(FIXTURES, 'v30.yaml'), 'error', 'error-mode.md')).specs[0]!;
    expect(spec.verdict).toBe('failing');
    expect(spec.findings.every((f) => f.severity === 'error')).toBe(true);
  });

  it.each(['missing.yaml', path.join(FIXTURES, 'broken.yaml')])('a %s document is one finding and the run goes on', async (swagger) => {
    const spec = (await run(swagger, 'warn', `unusable-${path.basename(swagger)}.md`)).specs[0]!;
    expect(spec.verdict).toBe('verified');
    expect(spec.steps.length).toBe(7);
    expect(spec.findings).toEqual([expect.objectContaining({ stepId: 'ok', aspect: 'operation' })]);
  });
});
