import { describe, expect, it } from 'vitest';
import { checkJsonPath, queryJsonPath } from '../../src/spec/jsonpath.js';

describe('checkJsonPath', () => {
  it.each(['$', '$.data.clients[0].id', '$.a[*].b', "$['a b']", '$["x"][1]', '$..name', '$..[0]', '$[0:2]', '$[-1]', '$[0,1]', "$['a','b']", '$.content-type', '$.*'])('accepts %s', (p) => {
    expect(checkJsonPath(p)).toEqual({ ok: true });
  });

  it.each([
    ['$.items[', 8],
    ['$.a.', 5],
    ['data.x', 1],
    ['', 1],
    ['$.a[]', 5],
    ['$.a[foo]', 5],
    ['$.a]', 4],
  ])('rejects malformed %s at column %i', (p, col) => {
    const r = checkJsonPath(p);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.col).toBe(col);
  });

  it.each([
    "$..[?(@.constructor.constructor('return process')().exit())]",
    '$[?(@.price < 10)]',
    '$..book[(@.length-1)]',
    "$['?(@.x)']",
    "$[?(@.a=='x')]",
    '$..*@string()',
    '$.a^',
    '$.a~',
    '$.`a',
    "$..[?(this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id'))]",
  ])('refuses script, filter and other evaluating syntax: %s', (p) => {
    const r = checkJsonPath(p);
    expect(r.ok).toBe(false);
  });

  it('names the script problem', () => {
    const r = checkJsonPath('$..[?(@.x)]');
    expect(r.ok === false && r.message).toContain('filter');
    expect(r.ok === false && r.col).toBe(5);
  });
});

describe('queryJsonPath', () => {
  const doc = { data: { clients: [{ id: 'c1' }, { id: 'c2' }] }, n: 0 };

  it('returns every match as a list', () => {
    expect(queryJsonPath(doc, '$.data.clients[0].id')).toEqual(['c1']);
    expect(queryJsonPath(doc, '$.data.clients[*].id')).toEqual(['c1', 'c2']);
    expect(queryJsonPath(doc, '$..id')).toEqual(['c1', 'c2']);
    expect(queryJsonPath(doc, '$.n')).toEqual([0]);
    expect(queryJsonPath(doc, '$.missing')).toEqual([]);
  });

  it('never evaluates and never throws', () => {
    let called = false;
    const trap = { get x() { called = true; return 1; } };
    expect(queryJsonPath({ a: [trap] }, "$..[?(@.constructor.constructor('return process')().exit())]")).toEqual([]);
    expect(queryJsonPath(doc, '$.items[')).toEqual([]);
    expect(queryJsonPath(undefined, '$.a')).toEqual([]);
    expect(called).toBe(false);
  });
});
