import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkJsonPath, queryJsonPath } from '../../src/index.js';

/**
 * The JSONPath Compliance Test Suite (RFC 9535), vendored in
 * test/fixtures/jsonpath-cts with its license and source commit. Every case
 * goes through the public API: invalid selectors must be refused by
 * checkJsonPath, valid ones must select exactly the documented nodelist.
 */

interface Case {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  invalid_selector?: boolean;
}

const suite = JSON.parse(readFileSync(new URL('../fixtures/jsonpath-cts/cts.json', import.meta.url), 'utf8')) as { tests: Case[] };

describe('JSONPath Compliance Test Suite', () => {
  it('has all 703 cases', () => {
    expect(suite.tests).toHaveLength(703);
  });

  it.each(suite.tests.map((t, i) => [`${i} ${t.name}`, t] as const))('%s', (_name, t) => {
    const check = checkJsonPath(t.selector);
    if (t.invalid_selector) {
      expect(check.ok).toBe(false);
      expect(() => queryJsonPath(t.document ?? {}, t.selector)).toThrow();
      return;
    }
    expect(check.ok).toBe(true);
    const got = queryJsonPath(t.document, t.selector);
    if (t.results) expect(t.results).toContainEqual(got);
    else expect(got).toEqual(t.result);
  });
});
