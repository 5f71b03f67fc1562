import { describe, expect, it } from 'vitest';
import { displayText, jsonEquals, parseJson, storeValue, stringifyJson, toDoubles } from '../../src/run/json-value.js';

describe('JSON values with exact integers', () => {
  it('parses integers beyond 2^53 as bigint and everything else as JSON.parse does', () => {
    expect(parseJson('{"id":9007199254740993,"n":9007199254740991,"f":1.5,"s":"12345678901234567"}')).toEqual({ id: 9007199254740993n, n: 9007199254740991, f: 1.5, s: '12345678901234567' });
    expect(parseJson('[1,2]')).toEqual([1, 2]);
    expect(() => parseJson('{"id":90071992547409930,')).toThrow(SyntaxError);
  });

  it('a body too deep for the lossless parser still parses', () => {
    const deep = `${'['.repeat(20_000)}12345678901234567${']'.repeat(20_000)}`;
    expect(Array.isArray(parseJson(deep))).toBe(true);
  });

  it('compares numbers by value, bigint and number alike', () => {
    expect(jsonEquals(9007199254740993n, 9007199254740993n)).toBe(true);
    expect(jsonEquals(9007199254740993n, 9007199254740992)).toBe(false);
    expect(jsonEquals(4n, 4)).toBe(true);
    expect(jsonEquals({ a: [1, { b: 2n }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(jsonEquals([1], { 0: 1 })).toBe(false);
  });

  it('serializes bigint as a JSON number, and shows it as digits', () => {
    expect(stringifyJson({ id: 9007199254740993n })).toBe('{"id":9007199254740993}');
    expect(displayText(9007199254740993n)).toBe('9007199254740993');
    expect(displayText({ id: 9007199254740993n })).toBe('{"id":"9007199254740993"}');
    expect(toDoubles({ a: [9007199254740993n] })).toEqual({ a: [9007199254740992] });
    const plain = { a: [1] };
    expect(toDoubles(plain)).toBe(plain);
  });

  it('stores a bounded, plain copy', () => {
    expect(storeValue('x'.repeat(1500))).toBe(`${'x'.repeat(1000)}… (500 more characters)`);
    expect(storeValue({ a: { b: { c: 1 } } }, { depth: 2, width: 50, total: 500 })).toEqual({ a: { b: '[… object of 1 keys nested deeper than 2 levels]' } });
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const stored = storeValue(many) as Record<string, unknown>;
    expect(Object.keys(stored)).toHaveLength(51);
    expect(stored['…']).toBe('10 more keys');
  });
});
