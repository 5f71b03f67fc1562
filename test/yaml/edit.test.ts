import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editFrontMatter } from '../../src/specfile/front-matter-edit.js';
import { parseSpec } from '../../src/specfile/parse.js';
import { TopLevelEditor, type ScalarStyle } from '../../src/yaml/edit.js';

function open(text: string, eol = '\n'): TopLevelEditor {
  const e = TopLevelEditor.open(text, eol);
  if (typeof e === 'string') throw new Error(e);
  return e;
}

describe('TopLevelEditor', () => {
  it('reads values, styles and editability in one parse', () => {
    const e = open("a: 1 # n\nb: 'x'\nc:\nd: [1]\ne: |\n  t\nf: \"q\"\n");
    expect(e.get('a')).toMatchObject({ value: 1, style: 'PLAIN', editable: true, lineStart: 0, lineEnd: 9 });
    expect(e.get('b')).toMatchObject({ value: 'x', style: 'QUOTE_SINGLE', editable: true });
    expect(e.get('c')).toMatchObject({ value: null, editable: true });
    expect(e.get('c')?.style).toBeUndefined();
    expect(e.get('d')).toMatchObject({ value: undefined, editable: false });
    expect(e.get('e')).toMatchObject({ value: 't\n', editable: false });
    expect(e.get('f')).toMatchObject({ value: 'q', style: 'QUOTE_DOUBLE' });
    expect(e.get('g')).toBeUndefined();
  });

  it('refuses what it cannot edit in place: syntax errors, duplicate keys, flow or sequence tops', () => {
    expect(TopLevelEditor.open('a: [1\n', '\n')).toBe('syntax');
    expect(TopLevelEditor.open('a: 1\na: 2\n', '\n')).toBe('syntax');
    expect(TopLevelEditor.open('{a: 1}\n', '\n')).toBe('not-a-block-mapping');
    expect(TopLevelEditor.open('- a\n', '\n')).toBe('not-a-block-mapping');
    expect(typeof TopLevelEditor.open('', '\n')).toBe('object');
    expect(typeof TopLevelEditor.open('# only a comment\n', '\n')).toBe('object');
  });

  it('changes only the value: quotes, comment and CRLF stay', () => {
    const e = open("x: 1\r\nb: 'old'   # why\r\nc: # later\r\n", '\r\n');
    expect(e.set('b', "it's")).toBe(true);
    expect(e.set('c', 'now')).toBe(true);
    expect(e.set('n', 2)).toBe(true);
    expect(e.toString()).toBe("x: 1\r\nb: 'it''s'   # why\r\nc: now # later\r\nn: 2\r\n");
  });

  it('quotes a plain string that would read back as another type, and keeps line breaks on one line', () => {
    const e = open('a: x\nb: y\n');
    e.set('a', 'true');
    e.set('b', 'line 1\nline 2');
    e.set('c', '*!');
    expect(e.toString()).toBe('a: "true"\nb: "line 1\\nline 2"\nc: "*!"\n');
    expect(parse(e.toString())).toEqual({ a: 'true', b: 'line 1\nline 2', c: '*!' });
  });

  it('appends a missing key at the mapping\'s own indentation', () => {
    const e = open('  a: 1\n');
    e.set('b', 'two');
    expect(e.toString()).toBe('  a: 1\n  b: two\n');
  });

  it('refuses a value that is not a one-line scalar on its key\'s line', () => {
    const text = 'a:\n  x\nb: [1]\n';
    const e = open(text);
    expect(e.set('a', 'y')).toBe(false);
    expect(e.set('b', 'y')).toBe(false);
    expect(e.toString()).toBe(text);
  });

  it('property: setting any string in any style reads back as that string and changes no other line', () => {
    const key = fc.constantFrom('k1', 'k2', 'k3');
    const written = fc.constantFrom('plain', '"dq"', "'sq'", '12', 'true', '', ' # c', '"a # b"');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, written), { selector: (p) => p[0], minLength: 1, maxLength: 3 }),
        key,
        fc.string({ maxLength: 30 }),
        fc.constantFrom<ScalarStyle>('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
        fc.constantFrom('\n', '\r\n'),
        (pairs, target, value, style, eol) => {
          const text = pairs.map(([k, v]) => `${k}:${v === '' ? '' : ' '}${v}${eol}`).join('');
          const before = parse(text) as Record<string, unknown>;
          const e = open(text, eol);
          expect(e.set(target, value, style)).toBe(true);
          const out = e.toString();
          expect(parse(out)).toEqual({ ...before, [target]: value });
          const a = text.split(eol);
          const b = out.split(eol);
          expect(b.length).toBe(a.length + (target in before ? 0 : 1));
          a.slice(0, -1).forEach((line, i) => {
            if (!line.startsWith(`${target}:`)) expect(b[i]).toBe(line);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('front-matter edits through the CST (what the regex locator got wrong)', () => {
  const change = { status: 'verified', verifiedAt: '2026-11-23T01:02:03.000Z', timesReused: 1 } as const;

  it('a flow-mapping front-matter is refused, not given block lines that break it', () => {
    const text = '---\n{endpoint: GET /x, status: draft}\n---\nbody\n';
    const r = editFrontMatter(text, change);
    expect('error' in r && r.error.code).toBe('write-back-unsupported');
  });

  it('keys are appended at an indented front-matter\'s own indentation, so the file still parses', () => {
    const text = '---\n  endpoint: GET /x\n  status: draft\n---\n# X\n';
    const r = editFrontMatter(text, change);
    if (!('text' in r)) throw new Error(r.error.message);
    expect(r.text).toBe('---\n  endpoint: GET /x\n  status: verified\n  verifiedAt: "2026-11-23T01:02:03.000Z"\n  timesReused: 1\n---\n# X\n');
    const parsed = parseSpec(r.text, 'x.md');
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.doc.frontMatter).toMatchObject({ status: 'verified', timesReused: 1 });
  });
});
