import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { checkJsonPath, queryJsonPath, walkPlainPath } from '../../src/spec/jsonpath.js';

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

describe('walkPlainPath, the direct walk for plain paths', () => {
  const key = fc.constantFrom('a', 'b', 'data', 'id', 'x_1', 'length', 'constructor', 'toString', '0', '1');
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, 0, 1, 'x', '', true),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  const segment = fc.oneof(key.map((k) => `.${k}`), fc.constantFrom('[0]', '[1]', '[2]', '[01]', '[-1]', "['a']", '[*]', '.*'));
  /** A path that follows the value's own keys for a while (chosen by `picks`), then random segments. */
  const pathInto = (value: unknown, picks: number[], tail: string[]): string => {
    let p = '$';
    let cur = value;
    for (const n of picks) {
      if (Array.isArray(cur) && cur.length > 0) {
        p += `[${n % cur.length}]`;
        cur = cur[n % cur.length];
      } else if (cur !== null && typeof cur === 'object' && Object.keys(cur).length > 0) {
        const k = Object.keys(cur)[n % Object.keys(cur).length]!;
        p += /^[A-Za-z_]\w*$/.test(k) ? `.${k}` : `['${k}']`;
        cur = (cur as Record<string, unknown>)[k];
      } else break;
    }
    return p + tail.join('');
  };
  const cases = fc
    .tuple(json, fc.array(fc.nat(), { maxLength: 4 }), fc.array(segment, { maxLength: 2 }))
    .map(([value, picks, tail]) => ({ value, path: pathInto(value, picks, tail) }));

  it('selects exactly what jsonpath-plus selects whenever it answers', () => {
    let walked = 0;
    fc.assert(
      fc.property(cases, ({ value, path: p }) => {
        const direct = walkPlainPath(value, p);
        if (direct === undefined) return;
        walked++;
        expect(direct).toEqual(JSONPath({ path: p, json: value as object, eval: false, wrap: true }));
      }),
      { numRuns: 3000 },
    );
    // The comparison means something only if the walk answered often.
    expect(walked).toBeGreaterThan(100);
  });

  it('answers the common extraction itself and leaves what it cannot walk to jsonpath-plus', () => {
    const body = { data: [{ id: 'a1' }, { id: null }], total: 2 };
    expect(walkPlainPath(body, '$.data[0].id')).toEqual(['a1']);
    expect(walkPlainPath(body, '$.data[1].id')).toEqual([null]);
    expect(walkPlainPath(body, '$.data[2].id')).toBeUndefined();
    expect(walkPlainPath(body, '$.data[*].id')).toBeUndefined();
    expect(walkPlainPath(body, '$.data.length')).toBeUndefined();
    expect(queryJsonPath(body, '$.data[*].id')).toEqual(['a1', null]);
  });
});
