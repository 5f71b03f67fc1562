import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// npm makes a package's bin executable when it installs or links it, but a rebuild (npm run build,
// npm test's pretest, prepare) writes dist/ anew: a linked or folder-installed endpoint-verify then
// failed with "sh: 1: endpoint-verify: Permission denied" (exit 126/127) until the build set the mode.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bins = Object.values((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin);

describe('the built bin', () => {
  it.each(bins)('%s is executable and runs by itself (shebang), as a shell runs it from a script', async (bin) => {
    const file = path.join(root, bin);
    expect(statSync(file).mode & 0o111).toBe(0o111);
    const out = await new Promise<string>((resolve, reject) =>
      execFile(file, ['--version'], { cwd: root }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    expect(out.trim()).toBe((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});
