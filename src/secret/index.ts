/**
 * The one owner of secrets: which names are secret (names.ts), which forms a secret takes
 * (forms.ts, normalise.ts), and the redactor every output goes through (redactor.ts). Other
 * modules register the values they learn (`add`, `addToken`, `addNamed`) and never decide
 * either question themselves. Depends on nothing else in src/.
 */
export { isSecretName, MASK } from './names.js';
export { secretPatterns, tokenSecrets } from './forms.js';
export { addNamed, addToken, createRedactor, type Redactor } from './redactor.js';
