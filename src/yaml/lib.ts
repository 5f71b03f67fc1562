import type * as Yaml from 'yaml';
import { loadYamlSync } from '../lazy.js';

let lib: typeof Yaml | undefined;

/**
 * The yaml package, loaded on first use. Plain spec and config YAML is read
 * by the fast reader, so a run loads it only when it writes a front-matter
 * (edit.ts) or meets YAML outside the plain subset; loading it took about
 * 35 ms of every start.
 */
export function yamlLib(): typeof Yaml {
  return (lib ??= loadYamlSync());
}
