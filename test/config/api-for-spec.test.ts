import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiForSpec } from '../../src/config/api-for-spec.js';
import type { ApiConfig, Environment } from '../../src/config/types.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Result } from '../../src/result/ok.js';

const root = path.resolve('/work-root');
const auth = { header: 'Authorization', scheme: 'Bearer' };
function api(name: string, specs?: string): ApiConfig {
  return { name, baseUrl: `http://127.0.0.1/${name}`, auth, tokens: {}, vars: {}, ...(specs ? { specsDir: path.join(root, specs) } : {}) };
}
function env(apis: ApiConfig[], extra: Partial<Environment> = {}): Environment {
  return { name: 'local', sandbox: false, apis, vars: {}, ...extra };
}
const file = (rel: string): string => path.join(root, rel);
const nameOf = (r: Result<ApiConfig, Diagnostic>): string => (r.ok ? r.value.name : `diag:${r.error.code}`);
/** The diagnostic of a spec that maps to no usable API; fails the test when it maps. */
const problemOf = (r: Result<ApiConfig, Diagnostic>): Diagnostic => {
  if (r.ok) throw new Error(`expected no API, got ${r.value.name}`);
  return r.error;
};

describe('apiForSpec', () => {
  const e = env([api('platform', 'specs/platform'), api('inner', 'specs/platform/inner'), api('keys', 'specs/keys')]);

  it('maps a file to the API whose specs folder holds it, the deepest folder winning', () => {
    expect(nameOf(apiForSpec(e, file('specs/platform/a.md'), {}))).toBe('platform');
    expect(nameOf(apiForSpec(e, file('specs/platform/inner/deeper/b.md'), {}))).toBe('inner');
    expect(nameOf(apiForSpec(e, file('specs/keys/c.md'), {}))).toBe('keys');
  });

  it('does not treat a sibling folder with the same prefix as inside', () => {
    expect(nameOf(apiForSpec(e, file('specs/platform-v2/a.md'), {}))).toBe('diag:config-api');
  });

  it('the front-matter api key wins over the folder (case-insensitively)', () => {
    expect(nameOf(apiForSpec(e, file('specs/platform/a.md'), { api: 'keys' }))).toBe('keys');
    expect(nameOf(apiForSpec(e, file('specs/platform/a.md'), { api: 'KEYS' }))).toBe('keys');
  });

  it('an api key naming no API lists them with a did-you-mean', () => {
    const d = problemOf(apiForSpec(e, file('specs/platform/a.md'), { api: 'platfrom' }));
    expect(d).toMatchObject({ code: 'config-api', severity: 'error' });
    expect(d.hint).toBe('did you mean "platform"? APIs: platform, inner, keys');
  });

  it('a file outside every folder, with several APIs, says how to map it', () => {
    const d = problemOf(apiForSpec(e, file('elsewhere/a.md'), {}));
    expect(d.code).toBe('config-api');
    expect(d.hint).toMatch(/api: <name>/);
    expect(d.hint).toContain(`platform (${path.join(root, 'specs/platform')})`);
  });

  it('falls back to the only API', () => {
    expect(nameOf(apiForSpec(env([api('solo', 'specs/solo')]), file('anywhere/x.md'), {}))).toBe('solo');
    expect(nameOf(apiForSpec(env([api('solo')]), file('anywhere/x.md'), {}))).toBe('solo');
  });

  it('a spec of an API the environment cannot use gets that reason as an error', () => {
    const reason: Diagnostic = { code: 'config-unset-var', severity: 'error', message: 'baseUrl uses ${KEYS_URL}, which is not set' };
    const partial = env([api('platform', 'specs/platform')], { unavailable: [{ name: 'keys', specsDir: path.join(root, 'specs/keys'), reason }] });
    expect(problemOf(apiForSpec(partial, file('specs/keys/c.md'), {}))).toEqual(reason);
    expect(problemOf(apiForSpec(partial, file('specs/platform/c.md'), { api: 'keys' }))).toEqual(reason);
    // With another API named in the config, "the only API" no longer applies.
    expect(nameOf(apiForSpec(partial, file('elsewhere/a.md'), {}))).toBe('diag:config-api');
    expect(nameOf(apiForSpec(partial, file('specs/platform/a.md'), {}))).toBe('platform');
  });
});
