import { readFileSync } from 'node:fs';

/**
 * The report's stylesheet, inlined (and allowed by its hash in the page's CSP); no style
 * attributes anywhere. `assets/report.css` is a real file linted with stylelint's standard config
 * (stylelint.config.js), read once like the script (see script.ts for where `assets/` lives).
 */
export const STYLE = readFileSync(new URL('./assets/report.css', import.meta.url), 'utf8');
