import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAnnotations } from '../../src/report/github.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

describe('GitHub annotations', () => {
  const lines = githubAnnotations(fixtureResult());

  it('puts an ::error on the failing step line of each failing or blocked spec', () => {
    const errors = lines.filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error file=specs\/platform\/broken\.md,line=9,title=failing%3A GET \/platform\/v1\/broken::get_broken: status 500 not in \[200\]%0AGET http/);
    expect(errors[0]).toContain('%0Astatus in: expected [200], got 500');
    expect(errors[1]).toMatch(/^::error file=specs\/platform\/c-blocked\.md,line=14,title=blocked%3A POST \/platform\/v1\/orders::prerequisite get_client failed/);
    // Each annotation is exactly one line.
    for (const l of lines) expect(l).not.toMatch(/[\r\n]/);
  });

  it('turns findings and write-back problems into warnings at the step line', () => {
    const warnings = lines.filter((l) => l.startsWith('::warning '));
    expect(warnings.some((w) => w.startsWith('::warning file=specs/platform/e-fallback.md,line=62,title=OpenAPI status%3A GET'))).toBe(true);
    expect(warnings.some((w) => w.includes('title=write-back conflict::changed during the run'))).toBe(true);
  });

  it('escapes %, CR, LF everywhere and : , in properties', () => {
    expect(escapeData('100%\r\n')).toBe('100%25%0D%0A');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    const specs = fixtureSpecs();
    specs[1]!.file = 'specs/we,ird:name%.md';
    specs[1]!.reason = '50% done\nnext';
    const l = githubAnnotations(fixtureResult(specs)).find((x) => x.startsWith('::error'))!;
    expect(l).toMatch(/^::error file=specs\/we%2Cird%3Aname%25\.md,line=9,/);
    expect(l).toContain('::50%25 done next');
  });
});
