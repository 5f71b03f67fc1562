import { describe, expect, it } from 'vitest';
import { JSONPathEnvironment } from 'json-p3';
import { checkJsonPath, evaluateJsonPath, MAX_QUERY_DEPTH, queryJsonPath } from '../../src/specfile/jsonpath.js';

describe('checkJsonPath', () => {
  it.each([
    ['$', true],
    ['$.data.clients[0].id', true],
    ["$['a b']", true],
    ['$.items[-1]', true],
    ['$.a[*].b', false],
    ["$['first','last']", false],
    ['$..name', false],
    ['$[0:2]', false],
    ["$.data[?@.status=='open'].id", false],
    ["$.data[?(@.status=='open')].id", false],
    ['$[?length(@.tags) > 1]', false],
    ["$[?match(@.name, 'J.*')]", false],
  ])('accepts %s (singular: %s)', (p, singular) => {
    expect(checkJsonPath(p)).toEqual({ ok: true, singular });
  });

  it.each([
    ['$.items[', 8],
    ['$.a.', 4],
    ['data.x', 1],
    ['', 1],
    ['$.a[]', 4],
    ['$.a[foo]', 5],
    ['$.a]', 4],
    ["$.data[?@.status=='open'", 24],
    ['$[?@.a ==]', 10],
  ])('rejects %s with the column inside the path (%i)', (p, col) => {
    const r = checkJsonPath(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.col).toBe(col);
  });

  it('says what is wrong', () => {
    expect(checkJsonPath('$.a.')).toEqual({ ok: false, message: 'expected a name, "*" or "[" after "."', col: 4 });
    expect(checkJsonPath('$.items[')).toEqual({ ok: false, message: 'unclosed bracketed selection', col: 8 });
  });

  it('refuses script syntax that other libraries evaluate as code', () => {
    for (const p of ["$..[?(@.constructor.constructor('return process')().exit())]", '$..book[(@.length-1)]', '$..*@string()', '$.a^', '$.`a']) {
      expect(checkJsonPath(p).ok, p).toBe(false);
    }
  });
});

describe('queryJsonPath', () => {
  const doc = { data: { clients: [{ id: 'c1', status: 'open' }, { id: 'c2', status: 'closed' }] }, n: 0 };

  it('returns the nodelist values in document order', () => {
    expect(queryJsonPath(doc, '$.data.clients[0].id')).toEqual(['c1']);
    expect(queryJsonPath(doc, '$.data.clients[-1].id')).toEqual(['c2']);
    expect(queryJsonPath(doc, '$.data.clients[*].id')).toEqual(['c1', 'c2']);
    expect(queryJsonPath(doc, "$.data.clients[?@.status=='open'].id")).toEqual(['c1']);
    expect(queryJsonPath(doc, '$..id')).toEqual(['c1', 'c2']);
    expect(queryJsonPath(doc, '$.n')).toEqual([0]);
    expect(queryJsonPath(false, '$')).toEqual([false]);
    expect(queryJsonPath(doc, '$.missing')).toEqual([]);
  });

  it('never evaluates code', () => {
    let called = false;
    const trap = {
      get x() {
        called = true;
        return 1;
      },
    };
    expect(() => queryJsonPath({ a: [trap] }, "$..[?(@.constructor.constructor('return process')().exit())]")).toThrow(/not a valid JSONPath/);
    expect(called).toBe(false);
  });

  it('throws for an invalid path instead of answering "no match"', () => {
    expect(() => queryJsonPath(doc, '$.items[')).toThrow(/not a valid JSONPath/);
  });
});

describe('evaluateJsonPath on deep bodies', () => {
  function nested(depth: number): unknown {
    const root: Record<string, unknown> = {};
    let cur = root;
    for (let i = 0; i < depth; i++) {
      const next: Record<string, unknown> = {};
      cur.a = next;
      cur = next;
    }
    return root;
  }

  it('a descendant query deeper than the limit is an evaluation error, not an empty nodelist', () => {
    const r = evaluateJsonPath(nested(MAX_QUERY_DEPTH + 500), '$..b');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`nested deeper than ${MAX_QUERY_DEPTH} levels`);
  });

  it('a body 10,000 deep is answered by a query that does not descend, and refused by one that does', () => {
    const body = nested(10_000);
    expect(evaluateJsonPath(body, '$.a.a.b')).toEqual({ ok: true, values: [], singular: true });
    expect(evaluateJsonPath(body, '$..a').ok).toBe(false);
  });
});

describe('plain paths walked without json-p3', () => {
  const env = new JSONPathEnvironment({ maxRecursionDepth: MAX_QUERY_DEPTH });
  const bodies: unknown[] = [
    { data: [{ id: 'a', n: null }, { id: 'b' }], meta: { page: 1 }, '0': 'zero', __proto__x: 1 },
    JSON.parse('{"__proto__": {"id": 7}, "constructor": 1, "data": {"0": "not an index"}}'),
    [[1, 2], { id: 'x' }],
    'text',
    null,
    42,
    { id: 10n },
  ];
  const paths = ['$', '$.data', '$.data[0].id', '$.data[1].id', '$.data[2]', '$.data[0].n', '$.meta.page', '$.data.length', '$[0]', '$[1].id', '$[0][1]', '$.__proto__', '$.__proto__.id', '$.constructor', '$.toString', '$.data[0]', '$.id'];
  it.each(paths)('%s selects what json-p3 selects', (p) => {
    for (const body of bodies) {
      const r = evaluateJsonPath(body, p);
      expect(r).toEqual({ ok: true, values: env.query(p, body as never).values(), singular: true });
    }
  });

  it('leaves paths with blanks, leading zeros, negative indexes and quoted names to json-p3', () => {
    expect(evaluateJsonPath([1, 2], '$[-1]')).toEqual({ ok: true, values: [2], singular: true });
    expect(evaluateJsonPath({ 'a b': 1 }, "$['a b']")).toEqual({ ok: true, values: [1], singular: true });
    expect(evaluateJsonPath([1], '$[ 0 ]')).toEqual({ ok: true, values: [1], singular: true });
    expect(checkJsonPath('$[01]').ok).toBe(false);
    expect(evaluateJsonPath([1], '$[01]').ok).toBe(false);
  });
});
