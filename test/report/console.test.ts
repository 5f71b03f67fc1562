import { describe, expect, it, vi } from 'vitest';
import { ConsoleReporter } from '../../src/report/console.js';
import type { ReporterOptions } from '../../src/report/reporter.js';
import type { RunResult } from '../../src/result/result.js';
import { fixtureResult, SOURCES } from './fixture.js';

function sink(isTTY: boolean): { out: ReporterOptions['stdout']; text: () => string } {
  const chunks: string[] = [];
  return { out: { write: (s: string) => chunks.push(s), isTTY, columns: 100 }, text: () => chunks.join('') };
}

function options(out: ReporterOptions['stdout'], extra: Partial<ReporterOptions> = {}): ReporterOptions {
  let t = 0;
  return {
    stdout: out,
    cwd: '/work',
    // What the CLI's useColor() decides: colour on a terminal (FORCE_COLOR aside).
    color: out.isTTY === true,
    quiet: false,
    verbose: false,
    sources: (f) => SOURCES[f],
    // Each reading moves the clock a second, so every progress update is past the throttle.
    now: () => (t += 1000),
    ...extra,
  };
}

/** Feeds the run's events the way the scheduler does, then finishes. */
async function play(reporter: ConsoleReporter, result: RunResult): Promise<void> {
  reporter.onEvent({ type: 'run-start', total: result.specs.length });
  for (const spec of result.specs) {
    reporter.onEvent({ type: 'spec-start', file: spec.file, endpoint: spec.endpoint });
    for (const step of spec.steps) reporter.onEvent({ type: 'step-end', file: spec.file, step });
    reporter.onEvent({ type: 'spec-end', result: spec });
  }
  reporter.onEvent({ type: 'run-end', result });
  await reporter.finish(result);
}

