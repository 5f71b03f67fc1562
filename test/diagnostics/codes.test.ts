import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const codes = Object.keys(DIAGNOSTIC_CODES).sort();

/** The codes docs/diagnostics.md documents: the first cell of its table rows. */
async function documentedCodes(): Promise<string[]> {
  const md = await readFile(path.join(REPO, 'docs/diagnostics.md'), 'utf8');
  return [...md.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!).sort();
}

async function sourceText(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts') && e.name !== 'codes.ts');
  const texts = await Promise.all(files.map((e) => readFile(path.join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

describe('diagnostic codes', () => {
  it('docs/diagnostics.md documents every code of codes.ts and nothing else, once each', async () => {
    const documented = await documentedCodes();
    expect(documented).toEqual(codes);
  });

  it('every listed code is used by the source (no dead entries)', async () => {
    const src = await sourceText(path.join(REPO, 'src'));
    const unused = codes.filter((c) => !src.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('each code is kebab-case with a one-line meaning', () => {
    for (const [code, meaning] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(meaning).not.toContain('\n');
      expect(meaning.length).toBeGreaterThan(0);
    }
  });

});
