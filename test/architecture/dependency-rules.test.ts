import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The dependency rules (.dependency-cruiser.cjs) run as `npm run depcruise` before the tests. These
// tests show the check is real: it passes on this tree and fails on a copy that breaks each rule.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
// The CLI reads every module of src/ (about 5 s of CPU); a loaded machine needs more wall time.
const TIMEOUT = 180_000;

function depcruise(cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'src', '--output-type', 'err'], { cwd, timeout: TIMEOUT }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}` });
    });
  });
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe('dependency rules', () => {
  it('hold on this tree', { timeout: TIMEOUT }, async () => {
    const { code, out } = await depcruise(root);
    expect(out).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('fail on an upward import, a type-only cycle, and import() or require() outside cli/ and src/lazy.ts', { timeout: TIMEOUT }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ev-depcruise-'));
    scratch.push(dir);
    await cp(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
    for (const f of ['.dependency-cruiser.cjs', 'package.json']) await cp(path.join(root, f), path.join(dir, f));
    await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(root, 'tsconfig.json'), include: ['src'] }));
    await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

    // The spec-file reader reaching up into the runner.
    await writeFile(path.join(dir, 'src/specfile/upward.ts'), "import { runSpecs } from '../run/scheduler/run-specs.js';\nexport const run = runSpecs;\n");
    // Two modules that only name each other's types.
    await writeFile(path.join(dir, 'src/source/cycle-a.ts'), "import type { B } from './cycle-b.js';\nexport interface A { b?: B }\n");
    await writeFile(path.join(dir, 'src/source/cycle-b.ts'), "import type { A } from './cycle-a.js';\nexport interface B { a?: A }\n");
    // Loading on demand outside the two places allowed to.
    await writeFile(path.join(dir, 'src/report/lazy-own.ts'), "export const load = () => import('./format.js');\n");
    await writeFile(path.join(dir, 'src/run/lazy-package.ts'), "export const load = () => import('ajv');\n");
    await writeFile(
      path.join(dir, 'src/run/lazy-require.ts'),
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const load = () => require('ajv');\n",
    );

    const { code, out } = await depcruise(dir);
    expect(code).not.toBe(0);
    expect(out).toMatch(/not-in-allowed: src\/specfile\/upward\.ts → src\/run\/scheduler\/run-specs\.ts/);
    expect(out).toMatch(/no-circular: src\/source\/cycle-(a|b)\.ts/);
    expect(out).toMatch(/no-dynamic-own-import: src\/report\/lazy-own\.ts → src\/report\/format\.ts/);
    expect(out).toMatch(/no-dynamic-package-import: src\/run\/lazy-package\.ts → \S*node_modules\/ajv\//);
    expect(out).toMatch(/no-package-require: src\/run\/lazy-require\.ts → \S*node_modules\/ajv\//);
    // Nothing else is reported.
    const reported = [...out.matchAll(/^\s*error [\w-]+: (\S+)/gm)].map((m) => m[1]!);
    // The cycle is reported once, from either of its two modules.
    const cycleFrom = reported.findIndex((f) => f === 'src/source/cycle-b.ts');
    if (cycleFrom !== -1) reported[cycleFrom] = 'src/source/cycle-a.ts';
    expect(reported.sort()).toEqual(['src/report/lazy-own.ts', 'src/run/lazy-package.ts', 'src/run/lazy-require.ts', 'src/source/cycle-a.ts', 'src/specfile/upward.ts']);
  });
});
