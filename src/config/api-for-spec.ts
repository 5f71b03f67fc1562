import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { isInside } from '../specfile/discover.js';
import type { FrontMatter } from '../specfile/model.js';
import type { ApiConfig, Environment, UnavailableApi } from './types.js';
import { fail, ok, type Result } from '../result/ok.js';

/** The reason an unusable API cannot serve this spec, as an error. */
function unusable(u: UnavailableApi): Diagnostic {
  return { ...u.reason, severity: 'error' };
}

/**
 * Which API a spec runs against: the front-matter `api:` key, else the API
 * whose `specs` folder holds the file (the deepest folder wins), else the only
 * API when the config names exactly one. Anything else is a `config-api`
 * diagnostic that lists the APIs and how to map the file; an API the
 * environment cannot use fails with its reason.
 */
export function apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): Result<ApiConfig, Diagnostic> {
  const unavailable = environment.unavailable ?? [];
  const all: (ApiConfig | UnavailableApi)[] = [...environment.apis, ...unavailable];
  const names = (): string[] => all.map((a) => a.name);
  const pick = (a: ApiConfig | UnavailableApi): Result<ApiConfig, Diagnostic> => {
    const usable = environment.apis.find((x) => x === a);
    const down = unavailable.find((x) => x === a);
    return usable ? ok(usable) : fail(down ? unusable(down) : diag('error', 'config-api', `API "${a.name}" cannot be used`));
  };
  // Without a config there is one API for every spec; an `api:` key names a config's API.
  if (environment.adHoc && all.length === 1) return pick(all[0]!);

  if (typeof frontMatter.api === 'string' && frontMatter.api !== '') {
    const wanted = frontMatter.api;
    const found = all.find((a) => a.name === wanted) ?? all.find((a) => a.name.toLowerCase() === wanted.toLowerCase());
    if (found) return pick(found);
    const close = didYouMean(wanted, names());
    return fail(diag('error', 'config-api', `the spec names api "${wanted}", which environment "${environment.name}" does not define`, {
      hint: `${close ? `did you mean "${close}"? ` : ''}APIs: ${names().join(', ') || '(none)'}`,
    }));
  }

  let best: ApiConfig | UnavailableApi | undefined;
  for (const api of all) {
    if (!api.specsDir || !isInside(api.specsDir, absFile)) continue;
    if (!best?.specsDir || best.specsDir.length < api.specsDir.length) best = api;
  }
  if (best) return pick(best);
  if (all.length === 1) return pick(all[0]!);

  const listed = all.map((a) => (a.specsDir ? `${a.name} (${a.specsDir})` : a.name)).join(', ');
  return fail(diag('error', 'config-api', `no API of environment "${environment.name}" covers ${absFile}`, {
    hint: `add "api: <name>" to the spec's front-matter, or move it under an API's "specs:" folder in verify.config.yaml. APIs: ${listed || '(none)'}`,
  }));
}
