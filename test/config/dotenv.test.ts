import { describe, expect, it } from 'vitest';
import { parseDotEnv } from '../../src/config/dotenv.js';
import { expandVars } from '../../src/config/expand.js';

describe('parseDotEnv', () => {
  it('reads pairs, export prefixes, quotes, escapes and comments', () => {
    const text = [
      '\uFEFF# a comment',
      'PLAIN=value # trailing comment',
      'export EXPORTED=yes',
      'SPACED = around ',
      'DQ="two words # not a comment"',
      "SQ='literal \\n $HOME'",
      'ESC="line1\\nline2\\t\\"q\\""',
      'EMPTY=',
      'URL=https://h/x#frag',
      'MULTI="first',
      'second"',
      'BT=`tick`',
    ].join('\r\n');
    const { values, diagnostics } = parseDotEnv(text, '.env');
    expect(diagnostics).toEqual([]);
    expect(values).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      DQ: 'two words # not a comment',
      SQ: 'literal \\n $HOME',
      ESC: 'line1\nline2\t"q"',
      EMPTY: '',
      URL: 'https://h/x#frag',
      MULTI: 'first\nsecond',
      BT: 'tick',
    });
  });

  it('skips a bad line or an unclosed quote with a warning at its line, keeping the rest', () => {
    const { values, diagnostics } = parseDotEnv('A=1\n1BAD=x\nB="open\nC=3', 'cfg/.env');
    expect(values).toEqual({ A: '1', C: '3' });
    expect(diagnostics.map((d) => [d.code, d.severity, d.span?.file, d.span?.line])).toEqual([
      ['config-dotenv', 'warning', 'cfg/.env', 2],
      ['config-dotenv', 'warning', 'cfg/.env', 3],
    ]);
  });
});

describe('expandVars', () => {
  it('substitutes ${NAME}, uses :- defaults for unset or empty, and reports each missing name once', () => {
    const env = { HOST: 'http://h', EMPTY: '' };
    expect(expandVars('${HOST}/a', env)).toEqual({ value: 'http://h/a', missing: [] });
    expect(expandVars('${EMPTY:-d}|${NOPE:-}|${HOST:-x}', env)).toEqual({ value: 'd||http://h', missing: [] });
    expect(expandVars('${NOPE}/${EMPTY}/${NOPE}', env).missing).toEqual(['NOPE', 'EMPTY']);
  });

  it('leaves $$-escaped and non-variable text alone', () => {
    expect(expandVars('$${HOST} $HOST ${1X}', { HOST: 'h' })).toEqual({ value: '${HOST} $HOST ${1X}', missing: [] });
  });
});
