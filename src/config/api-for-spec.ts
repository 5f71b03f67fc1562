import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FrontMatter } from '../spec/model.js';
import type { ApiConfig, Environment } from './types.js';

/**
 * Which API a spec runs against: the front-matter `api:` key, else the API
 * whose `specs` folder holds the file (deepest wins), else the only API.
 */
export function apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): ApiConfig | Diagnostic {
  const names = environment.apis.map((a) => a.name);
  if (typeof frontMatter.api === 'string') {
    const found = environment.apis.find((a) => a.name === frontMatter.api);
    if (found) return found;
    return diag('error', 'config-api', `the spec names api "${frontMatter.api}", which environment "${environment.name}" does not define`, {
      hint: `use one of: ${names.join(', ') || '(none)'}`,
    });
  }
  let best: ApiConfig | undefined;
  for (const api of environment.apis) {
    if (!api.specsDir) continue;
    const rel = path.relative(api.specsDir, absFile);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (!best || (best.specsDir?.length ?? 0) < api.specsDir.length) best = api;
  }
  if (best) return best;
  if (environment.apis.length === 1) return environment.apis[0]!;
  return diag('error', 'config-api', `no API of environment "${environment.name}" covers this file`, {
    hint: `add "api: <name>" to its front-matter, or a "specs:" folder to one of the APIs (${names.join(', ')}) in verify.config.yaml`,
  });
}
