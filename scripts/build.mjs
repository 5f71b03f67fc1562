// `npm run build` (and `prepare` where TypeScript is installed): dist/ from nothing, every time.
// An incremental build over an old dist/ keeps the output of a module that was renamed or deleted
// in src/, and `npm pack` would ship it; so dist/ goes first, and with it the build info, which
// must never outlive the files it describes (tsc trusts it and would emit nothing).
// Then the HTML report's browser script and stylesheet (src/report/html/assets/, linted as real
// .js and .css files) are copied next to the module that reads and inlines them.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Folders under src/ that are not TypeScript and ship as they are, copied into dist/. */
const ASSETS = ['report/html/assets'];

/**
 * The package's bin files, executable: npm sets the mode when it installs or links the package,
 * but this build writes them anew (0644 from tsc), which broke a linked or folder-installed
 * `endpoint-verify` ("Permission denied") after every rebuild.
 */
function makeBinsExecutable(root) {
  const { bin } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  for (const file of Object.values(typeof bin === 'string' ? { bin } : (bin ?? {}))) chmodSync(new URL(file, root), 0o755);
}

/**
 * Builds dist/ in `root` with the TypeScript compiler at `tsc` (a path to typescript/bin/tsc).
 * Returns tsc's exit status (0 when built); ASSETS are copied and the bins made executable only
 * after a clean compile.
 */
export function build(root, tsc) {
  rmSync(new URL('dist', root), { recursive: true, force: true });
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: fileURLToPath(root), stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  for (const dir of ASSETS) cpSync(new URL(`src/${dir}`, root), new URL(`dist/${dir}`, root), { recursive: true });
  makeBinsExecutable(root);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('..', import.meta.url);
  process.exit(build(root, createRequire(import.meta.url).resolve('typescript/bin/tsc')));
}
