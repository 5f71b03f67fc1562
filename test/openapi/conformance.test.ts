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
 * The checker on its own: the same deviating answers against Swagger 2.0,
 * OpenAPI 3.0 and 3.1 documents; each deviation is a finding, each
 * conforming answer none.
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

  it('a conforming answer has no finding (a null note is allowed: x-nullable, nullable, type [string, null])', async () => {
    expect(await checker.check(input(doc))).toEqual([]);
  });

  it('an undocumented status is a finding listing the documented ones, with the body as evidence', async () => {
    const f = await checker.check(input(doc, { status: 422, body: { error: 'Unauthorized' }, bodyText: '{"error":"Unauthorized"}' }));
    expect(f).toEqual([{ stepId: 'get_item', aspect: 'status', documented: 'responses: 200', actual: 'returned 422', evidence: '{"error":"Unauthorized"}', severity: 'warning' }]);
  });

  it('a missing required field is a schema finding pointing at the field', async () => {
    const f = await checker.check(input(doc, { body: { id: 'it_1' } }));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ aspect: 'schema', pointer: '/name', actual: '/name is missing', severity: 'warning' });
    expect(f[0]!.documented).toMatch(/required property "name"/);
  });

  it('a wrong type is a schema finding with the offending value as evidence', async () => {
    const f = await checker.check(input(doc, { body: { id: 'it_1', name: 'Chair', price: 'ten' } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/price', evidence: '"ten"', actual: '/price is string' })]);
    expect(f[0]!.documented).toMatch(/must be number/);
  });

  it('several failing keywords are one finding each', async () => {
    const f = await checker.check(input(doc, { body: { id: 7, price: 'ten' } }));
    expect(f.map((x) => x.pointer).sort()).toEqual(['/id', '/name', '/price']);
  });

  it('a null where the schema is not nullable is a finding', async () => {
    const f = await checker.check(input(doc, { body: { id: 'it_1', name: null } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/name', actual: '/name is null', evidence: 'null' })]);
  });

  it('an undeclared query parameter and a missing required one are findings', async () => {
    const f = await checker.check(input(doc, { query: { debug: '1' } }));
    expect(f.map((x) => [x.aspect, x.actual])).toEqual([
      ['parameter', 'sent undeclared query parameter "debug"'],
      ['parameter', 'not sent'],
    ]);
    expect(f[0]!.documented).toBe('query parameters: expand, locale');
    expect(f[1]!.documented).toBe('query parameter "locale" is required');
  });

  it('an undocumented content type is a finding (charset ignored)', async () => {
    const f = await checker.check(input(doc, { contentType: 'text/html; charset=utf-8', body: undefined }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'content-type', actual: 'returned text/html' })]);
    expect(f[0]!.documented).toMatch(/application\/json/);
  });

  it('a path the document does not have is an operation finding; a known path with another method says which', async () => {
    expect((await checker.check(input(doc, { path: '/api/nothing/here' })))[0]).toMatchObject({ aspect: 'operation' });
    const other = await checker.check(input(doc, { method: 'DELETE' }));
    expect(other).toEqual([expect.objectContaining({ aspect: 'operation', documented: '/api/items/it_1 documents GET only', actual: 'DELETE answered 200' })]);
  });
});

describe('conformance: OpenAPI 3.0 details', () => {
  const checker = createConformanceChecker();
  const thing = (over: Partial<ConformanceInput> = {}) =>
    input('extras.yaml', { path: '/things/t1', pathTemplate: '/things/{{id}}', query: {}, body: { id: 't1', count: 1 }, ...over });

  it('2XX ranges and default responses are documented statuses, with their own schemas', async () => {
    expect(await checker.check(thing({ status: 201 }))).toEqual([]);
    expect(await checker.check(thing({ status: 404, body: { error: 'gone' } }))).toEqual([]);
    // default's schema comes from a $ref into another local file
    const f = await checker.check(thing({ status: 500, body: { message: 'boom' } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/error', documented: 'default response: /error required property "error"' })]);
  });

  it('boolean exclusiveMinimum (3.0 style) is honoured', async () => {
    const f = await checker.check(thing({ body: { id: 't1', count: 0 } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/count', evidence: '0' })]);
  });

  it('nullable next to allOf admits null and still checks a present value', async () => {
    expect(await checker.check(thing({ body: { id: 't1', count: 1, owner: null } }))).toEqual([]);
    const f = await checker.check(thing({ body: { id: 't1', count: 1, owner: {} } }));
    expect(f.map((x) => x.pointer)).toEqual(['/owner']);
  });

  it('a discriminated oneOf is one finding at the property, not one per branch', async () => {
    expect(await checker.check(thing({ body: { id: 't1', count: 1, pet: { petType: 'cat', lives: 9 } } }))).toEqual([]);
    const f = await checker.check(thing({ body: { id: 't1', count: 1, pet: { petType: 'cat', bark: 'woof' } } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/pet' })]);
  });

  it('circular schemas are checked through their cycle', async () => {
    const f = await checker.check(thing({ body: { id: 't1', count: 1, parent: { id: 't0', count: 'x' } } }));
    expect(f).toEqual([expect.objectContaining({ aspect: 'schema', pointer: '/parent/count', evidence: '"x"' })]);
  });

  it('a property named "example" is checked, not dropped as an annotation', async () => {
    const f = await checker.check(thing({ body: { id: 't1', count: 1, example: 5 } }));
    expect(f.map((x) => x.pointer)).toEqual(['/example']);
  });

  it('path-level parameters count, and deepObject / exploded object parameters accept their keys', async () => {
    expect(await checker.check(thing({ query: { trace: 'true', 'filter[status]': 'open' } }))).toEqual([]);
    expect(await checker.check(input('extras.yaml', { path: '/search', query: { a: 'x', anything: 'y' }, body: [] }))).toEqual([]);
  });

  it('the literal template wins over a placeholder, and a templated server URL still gives its prefix', async () => {
    // /things/special documents no content and only 200: a JSON body there is fine, 201 is not
    expect(await checker.check(thing({ path: '/v9/things/special', body: { anything: 1 } }))).toEqual([]);
    expect((await checker.check(thing({ path: '/v9/things/special', status: 201 })))[0]).toMatchObject({ aspect: 'status', documented: 'responses: 200' });
  });

  it('a */* content type accepts any type', async () => {
    expect(await checker.check(input('extras.yaml', { path: '/search', query: {}, contentType: 'text/csv', body: undefined }))).toEqual([]);
  });

  it('evidence is at most 120 characters', async () => {
    const long = 'x'.repeat(500);
    const f = await checker.check(thing({ status: 200, body: { id: long, count: 'no' } }));
    const s = await checker.check(input('v30.yaml', { status: 418, bodyText: long }));
    for (const x of [...f, ...s]) expect(x.evidence === undefined || x.evidence.length <= 120).toBe(true);
    expect(s[0]!.evidence).toHaveLength(120);
  });
});

describe('conformance: unusable documents', () => {
  it('a missing document is one finding per spec, and the checker goes on', async () => {
    const checker = createConformanceChecker();
    const first = await checker.check(input('nope.json'));
    expect(first).toEqual([expect.objectContaining({ aspect: 'operation', documented: 'an OpenAPI document at nope.json', actual: 'the file does not exist', severity: 'warning' })]);
    expect(await checker.check(input('nope.json', { stepId: 'second' }))).toEqual([]);
    expect(await checker.check(input('nope.json', { specAbsPath: path.join(FIXTURES, 'other.md') }))).toHaveLength(1);
    expect(await checker.check(input('v30.yaml'))).toEqual([]);
  });

  it('a broken document is a finding that says why', async () => {
    const f = await createConformanceChecker().check(input('broken.yaml'));
    expect(f).toEqual([expect.objectContaining({ aspect: 'operation' })]);
    expect(f[0]!.actual).toMatch(/^the document could not be read: /);
  });

  it('a file that is not an OpenAPI document is a finding', async () => {
    const f = await createConformanceChecker().check(input('ext-schemas.yaml'));
    expect(f[0]!.actual).toBe('the document could not be read: ext-schemas.yaml is not a valid Openapi API definition');
  });

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
      expect(f).toEqual([expect.objectContaining({ aspect: 'operation' })]);
      expect(f[0]!.actual).toMatch(/could not be read/);
      expect(requests).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
