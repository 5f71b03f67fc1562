// `prepare` runs for a clone's `npm install`, for `npm pack`, and when npm installs this package
// from a folder or a git URL. npm installs the dev dependencies for a git URL (so TypeScript is
// there and dist/ is built), but not for a folder: there a dist/ already built is used as it is,
// and only a folder with neither TypeScript nor dist/ is an error, said plainly. With TypeScript,
// it is the same clean build as `npm run build` (scripts/build.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from './build.mjs';

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (tsc === undefined) {
  if (existsSync('dist/cli/bin.js')) process.exit(0);
  console.error('endpoint-verify: dist/ is not built and TypeScript is not installed here.\nRun `npm install && npm run build` in this folder first, or install the package from a tarball (`npm pack`).');
  process.exit(1);
}
process.exit(build(new URL('..', import.meta.url), tsc));
