import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/run/chain/types.js';
import { checkExpect } from '../../src/run/expect.js';
import { ResponseView } from '../../src/run/extract.js';
import { createRedactor } from '../../src/secret/index.js';
import type { Expect } from '../../src/specfile/model.js';

const BODY = {
  id: 7,
  price: 9.5,
  name: 'Ada Lovelace',
  active: true,
  tags: ['vip', 'new'],
  owner: null,
  items: [{ id: 'a' }, { id: 'b' }],
  meta: { page: 1 },
};

function view(o: { body?: string; status?: number; headers?: Record<string, string>; secrets?: string[] } = {}): ResponseView {
  const bodyText = o.body ?? JSON.stringify(BODY);
  const response: HttpResponse = {
    status: o.status ?? 200,
    headers: o.headers ?? { 'content-type': 'application/json', 'x-request-id': 'req-1' },
    bodyText,
    bodyBytes: bodyText.length,
    finalUrl: 'http://127.0.0.1/x',
  };
  return new ResponseView(response, createRedactor(o.secrets));
}

async function check(e: Expect, v = view(), durationMs = 10): Promise<ReturnType<typeof checkExpect>> {
  const redact = v.redact as ReturnType<typeof createRedactor>;
  return checkExpect(e, v, { durationMs, redact: (x) => redact.value(x) });
}

/** The assertions after the status one, as [op, passed, expected, actual]. */
async function body(path: string, a: NonNullable<Expect['body']>[string], v = view()): Promise<[string, boolean, unknown, unknown][]> {
  const r = await check({ body: { [path]: a } }, v);
  return r.slice(1).map((x) => [x.op, x.passed, x.expected, x.actual]);
}

describe('status', () => {
  it('absent means any 2xx', async () => {
    expect((await check({}, view({ status: 204 })))[0]).toMatchObject({ kind: 'status', expected: '2xx', actual: 204, passed: true });
    expect((await check({}, view({ status: 302 })))[0]).toMatchObject({ passed: false, actual: 302, message: 'status 302, expected 2xx' });
  });

  it('a number or a list', async () => {
    expect((await check({ status: 201 }, view({ status: 201 })))[0]).toMatchObject({ op: 'in', expected: [201], actual: 201, passed: true });
    expect((await check({ status: [200, 201] }, view({ status: 422 })))[0]).toMatchObject({ expected: [200, 201], actual: 422, passed: false, message: 'status 422, expected 200 or 201' });
  });
});