describe('console reporter', () => {
  it('writes no escape code at all when stdout is not a terminal', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out, { verbose: true })), fixtureResult());
    expect(s.text()).not.toContain('\u001b');
    expect(s.text()).not.toContain('\r');
    // The server's own escape codes in the response snippet are stripped too.
    expect(s.text()).toContain('boom red');
  });

  it('with colour forced (--color, FORCE_COLOR) colours a log that is not a terminal, without the live line', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out, { color: true })), fixtureResult());
    expect(s.text()).toContain('\u001b[32m✓ verified');
    expect(s.text()).not.toContain('\r');
    // The server's own escape codes are still stripped.
    expect(s.text()).toContain('boom red');
  });

  it('writes no escape code on a terminal with colour off', async () => {
    const s = sink(true);
    await play(new ConsoleReporter(options(s.out, { color: false })), fixtureResult());
    expect(s.text()).not.toContain('\u001b');
  });

  it('draws a live progress line only on a colour terminal, and clears it before the final report', async () => {
    const s = sink(true);
    await play(new ConsoleReporter(options(s.out)), fixtureResult());
    const text = s.text();
    expect(text).toContain('\r\u001b[2K');
    expect(text).toMatch(/5\/5 \u001b\[32m✓ 2\u001b\[0m \u001b\[31m✗ 2\u001b\[0m/);
    // The spec lines stay; what follows the last clear is the final report, with no progress in it.
    const tail = text.slice(text.lastIndexOf('\r\u001b[2K'));
    expect(tail).not.toMatch(/\d+\/5 /);
    expect(tail).toContain('2 verified');
  });

  it('prints one line per spec with verdict, endpoint, file, duration and the fallback gateway', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out)), fixtureResult());
    const lines = s.text().split('\n');
    expect(lines).toContain('✗ failing  GET /platform/v1/broken  specs/platform/broken.md  1.2 s');
    expect(lines).toContain('✓ verified GET /platform/v1/clients/{client_id}/conversations  specs/platform/e-fallback.md  300 ms  via fallback gateway  as staff');
    expect(lines.some((l) => l.startsWith('- skipped') && l.includes('bail: an earlier spec failed'))).toBe(true);
  });

  it('shows each failure in full: step, file:line, source line, request, expected vs actual, response', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out)), fixtureResult());
    const text = s.text();
    const failure = text.slice(text.indexOf('✗ failing GET /platform/v1/broken'));
    expect(failure).toContain('--> specs/platform/broken.md:9  step get_broken (test)');
    expect(failure).toContain('9 |   - id: get_broken');
    expect(failure).toContain('request: GET http://127.0.0.1:4010/platform/apigw/platform/v1/broken?key=*** -> 500 (2 attempts)');
    expect(failure).toContain('status in: expected [200], got 500');
    expect(failure).toContain('body $.name equals: expected "widget", got (nothing) (nothing matched $.name)');
    expect(failure).toContain('response (application/json):');
    const blocked = text.slice(text.indexOf('! blocked POST /platform/v1/orders'));
    expect(blocked).toContain('prerequisite get_client failed');
    expect(blocked).toContain('-> no response');
    expect(blocked).toContain('error (network): connect ECONNREFUSED 127.0.0.1:1');
  });

  it('lists findings as warnings, write-back problems, and a summary naming the fallback', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out)), fixtureResult());
    const text = s.text();
    expect(text).toContain('warning: GET /platform/v1/broken (specs/platform/broken.md:9) status: documented 200 | 404; actual 500 Internal');
    expect(text).toMatch(/! conflict specs\/platform\/broken\.md: changed during the run, not updated/);
    expect(text).toMatch(/! refused specs\/platform\/shared\.md: read-only file/);
    const last = text.trimEnd().split('\n').pop();
    expect(last).toBe('2 verified, 1 failing, 1 blocked, 1 skipped (5 specs) in 2.0 s; 1 verified via the fallback gateway; 2 write-backs failed');
  });

  it('names skipped only when a spec was skipped, and says "1 spec" for one', async () => {
    const full = fixtureResult();
    const one = full.specs.find((x) => x.verdict === 'verified')!;
    const result: RunResult = {
      ...full,
      specs: [{ ...one, writeBack: { outcome: 'written' } }],
      summary: { ...full.summary, total: 1, verified: 1, failing: 0, blocked: 0, error: 0, invalid: 0, skipped: 0 },
    };
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out)), result);
    const last = s.text().trimEnd().split('\n').pop();
    expect(last).toMatch(/^1 verified, 0 failing, 0 blocked \(1 spec\) in /);
  });

  it('--quiet prints only the failures and the summary', async () => {
    const s = sink(true);
    await play(new ConsoleReporter(options(s.out, { quiet: true, color: false })), fixtureResult());
    const text = s.text();
    expect(text).not.toContain('✓ verified');
    expect(text).not.toContain('- skipped');
    expect(text).not.toContain('warning:');
    expect(text).toContain('✗ failing GET /platform/v1/broken');
    expect(text).toContain('2 verified, 1 failing');
  });

  it('--verbose prints every step of every spec with its status and duration', async () => {
    const s = sink(false);
    await play(new ConsoleReporter(options(s.out, { verbose: true })), fixtureResult());
    const text = s.text();
    expect(text).toContain('    ✓ test get_clients  GET http://127.0.0.1:4010/platform/apigw/x  200  12 ms');
    expect(text).toContain('    - cleanup cleanup  skipped: an earlier step failed');
    expect(text).toContain('    primary gateway: failing (status 422 not in [200])');
    expect(text).toMatch(/Token matrix:[\s\S]*app\s+unavailable  no token/);
  });

  it('prints every spec from finish alone (a merged report has no live events)', async () => {
    const s = sink(false);
    const result = fixtureResult();
    await new ConsoleReporter(options(s.out)).finish(result);
    for (const spec of result.specs) expect(s.text()).toContain(`${spec.endpoint}  ${spec.file}`);
  });

  it('says when the run was interrupted', async () => {
    const s = sink(false);
    await new ConsoleReporter(options(s.out, { quiet: true })).finish(fixtureResult(undefined, { interrupted: true }));
    expect(s.text()).toMatch(/interrupted, not every spec ran/);
  });
});

describe('progress line', () => {
  it('redraws at most ten times a second and catches up with the latest counts', async () => {
    vi.useFakeTimers();
    try {
      const s = sink(true);
      const reporter = new ConsoleReporter(options(s.out, { now: () => Date.now() }));
      const base = fixtureResult().specs[0]!;
      reporter.onEvent({ type: 'run-start', total: 50 });
      for (let i = 0; i < 50; i++) reporter.onEvent({ type: 'spec-end', result: { ...base, file: `specs/s${i}.md` } });
      const draws = (): string[] => s.text().match(/\d+\/50 /g) ?? [];
      // The first draw happens at once; the 50 updates in the same instant wait for the next slot.
      expect(draws()).toEqual(['0/50 ']);
      vi.advanceTimersByTime(100);
      expect(draws()).toEqual(['0/50 ', '50/50 ']);
      await reporter.finish(fixtureResult());
    } finally {
      vi.useRealTimers();
    }
  });
});
