import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/source/span.js';

describe('LineIndex', () => {
  it('maps offsets to 1-based line and column across LF, CRLF and lone CR', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const idx = new LineIndex(text);
    expect(idx.lineCount).toBe(4);
    expect(idx.position(0)).toEqual({ line: 1, col: 1 });
    expect(idx.position(text.indexOf('d'))).toEqual({ line: 2, col: 2 });
    expect(idx.position(text.indexOf('e'))).toEqual({ line: 3, col: 1 });
    expect(idx.position(text.indexOf('h'))).toEqual({ line: 4, col: 2 });
    expect(idx.lineText(2)).toBe('cd');
    expect(idx.lineText(3)).toBe('ef');
  });

  it('clamps offsets outside the text', () => {
    const idx = new LineIndex('x\ny');
    expect(idx.position(-5)).toEqual({ line: 1, col: 1 });
    expect(idx.position(99)).toEqual({ line: 2, col: 2 });
  });

  it('builds spans with end positions', () => {
    const idx = new LineIndex('key: value\n');
    expect(idx.span('f.md', 5, 10)).toEqual({ file: 'f.md', line: 1, col: 6, endLine: 1, endCol: 11 });
  });

  it('answers lookups in any order as if each were the first (it remembers the last line it found)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n')).map((parts) => parts.join('')), fc.array(fc.integer({ min: -2, max: 60 })), (text, offsets) => {
        const shared = new LineIndex(text);
        for (const o of offsets) expect(shared.position(o)).toEqual(new LineIndex(text).position(o));
      }),
    );
  });
});