describe('body assertions', () => {
  it('equals (deep)', async () => {
    expect(await body('$.meta', { equals: { page: 1 } })).toEqual([['equals', true, { page: 1 }, { page: 1 }]]);
    expect(await body('$.id', { equals: '7' })).toEqual([['equals', false, '7', 7]]);
  });

  it('exists, both ways', async () => {
    expect(await body('$.owner', { exists: true })).toEqual([['exists', true, true, null]]);
    expect(await body('$.nope', { exists: false })).toEqual([['exists', true, false, undefined]]);
    expect(await body('$.nope', { exists: true })).toEqual([['exists', false, true, undefined]]);
    expect(await body('$.id', { exists: false })).toEqual([['exists', false, false, 7]]);
  });

  it('type, with integer distinct from number', async () => {
    expect(await body('$.id', { type: 'integer' })).toEqual([['type', true, 'integer', 7]]);
    expect(await body('$.id', { type: 'number' })).toEqual([['type', true, 'number', 7]]);
    expect(await body('$.price', { type: 'integer' })).toEqual([['type', false, 'integer', 9.5]]);
    expect(await body('$.tags', { type: 'array' })).toEqual([['type', true, 'array', ['vip', 'new']]]);
    expect(await body('$.owner', { type: 'null' })).toEqual([['type', true, 'null', null]]);
    expect(await body('$.meta', { type: 'string' })).toEqual([['type', false, 'string', { page: 1 }]]);
  });

  it('matches', async () => {
    expect(await body('$.name', { matches: '^Ada ' })).toEqual([['matches', true, '^Ada ', 'Ada Lovelace']]);
    expect(await body('$.name', { matches: '^Grace' })).toEqual([['matches', false, '^Grace', 'Ada Lovelace']]);
    expect((await check({ body: { '$.name': { matches: '(' } } }))[1]).toMatchObject({ passed: false, message: expect.stringContaining('does not compile') });
  });

  it('length: exact or bounds, on arrays and strings', async () => {
    expect(await body('$.tags', { length: 2 })).toEqual([['length', true, 2, 2]]);
    expect(await body('$.tags', { length: { min: 3 } })).toEqual([['length', false, { min: 3 }, 2]]);
    expect(await body('$.name', { length: { min: 1, max: 20 } })).toEqual([['length', true, { min: 1, max: 20 }, 12]]);
    expect(await body('$.id', { length: 1 })).toEqual([['length', false, 1, 'integer']]);
  });

  it('contains: an element of a list or a substring', async () => {
    expect(await body('$.tags', { contains: 'vip' })).toEqual([['contains', true, 'vip', ['vip', 'new']]]);
    expect(await body('$.items', { contains: { id: 'b' } })).toEqual([['contains', true, { id: 'b' }, BODY.items]]);
    expect(await body('$.tags', { contains: 'old' })).toEqual([['contains', false, 'old', ['vip', 'new']]]);
    expect(await body('$.name', { contains: 'Love' })).toEqual([['contains', true, 'Love', 'Ada Lovelace']]);
  });

  it('oneOf', async () => {
    expect(await body('$.id', { oneOf: [1, 7] })).toEqual([['oneOf', true, [1, 7], 7]]);
    expect(await body('$.active', { oneOf: ['true'] })).toEqual([['oneOf', false, ['true'], true]]);
  });

  it('several matches are compared as a list; several keys are several assertions', async () => {
    expect(await body('$.items[*].id', { equals: ['a', 'b'], length: 2 })).toEqual([
      ['equals', true, ['a', 'b'], ['a', 'b']],
      ['length', true, 2, 2],
    ]);
  });

  it('a missing path fails every operator with "not found"', async () => {
    const r = await check({ body: { '$.gone': { equals: 1, type: 'string' } } });
    expect(r.slice(1).map((a) => [a.op, a.passed, a.message])).toEqual([
      ['equals', false, '$.gone not found'],
      ['type', false, '$.gone not found'],
    ]);
  });

  it('a non-JSON body fails body assertions with the content type', async () => {
    const r = await check({ body: { '$.id': { exists: true } } }, view({ body: '<html>oops</html>', headers: { 'content-type': 'text/html' } }));
    expect(r[1]).toMatchObject({ kind: 'body', passed: false, message: 'expected JSON, got text/html: <html>oops</html>' });
  });

  it('actual values are redacted', async () => {
    const secret = 'canary-secret-abcdef';
    const v = view({ body: JSON.stringify({ note: `token ${secret}` }), secrets: [secret] });
    const r = await check({ body: { '$.note': { equals: 'x' } } }, v);
    expect(r[1]).toMatchObject({ passed: false, actual: 'token ***' });
    expect(JSON.stringify(r)).not.toContain(secret);
  });
});

describe('headers, maxMs and schema', () => {
  it('headers: exact string or an assertion, names case-insensitive', async () => {
    const r = await check({ headers: { 'Content-Type': 'application/json', 'X-Request-Id': { matches: '^req-' }, 'X-Absent': { exists: true } } });
    expect(r.slice(1).map((a) => [a.kind, a.target, a.op, a.passed, a.actual])).toEqual([
      ['header', 'Content-Type', 'equals', true, 'application/json'],
      ['header', 'X-Request-Id', 'matches', true, 'req-1'],
      ['header', 'X-Absent', 'exists', false, undefined],
    ]);
  });

  it('maxMs compares the step duration', async () => {
    expect((await check({ maxMs: 100 }, view(), 40))[1]).toMatchObject({ kind: 'maxMs', op: '<=', expected: 100, actual: 40, passed: true });
    expect((await check({ maxMs: 100 }, view(), 250))[1]).toMatchObject({ expected: 100, actual: 250, passed: false });
  });

  it('schema: valid, invalid with the failing pointer, a broken schema, a non-JSON body', async () => {
    const schema = {
      type: 'object',
      required: ['id', 'tags'],
      properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } }, name: { type: 'string', format: 'email' } },
    };
    expect((await check({ schema: { type: 'object', required: ['id'] } }))[1]).toMatchObject({ kind: 'schema', passed: true });
    const bad = (await check({ schema }))[1]!;
    expect(bad).toMatchObject({ kind: 'schema', op: 'valid', passed: false, target: '/name' });
    expect(bad.message).toMatch(/\/name must match format "email"/);
    // Compiled once and reused: the same object gives the same answer again.
    expect((await check({ schema }))[1]).toMatchObject({ passed: false, target: '/name' });
    const broken = (await check({ schema: { type: 'nonsense' } }))[1]!;
    expect(broken).toMatchObject({ passed: false, expected: 'a valid JSON Schema' });
    const html = (await check({ schema }, view({ body: '<p>', headers: { 'content-type': 'text/html' } })))[1]!;
    expect(html).toMatchObject({ passed: false, message: expect.stringMatching(/^expected JSON, got text\/html/) });
  });
});

