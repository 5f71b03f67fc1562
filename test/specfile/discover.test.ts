import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverSpecFiles, isInside } from '../../src/specfile/discover.js';

let dir = '';
const rel = (files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ev-discover-'));
  const files = ['specs/a.md', 'specs/b.txt', 'specs/sub/c.md', 'specs/sub/deep/d.md', 'specs/node_modules/x.md', 'specs/.hidden/y.md', 'seeds/000.txt', 'seeds/001.txt', 'other/e.md'];
  for (const f of files) {
    await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
    await writeFile(path.join(dir, f), '---\nendpoint: GET /x\n---\n');
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('discoverSpecFiles', () => {
  it('scans folders recursively for .md, skipping node_modules and dot-folders', async () => {
    const r = await discoverSpecFiles(['specs'], dir);
    expect(r.diagnostics).toEqual([]);
    expect(rel(r.files)).toEqual(['specs/a.md', 'specs/sub/c.md', 'specs/sub/deep/d.md']);
  });

  it('reads explicit files whatever their extension; absolute, sorted, unique', async () => {
    const r = await discoverSpecFiles(['seeds/001.txt', path.join(dir, 'seeds/000.txt'), 'specs/a.md', 'specs', './specs/a.md'], dir);
    expect(r.files.every((f) => path.isAbsolute(f))).toBe(true);
    expect(rel(r.files)).toEqual(['seeds/000.txt', 'seeds/001.txt', 'specs/a.md', 'specs/sub/c.md', 'specs/sub/deep/d.md']);
  });

  it('expands * ** and ? globs', async () => {
    expect(rel((await discoverSpecFiles(['specs/*.md'], dir)).files)).toEqual(['specs/a.md']);
    expect(rel((await discoverSpecFiles(['specs/**/*.md'], dir)).files)).toEqual(['specs/a.md', 'specs/sub/c.md', 'specs/sub/deep/d.md']);
    expect(rel((await discoverSpecFiles(['seeds/00?.txt'], dir)).files)).toEqual(['seeds/000.txt', 'seeds/001.txt']);
    expect(rel((await discoverSpecFiles(['*/e.md'], dir)).files)).toEqual(['other/e.md']);
  });

  it('expands {a,b} alternatives and [..] classes, as shells and CI globs do', async () => {
    expect(rel((await discoverSpecFiles(['{specs,other}/*.md'], dir)).files)).toEqual(['other/e.md', 'specs/a.md']);
    expect(rel((await discoverSpecFiles(['[os]*/*.md'], dir)).files)).toEqual(['other/e.md', 'specs/a.md']);
    expect(rel((await discoverSpecFiles(['specs/{sub,nope}/**/*.md'], dir)).files)).toEqual(['specs/sub/c.md', 'specs/sub/deep/d.md']);
    // A folder a pattern matches stands for its spec files, as a folder named on its own does.
    expect(rel((await discoverSpecFiles(['specs/s*'], dir)).files)).toEqual(['specs/sub/c.md', 'specs/sub/deep/d.md']);
    // node_modules and dot-folders stay out, as in a folder scan.
    expect(rel((await discoverSpecFiles(['specs/**/*.md'], dir)).files)).not.toContain('specs/node_modules/x.md');
  });

  it('takes a path that exists literally, even with glob characters in its name', async () => {
    await mkdir(path.join(dir, 'odd'), { recursive: true });
    await writeFile(path.join(dir, 'odd/[draft] a.md'), '---\nendpoint: GET /x\n---\n');
    expect(rel((await discoverSpecFiles(['odd/[draft] a.md'], dir)).files)).toEqual(['odd/[draft] a.md']);
  });

  it('reports a missing path with a hint, and keeps the rest', async () => {
    const r = await discoverSpecFiles(['nope', 'specs/a.md', 'none/*.md'], dir);
    expect(rel(r.files)).toEqual(['specs/a.md']);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['no-such-path', 'error'],
      ['no-such-path', 'error'],
    ]);
    expect(r.diagnostics[0]?.message).toContain('no such file or folder');
    expect(r.diagnostics[0]?.hint).toBeTruthy();
  });
});

describe('isInside', () => {
  it('is true for the folder and what lies under it, false for siblings that share a prefix and for ../', () => {
    const dir = path.resolve('/work/specs');
    expect(isInside(dir, dir)).toBe(true);
    expect(isInside(dir, path.join(dir, 'a', 'b.md'))).toBe(true);
    expect(isInside(dir, path.join(dir, '..foo.md'))).toBe(true);
    expect(isInside(dir, path.resolve('/work/specs-old/b.md'))).toBe(false);
    expect(isInside(dir, path.resolve('/work/other.md'))).toBe(false);
    expect(isInside(dir, `${dir}${path.sep}..${path.sep}other.md`)).toBe(false);
  });
});
