// ESLint reads only the HTML report's browser script: the TypeScript sources are checked by tsc.
// The script is inlined as it is into a page with no build step, so it must parse as a plain
// browser script (no modules, nothing newer than ES2017) and use only the browser's globals.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'dist-bench/', 'dist-check/', 'coverage/'] },
  {
    files: ['src/report/html/assets/**/*.js'],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2017, sourceType: 'script', globals: { ...globals.browser } },
  },
];