describe('RFC 9535 nodelists', () => {
  it('a singular query is its value, absent when nothing matches', async () => {
    expect(await body('$.items[-1].id', { equals: 'b' })).toEqual([['equals', true, 'b', 'b']]);
    expect(await body('$.nope', { exists: false })).toEqual([['exists', true, false, undefined]]);
    expect(await body('$', { equals: false }, view({ body: 'false' }))).toEqual([['equals', true, false, false]]);
  });

  it('any other query is a list: empty, one or many', async () => {
    expect(await body('$[*].id', { contains: 4 }, view({ body: '[{"id":4}]' }))).toEqual([['contains', true, 4, [4]]]);
    expect(await body('$[*]', { length: 0 }, view({ body: '[]' }))).toEqual([['length', true, 0, 0]]);
    expect(await body("$['name','active']", { equals: ['Ada Lovelace', true] })).toEqual([['equals', true, ['Ada Lovelace', true], ['Ada Lovelace', true]]]);
    expect(await body('$.items[?@.id=="z"]', { exists: false })).toEqual([['exists', true, false, []]]);
    expect(await body('$..id', { type: 'array' })).toEqual([['type', true, 'array', [7, 'a', 'b']]]);
  });

  it('a query that cannot be evaluated fails with its own message, so exists: false cannot pass on it', async () => {
    const deep = `${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}`;
    const r = await check({ body: { '$..a': { exists: false } } }, view({ body: deep }));
    expect(r[1]).toMatchObject({ op: 'evaluate', passed: false });
    expect(r[1]?.message).toMatch(/could not evaluate \$\.\.a: the body is nested deeper than/);
  });
});

describe('exact numbers', () => {
  it('an integer beyond 2^53 compares exactly', async () => {
    const v = (): ResponseView => view({ body: '{"id":9007199254740993}' });
    expect(await body('$.id', { equals: 9007199254740993n as unknown as number }, v())).toEqual([['equals', true, '9007199254740993', '9007199254740993']]);
    expect((await body('$.id', { equals: 9007199254740992 }, v()))[0]?.[1]).toBe(false);
    expect(await body('$.id', { type: 'integer' }, v())).toEqual([['type', true, 'integer', '9007199254740993']]);
  });
});

describe('stored actual values', () => {
  it('are capped in depth and size, whatever the body', async () => {
    const wide = JSON.stringify({ list: Array.from({ length: 10_000 }, (_, i) => ({ i })) });
    const [[, passed, , actual]] = (await body('$.list', { length: 3 }, view({ body: wide }))) as [[string, boolean, unknown, unknown]];
    expect(passed).toBe(false);
    const r = await check({ body: { '$.list': { equals: [] } } }, view({ body: wide }));
    const stored = r[1]?.actual as unknown[];
    expect(stored).toHaveLength(51);
    expect(stored[50]).toBe('[… 9950 more items]');
    expect(actual).toBe(10_000);
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const d = await check({ body: { '$.a': { equals: 1 } } }, view({ body: deep }));
    expect(d[1]?.passed).toBe(false);
    expect(JSON.stringify(d[1]?.actual).length).toBeLessThan(200);
  });
});

describe('filters over big integers', () => {
  it('compare them as numbers and return them exactly', async () => {
    const v = (): ResponseView => view({ body: '{"data":[{"id":9007199254740993,"s":"a"},{"id":12,"s":"b"}]}' });
    expect(await body('$.data[?@.id > 100].id', { equals: [9007199254740993n as unknown as number] }, v())).toEqual([['equals', true, ['9007199254740993'], ['9007199254740993']]]);
    expect(await body("$.data[?@.s == 'a'].id", { length: 1 }, v())).toEqual([['length', true, 1, 1]]);
  });
});

describe('schema over a very deep body', () => {
  it('a recursive schema that exhausts the stack fails with its own message', async () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    const schema = { $ref: '#/definitions/node', definitions: { node: { type: 'object', properties: { a: { $ref: '#/definitions/node' } } } } };
    const r = await check({ schema }, view({ body: deep }));
    expect(r[1]).toMatchObject({ kind: 'schema', passed: false });
    expect(r[1]?.message).toContain('nested too deeply');
  });
});
