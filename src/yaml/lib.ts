import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let lib: typeof Yaml | undefined;

/**
 * The yaml package, loaded on first use. Plain spec and config YAML is read
 * by the fast reader, so a run loads it only when it writes a front-matter
 * (edit.ts) or meets YAML outside the plain subset; loading it took about
 * 35 ms of every start. Its Node build is CommonJS, so this synchronous
 * require returns the very module an import would.
 */
export function yamlLib(): typeof Yaml {
  return (lib ??= require('yaml') as typeof Yaml);
}
