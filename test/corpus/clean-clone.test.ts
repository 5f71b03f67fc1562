import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.js';

/**
 * The README's two commands, in its order, on a fresh clone: `npm run verify` rewrites the spec
 * files' status keys, and the tests that read the corpus must still pass after it, and after it
 * again. The clone shares this checkout's node_modules and dist/ (installing and building are not
 * what is tested here); the tests run are the ones that read the repository's own spec files.
 */

const exec = promisify(execFile);
const CORPUS_TESTS = ['test/corpus/corpus-lint.test.ts', 'test/specfile/lint.test.ts', 'test/specfile/parse.test.ts'];

describe.skipIf(!existsSync(path.join(REPO, '.git')))('a fresh clone', () => {
  it('stays green when the tests that read the corpus run after npm run verify (twice)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ev-clone-'));
    try {
      const clone = path.join(dir, 'clone');
      await exec('git', ['clone', '-q', '--shared', REPO, clone]);
      await symlink(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
      await symlink(path.join(REPO, 'dist'), path.join(clone, 'dist'), 'dir');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VERIFY_') && !k.startsWith('VITEST')));
      // Twice: the second run starts from files the first one rewrote.
      for (const round of [1, 2]) {
        const verify = await exec(process.execPath, ['dist/cli/bin.js', 'verify', '-q'], { cwd: clone, env });
        expect(verify.stdout, `round ${round}`).toMatch(/\b16 verified, 0 failing/);
      }
      const changed = (await exec('git', ['status', '--porcelain', '--', 'specs'], { cwd: clone })).stdout.trim().split('\n');
      expect(changed.length, 'npm run verify writes the verdicts back').toBe(16);
      {
        const tests = await exec(process.execPath, [path.join(clone, 'node_modules/vitest/vitest.mjs'), 'run', ...CORPUS_TESTS], { cwd: clone, env, maxBuffer: 1 << 24 }).then(
          (r) => ({ code: 0, out: r.stdout + r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
        );
        expect(tests.code, tests.out.slice(-3000)).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
