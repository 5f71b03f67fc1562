import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createConformanceChecker } from '../../src/openapi/conformance.js';
import type { ConformanceInput } from '../../src/openapi/types.js';

/**
 * The same deviating answers checked against Swagger 2.0, OpenAPI 3.0 and
 * 3.1 documents: each deviation is one finding, each conforming answer none.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/openapi');
const specAbsPath = path.join(FIXTURES, 'spec.md');

function input(swagger: string, over: Partial<ConformanceInput> = {}): ConformanceInput {
  return {
    specFile: 'spec.md',
    specAbsPath,
    swagger,
    stepId: 'get_item',
    method: 'GET',
    pathTemplate: '/api/items/{{id}}',
    path: '/api/items/it_1',
    query: { locale: 'en' },
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: { id: 'it_1', name: 'Chair', price: 10, note: null },
    ...over,
  };
}

describe.each(['v2.json', 'v30.yaml', 'v31.yaml'])('conformance against %s', (doc) => {
  const checker = createConformanceChecker();

  it('a conforming answer has no finding (nullable null included, except in 2.0 where x-nullable allows it too)', async () => {
    expect(await checker.check(input(doc))).toEqual([]);
  });

  it('an undocumented status is a finding with the documented ones', async () => {
    const f = await checker.check(input(doc, { status: 422, body: { error: 'Unauthorized' }, bodyText: '{"error":"Unauthorized"}' }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ aspect: 'status', actual: 'returned 422', evidence: '{"error":"Unauthorized"}' });
    expect(f[0]!.documented).toMatch(/200/);
  });

  it('a missing required field and a wrong type are schema findings with a JSON pointer', async () => {
    const missing = await checker.check(input(doc, { body: { id: 'it_1' } }));
    expect(missing[0]).toMatchObject({ aspect: 'schema' });
    expect(missing[0]!.documented).toMatch(/name/);
    const wrong = await checker.check(input(doc, { body: { id: 'it_1', name: 'Chair', price: 'ten' } }));
    expect(wrong[0]).toMatchObject({ aspect: 'schema', pointer: '/price', evidence: '"ten"' });
  });

  it('undeclared and missing required query parameters are findings', async () => {
    const f = await checker.check(input(doc, { query: { debug: '1' } }));
    expect(f.map((x) => x.aspect)).toEqual(['parameter', 'parameter']);
    expect(f.map((x) => x.actual).join(' ')).toMatch(/undeclared query parameter "debug".*not sent/);
  });

  it('a path the document does not have is an operation finding', async () => {
    const f = await checker.check(input(doc, { path: '/api/nothing/here' }));
    expect(f[0]).toMatchObject({ aspect: 'operation' });
  });
});

describe('conformance edge cases', () => {
  it('a null where the 3.0 schema is not nullable is a finding', async () => {
    const f = await createConformanceChecker().check(input('v30.yaml', { body: { id: 'it_1', name: null } }));
    expect(f[0]).toMatchObject({ aspect: 'schema', pointer: '/name' });
  });

  it('an undocumented content type is a finding (3.x)', async () => {
    const f = await createConformanceChecker().check(input('v30.yaml', { contentType: 'text/html', body: undefined }));
    expect(f[0]).toMatchObject({ aspect: 'content-type', actual: 'returned text/html' });
  });

  it('a missing or broken document is one finding, not an exception', async () => {
    const checker = createConformanceChecker();
    expect((await checker.check(input('nope.json')))[0]).toMatchObject({ aspect: 'operation', actual: 'the file does not exist' });
    expect((await checker.check(input('broken.yaml')))[0]!.actual).toMatch(/could not be read/);
  });
});

describe('references', () => {
  it('an http $ref is refused without any request being made', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"type":"object"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const dir = await mkdtemp(path.join(tmpdir(), 'ev-ref-'));
    try {
      const remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const text = (await readFile(path.join(FIXTURES, 'remote-ref.yaml.tmpl'), 'utf8')).replace('REMOTE', remote);
      await writeFile(path.join(dir, 'doc.yaml'), text);
      const f = await createConformanceChecker().check({ ...input('doc.yaml'), specAbsPath: path.join(dir, 'spec.md') });
      expect(f[0]).toMatchObject({ aspect: 'operation' });
      expect(f[0]!.actual).toMatch(/could not be read/);
      expect(requests).toBe(0);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
