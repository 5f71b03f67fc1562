import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSince, GitError, lastContentCommit } from '../../src/select/git.js';

let dir: string;
const git = (args: string[], date?: string): string =>
  execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  }).toString();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ev-git-'));
  git(['init', '-q', '-b', 'main']);
  writeFileSync(path.join(dir, 'a.md'), '---\nendpoint: "GET /a"\nstatus: draft\n---\nbody\n');
  writeFileSync(path.join(dir, 'b.md'), '---\nendpoint: "GET /b"\nstatus: draft\n---\nbody\n');
  git(['add', '.']);
  git(['commit', '-qm', 'one'], '2026-01-01T00:00:00Z');
  // b: only owned keys change (a verdict commit) -> not a content change
  writeFileSync(path.join(dir, 'b.md'), readFileSync(path.join(dir, 'b.md'), 'utf8').replace('status: draft', 'status: verified'));
  git(['commit', '-qam', 'verdict'], '2026-03-01T00:00:00Z');
  // a: prose changes -> content change
  writeFileSync(path.join(dir, 'a.md'), readFileSync(path.join(dir, 'a.md'), 'utf8').replace('body', 'new body'));
  git(['commit', '-qam', 'edit'], '2026-02-01T00:00:00Z');
  writeFileSync(path.join(dir, 'c.md'), 'untracked');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('git selection helpers', () => {
  it('dates the newest commit that changed unowned content', async () => {
    const m = await lastContentCommit(dir, [path.join(dir, 'a.md'), path.join(dir, 'b.md')]);
    expect(m.get(path.join(dir, 'a.md'))?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    // b's newest commit only touched `status`, so its content date is the first commit.
    expect(m.get(path.join(dir, 'b.md'))?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('lists files changed since a ref, untracked included', async () => {
    const changed = await changedSince(dir, 'HEAD~1');
    expect([...changed].map((f) => path.basename(f)).sort()).toEqual(['a.md', 'c.md']);
  });

  it('names an unknown ref', async () => {
    await expect(changedSince(dir, 'no-such-ref')).rejects.toThrow(GitError);
    await expect(changedSince(dir, 'no-such-ref')).rejects.toThrow(/no-such-ref/);
  });
});
