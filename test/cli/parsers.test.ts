import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { keyValue } from '../../src/cli/parsers.js';

describe('--var', () => {
  it('name=value is a string, name:=<JSON> a typed value', () => {
    let vars = keyValue('label=25');
    vars = keyValue('n:=25', vars);
    vars = keyValue('on:=true', vars);
    vars = keyValue('nothing:=null', vars);
    vars = keyValue('s:="25"', vars);
    vars = keyValue('id:=9007199254740993', vars);
    vars = keyValue('eq=a=b', vars);
    expect(vars).toEqual({ label: '25', n: 25, on: true, nothing: null, s: '25', id: 9007199254740993n, eq: 'a=b' });
  });

  it.each(['n:=abc', 'n:=[1]', 'n:={}', ':=1', 'noequals'])('refuses %s with a clear message', (arg) => {
    expect(() => keyValue(arg)).toThrow(InvalidArgumentError);
  });
});
