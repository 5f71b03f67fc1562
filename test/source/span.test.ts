import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/source/span.js';

/** Line and column by walking the text from the start: \r\n, \n and a lone \r each end a line. */
function naivePosition(text: string, offset: number): { line: number; col: number } {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let start = 0;
  for (let i = 0; i < o; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: o - start + 1 };
}

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

  it('answers lookups in any order like a walk from the start (it remembers the last line it found)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n')).map((parts) => parts.join('')), fc.array(fc.integer({ min: -2, max: 60 })), (text, offsets) => {
        const shared = new LineIndex(text);
        for (const o of offsets) expect(shared.position(o)).toEqual(naivePosition(text, o));
        for (let k = 1; k < offsets.length; k++) {
          const a = naivePosition(text, offsets[k - 1]!);
          const b = naivePosition(text, offsets[k]!);
          expect(shared.span('f.md', offsets[k - 1]!, offsets[k])).toEqual({ file: 'f.md', line: a.line, col: a.col, endLine: b.line, endCol: b.col });
        }
      }),
    );
  });
});
