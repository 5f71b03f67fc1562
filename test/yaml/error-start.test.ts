import { describe, expect, it } from 'vitest';
import { yamlErrorStart } from '../../src/yaml/error-start.js';

describe('yamlErrorStart', () => {
  const at = (text: string, message: string): string | undefined => {
    const i = yamlErrorStart(text, text.length, message);
    return i === undefined ? undefined : `${text.slice(0, i).split('\n').length}:${text.slice(0, i).length - text.slice(0, i).lastIndexOf('\n')}`;
  };

  it('finds the quote that opens an unclosed scalar, not the end of the block', () => {
    const text = 'steps:\n  - id: a\n    path: "/x\n    expect:\n      status: [200]\n';
    expect(at(text, 'Missing closing "quote')).toBe('3:11');
  });

  it('skips closed quotes, escapes, doubled single quotes, apostrophes inside plain scalars and comments', () => {
    const text = `a: "x\\"y"\nb: 'it''s'\nc: it's plain # don't\nd: 'open\ne: 1\n`;
    expect(at(text, "Missing closing 'quote")).toBe('4:4');
  });

  it('finds the outermost unclosed flow collection', () => {
    expect(at('endpoint: GET /b\nstatus: [open\ntags: [a]\n', 'Flow sequence in block collection must be sufficiently indented and end with a ]')).toBe('2:9');
    expect(at('a: { b: [1, 2], c: 3\nd: 4\n', 'Flow mapping ... end with a }')).toBe('1:4');
  });

  it('leaves other errors to the parser', () => {
    expect(at('a: 1\n  b: 2\n', 'Nested mappings are not allowed in compact mappings')).toBeUndefined();
  });
});
