import { describe, expect, it } from 'vitest';
import { decodeSpec } from '../../src/specfile/decode.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('decodeSpec', () => {
  it('decodes UTF-8 and strips a BOM', () => {
    expect(decodeSpec(bytes('a: é\n'), 'f')).toEqual({ text: 'a: é\n', bom: false, diagnostics: [] });
    expect(decodeSpec(bytes([0xef, 0xbb, 0xbf], 'x'), 'f')).toEqual({ text: 'x', bom: true, diagnostics: [] });
  });

  it.each([
    ['a lone continuation byte', bytes('ab\ncd', [0x80]), 2, 3],
    ['a truncated sequence', bytes('---\nx: ', [0xe2, 0x82]), 2, 4],
    ['an overlong encoding', bytes('ok\r\nü ', [0xc0, 0xaf]), 2, 3],
    ['a surrogate', bytes([0xed, 0xa0, 0x80]), 1, 1],
    ['latin-1 after a BOM', bytes([0xef, 0xbb, 0xbf], 'caf', [0xe9]), 1, 4],
  ])('refuses %s with the position of the first bad byte', (_name, input, line, col) => {
    const r = decodeSpec(input, 'f.md');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.span?.line, d.span?.col])).toEqual([['invalid-utf8', 'error', line, col]]);
  });

  it('refuses empty and BOM-only files', () => {
    for (const b of [bytes(''), bytes([0xef, 0xbb, 0xbf]), bytes('\n\n')]) {
      const r = decodeSpec(b, 'f.md');
      expect(r.diagnostics.map((d) => [d.code, d.message])).toEqual([['empty-file', 'empty spec file']]);
    }
  });
});
