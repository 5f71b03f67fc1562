import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { githubAnnotations } from '../../src/report/github.js';
import { toReportJson } from '../../src/report/json.js';
import { junitReport } from '../../src/report/junit.js';
import { markdownReport } from '../../src/report/markdown.js';
import { mergeReports } from '../../src/report/merge.js';
import type { RunResult } from '../../src/result/result.js';
import { summarize } from '../../src/result/result.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

/** Splits the fixture run into two shards, the way --shard would, each with its own times. */
function halves(): { whole: RunResult; a: unknown; b: unknown } {
  const specs = fixtureSpecs();
  const whole = fixtureResult(specs);
  const first = specs.filter((_, i) => i % 2 === 0);
  const second = specs.filter((_, i) => i % 2 === 1);
  const a = fixtureResult(first, { startedAt: '2026-02-04T08:30:01.000Z', finishedAt: '2026-02-04T08:30:02.000Z', summary: summarize(first, 1000) });
  const b = fixtureResult(second, {
    startedAt: '2026-02-04T08:30:00.000Z',
    finishedAt: '2026-02-04T08:30:01.500Z',
    summary: summarize(second, 1500),
    interrupted: true,
    reuseWrites: [],
  });
  return { whole, a: JSON.parse(JSON.stringify(toReportJson(a))), b: JSON.parse(JSON.stringify(toReportJson(b))) };
}

/** The merged result; fails the test when the merge failed. */
function mergeOk(docs: unknown[]): RunResult {
  const out = mergeReports(docs);
  if (!out.ok) throw new Error(`expected a merge, got ${out.error.map((d) => d.message).join('; ')}`);
  return out.value;
}

/** The diagnostics of a merge that must fail. */
function refused(docs: unknown[]): Diagnostic[] {
  const out = mergeReports(docs);
  expect(out.ok).toBe(false);
  return out.ok ? [] : out.error;
}

describe('report merge', () => {
  it('reproduces the summary of the whole run, with specs in file order and the wall-clock span', () => {
    const { whole, a, b } = halves();
    const result = mergeOk([b, a]);
    expect(result.summary).toEqual(whole.summary);
    expect(result.specs.map((s) => s.file)).toEqual([...whole.specs.map((s) => s.file)].sort());
    expect(result.startedAt).toBe('2026-02-04T08:30:00.000Z');
    expect(result.finishedAt).toBe('2026-02-04T08:30:02.000Z');
    expect(result.interrupted).toBe(true);
    expect(result.reuseWrites).toHaveLength(1);
  });

  it('gives RunResult objects every reporter can render', () => {
    const { a, b } = halves();
    const result = mergeOk([a, b]);
    expect(githubAnnotations(result)).toContainEqual(expect.stringMatching(/^::error file=specs\/platform\/broken\.md,line=9,/));
    expect(junitReport(result)).toContain('<failure message="get_broken: status 500 not in [200] (specs/platform/broken.md:9)"');
    expect(markdownReport(result)).toContain('| Aspect | Swagger Says | Actual Behavior | Evidence |');
    const whole = toReportJson(fixtureResult());
    const merged = toReportJson(result);
    const byFile = (specs: typeof whole.specs): typeof whole.specs => [...specs].sort((x, y) => x.file.localeCompare(y.file));
    expect(byFile(merged.specs)).toEqual(byFile(whole.specs));
  });

  it('names the broken input and merges nothing', () => {
    const { a } = halves();
    const broken = { ...(a as object), summary: { total: 'many' } };
    const out = refused([a, broken]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'merge-not-a-report', severity: 'error' });
    expect(out[0]!.message).toMatch(/^report 2 is not an endpoint-verify JSON report: \/summary/);
    expect(refused([a, 'not json', null]).map((d) => d.message.slice(0, 8))).toEqual(['report 2', 'report 3']);
  });

  it('refuses a report of another schema version, and an empty list', () => {
    const { a } = halves();
    expect(refused([{ ...(a as object), schemaVersion: 99 }])[0]).toMatchObject({ code: 'merge-schema-version' });
    expect(refused([])[0]).toMatchObject({ code: 'merge-no-reports' });
  });

  it('refuses the same spec file in two shards', () => {
    const { a } = halves();
    const out = refused([a, a]);
    expect(out[0]).toMatchObject({ code: 'merge-duplicate-spec' });
    expect(out[0]!.message).toMatch(/is in report 1 and report 2/);
  });
});
