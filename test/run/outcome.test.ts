import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { verdictOf } from '../../src/run/chain/run-chain.js';
import type { StepErrorCode, StepResult } from '../../src/result/result.js';

/** The outcome table of docs/results.md, code by code, and the exit-code precedence. */

function failed(phase: StepResult['phase'], code?: StepErrorCode, usedVerdict?: 'error' | 'invalid' | 'failing'): StepResult {
  return {
    id: 's',
    phase,
    outcome: 'failed',
    span: { file: 'f.md', line: 1, col: 1 },
    method: 'GET',
    url: '/x',
    gateway: 'primary',
    durationMs: 0,
    attempts: 0,
    assertions: code ? [] : [{ kind: 'status', op: 'in', expected: [200], actual: 500, passed: false }],
    extracted: {},
    ...(code ? { error: { code, message: `${code} happened`, ...(usedVerdict ? { usedVerdict } : {}) } } : {}),
  };
}

describe('verdictOf: what a failed step says about the doc', () => {
  const table: [StepErrorCode | undefined, string, string][] = [
    [undefined, 'failing', 'blocked'],
    ['network', 'error', 'error'],
    ['timeout', 'error', 'error'],
    ['too-large', 'error', 'error'],
    ['rate-limited', 'error', 'error'],
    ['token', 'error', 'error'],
    ['template', 'invalid', 'invalid'],
    ['refused', 'invalid', 'invalid'],
    ['redirect', 'failing', 'blocked'],
  ];
  for (const [code, test, prereq] of table) {
    it(`${code ?? 'an assertion'}: ${test} in the Test Request, ${prereq} in a Prerequisite`, () => {
      expect(verdictOf([failed('test', code)]).verdict).toBe(test);
      const ok = { ...failed('test'), outcome: 'passed' as const, assertions: [] };
      expect(verdictOf([failed('prerequisites', code), ok]).verdict).toBe(prereq);
    });
  }

  it('a use: takes the used spec’s outcome: its outage is an outage, its broken file is invalid, its failure blocks', () => {
    expect(verdictOf([failed('prerequisites', 'use', 'error')]).verdict).toBe('error');
    expect(verdictOf([failed('prerequisites', 'use', 'invalid')]).verdict).toBe('invalid');
    expect(verdictOf([failed('prerequisites', 'use', 'failing')]).verdict).toBe('blocked');
  });
});

describe('exitCodeFor: 130 > 2 > 3 > 1 > 0', () => {
  const run = (s: Partial<Record<'failing' | 'blocked' | 'error' | 'invalid', number>>, interrupted = false) => ({
    summary: { failing: 0, blocked: 0, error: 0, invalid: 0, ...s },
    interrupted,
  });
  it.each([
    [run({}), 0],
    [run({ blocked: 1 }), 1],
    [run({ failing: 2, error: 1 }), 3],
    [run({ failing: 1, error: 1, invalid: 1 }), 2],
    [run({ invalid: 1 }, true), 130],
  ])('%j -> %i', (r, code) => {
    expect(exitCodeFor(r)).toBe(code);
  });
  it('a usage problem is 2 and a runtime problem outside the verdicts is 3', () => {
    expect(exitCodeFor(run({ error: 1 }), { usage: true })).toBe(2);
    expect(exitCodeFor(run({ failing: 1 }), { runtime: true })).toBe(3);
  });
});
