import { readFileSync } from 'node:fs';

/**
 * The page's only script (allowed by its sha256 hash in the CSP): `assets/report.js`, a real file
 * linted as browser ES2017 (eslint.config.js), read once when the HTML reporter is loaded and
 * inlined as it is, so the hash is of exactly this text. It reads the JSON block and builds the
 * spec table with createElement/textContent only: nothing from the data is parsed as markup.
 * `assets/` sits next to this module in src/ (tests run the sources) and in dist/ (the build
 * copies it there, scripts/build.mjs), so the installed package needs no source file.
 */
export const SCRIPT = readFileSync(new URL('./assets/report.js', import.meta.url), 'utf8');
