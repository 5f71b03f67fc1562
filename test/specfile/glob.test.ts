import fc from 'fast-check';
import { isDynamicPattern } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { isGlob } from '../../src/specfile/glob.js';

describe('isGlob', () => {
  it.each(['specs', 'specs/a.md', 'docs/api v2/x.md', 'specs/*.md', 'specs/**', 'a?.md', '[ab].md', '{a,b}.md', '!(x).md', '+(a)', '@(a)', 'a\\*b', 'C:\\specs\\*.md', '#a', '~/x', 'a$b', 'a^b', 'a|b'])('agrees with tinyglobby on %s', (p) => {
    expect(isGlob(p)).toBe(isDynamicPattern(p.split('\\').join('/')));
  });

  it('agrees with tinyglobby on any string (the shortcut for plain paths never hides a glob)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab/.-_ *?[]{}()!+@\\#$^|,~'.split('')), maxLength: 12 }), (p) => {
        expect(isGlob(p)).toBe(isDynamicPattern(p.split('\\').join('/')));
      }),
      { numRuns: 2000 },
    );
  });
});
