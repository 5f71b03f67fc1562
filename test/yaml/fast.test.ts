import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/source/span.js';
import { fastLoadYaml } from '../../src/yaml/fast.js';
import { loadYaml } from '../../src/yaml/load.js';
import type { Located } from '../../src/yaml/located.js';

/**
 * The fast reader must give exactly what the full reader gives (values, key
 * and value spans, string sites), or decline. Checked on every YAML block of
 * the repo's spec files and on generated documents.
 */

function both(text: string): { fast: Located | undefined; full: Located | undefined } {
  const index = new LineIndex(text);
  const ctx = { file: 'x.md', index, base: 0, diagnostics: [] };
  return { fast: fastLoadYaml(text, ctx), full: loadYaml(text, { ...ctx, diagnostics: [], noFastPath: true }) };
}

function plain(l: Located | undefined): unknown {
  if (!l) return l;
  return { value: l.value, keySpans: Object.fromEntries(l.keySpans), valueSpans: Object.fromEntries(l.valueSpans), strings: l.strings };
}

function yamlBlocks(text: string): string[] {
  const out: string[] = [];
  const fm = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  if (fm) out.push(`${fm[1]}\n`);
  for (const m of text.matchAll(/```ya?ml\r?\n([\s\S]*?)```/g)) out.push(m[1]!);
  return out;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...files(abs));
    else if (/\.(md|txt)$/.test(name)) out.push(abs);
  }
  return out;
}

describe('fast YAML reader', () => {
  it('matches the full reader on every YAML block in seeds/, specs/ and test fixtures', () => {
    let taken = 0;
    const roots = ['seeds', 'specs', 'test/fixtures'].filter((d) => {
      try {
        return statSync(d).isDirectory();
      } catch {
        return false;
      }
    });
    for (const file of roots.flatMap(files)) {
      for (const block of yamlBlocks(readFileSync(file, 'utf8'))) {
        const { fast, full } = both(block);
        if (!fast) continue;
        taken++;
        expect(plain(fast), `${file}\n${block}`).toEqual(plain(full));
      }
    }
    // The seed's blocks are plain YAML: the fast path must actually be used.
    expect(taken).toBeGreaterThan(3);
  });

  it('matches on tricky but plain inputs, and declines the rest', () => {
    const cases = [
      'a: 1\nb: "two"\nc: \'th\'\'ree\'\nd:\ne: [1, "x", {k: v}]\n',
      'steps:\n  - id: a # c\n    params:\n      page: 1\n    x:\n    tags: [a, "b"]\n    e: {s: [200]}\n  - id: b\n\nk: "q"\n',
      'tags:\n- a\n- b\nafter: 1\n',
      'a: 1\n\n# comment\n\nb:\n  c: 2\n  # inner\n  d: 3\n',
      'a: 1\r\nb:\r\n  - x\r\n  - y\r\n',
      'url: http://x/y?z=1\nn: -3\nf: 1.5e3\nt: True\nnil: ~\nd: 2026-01-01T00:00:00Z\n',
      'k: v  # trailing\nlast: 1',
      'e: {}\nf: []\n',
      '"$.data[0].id": {exists: true}\n$.x: {type: array}\n',
      'a:\n  b:\n    c:\n      - d: 1\n        e: 2\n',
    ];
    for (const text of cases) {
      const { fast, full } = both(text);
      expect(fast, text).toBeDefined();
      expect(plain(fast), text).toEqual(plain(full));
    }
    const declined = ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: |\n  text\n', 'a: b\n  c\n', 'a: "x\\ny"\n', 'a: 1\na: 2\n', '<<: {a: 1}\n', '- a\n', 'a:\tb\n', 'a: [1,\n 2]\n', '__proto__: 1\n', 'a: 0x1F\n'];
    for (const text of declined) expect(both(text).fast, text).toBeUndefined();
  });

  it('matches on generated documents', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
    const scalar = fc.oneof(
      word,
      fc.integer({ min: -1000, max: 100000 }).map(String),
      fc.constantFrom('true', 'false', 'null', '~', '1.5', '"quoted"', "'single'", '"{{var}}"', '/a/{{b}}/c', '"a # b"', 'x#y', '2026-01-01', '"$.a[0]"'),
    );
    const comment = fc.constantFrom('', ' # note', '  #x');
    const flow = fc.array(scalar, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`);
    type Tree = { kind: 'map'; pairs: [string, Tree | string][] } | { kind: 'seq'; items: (Tree | string)[] };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small' },
        fc.record({ kind: fc.constant('map' as const), pairs: fc.uniqueArray(fc.tuple(word, fc.oneof(scalar, flow, tie('t'))), { minLength: 1, maxLength: 4, selector: (p) => p[0] }) }),
        fc.record({ kind: fc.constant('seq' as const), items: fc.array(fc.oneof(scalar, flow, tie('t')), { minLength: 1, maxLength: 3 }) }),
      ),
    })).t;
    const render = (t: Tree, indent: number, c: () => string): string[] => {
      const pad = ' '.repeat(indent);
      if (t.kind === 'map') {
        return t.pairs.flatMap(([k, v]) =>
          typeof v === 'string' ? [`${pad}${k}: ${v}${c()}`] : [`${pad}${k}:${c()}`, ...render(v, indent + 2, c)],
        );
      }
      return t.items.flatMap((v) => {
        if (typeof v === 'string') return [`${pad}- ${v}${c()}`];
        if (v.kind === 'map') {
          const lines = render(v, indent + 2, c);
          return [`${pad}- ${lines[0]!.trimStart()}`, ...lines.slice(1)];
        }
        return [`${pad}-${c()}`, ...render(v, indent + 2, c)].filter((l) => l.trim() !== '-') as string[];
      });
    };
    let fastUsed = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(word, tree), { minLength: 1, maxLength: 3, selector: (p) => p[0] }),
        fc.array(comment, { minLength: 50, maxLength: 50 }),
        fc.constantFrom('\n', '\r\n'),
        (pairs, comments, eol) => {
          let k = 0;
          const c = (): string => comments[k++ % comments.length]!;
          const lines = pairs.flatMap(([key, t]) => [`${key}:`, ...render(t, 2, c)]);
          const text = lines.join(eol) + eol;
          const { fast, full } = both(text);
          if (fast) {
            fastUsed++;
            expect(plain(fast), text).toEqual(plain(full));
          }
        },
      ),
      { numRuns: 300 },
    );
    // Most generated documents are in the plain subset: the comparison must have happened.
    expect(fastUsed).toBeGreaterThan(150);
  });
});
