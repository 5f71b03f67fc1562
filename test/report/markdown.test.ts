import { describe, expect, it } from 'vitest';
import { cell, markdownReport } from '../../src/report/markdown.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

/** Splits a table row into cells the way GitHub does: on `|` not preceded by a backslash. */
function cells(row: string): string[] {
  return row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

describe('Markdown reporter', () => {
  const md = markdownReport(fixtureResult());
  const lines = md.split('\n');

  it('has a summary table with a row per verdict', () => {
    expect(lines).toContain('| ✅ verified | 2 |');
    expect(lines).toContain('| ❌ failing | 1 |');
    expect(lines).toContain('| ⛔ blocked | 1 |');
    expect(lines).toContain('| ⏭️ skipped | 1 |');
    expect(md).toMatch(/1 verified via the fallback gateway/);
  });

  it('lists failing and blocked specs with reason and file:line', () => {
    const row = lines.find((l) => l.includes('GET /platform/v1/broken') && l.startsWith('| ❌'));
    expect(cells(row!)).toEqual(['❌ failing', 'GET /platform/v1/broken', 'specs/platform/broken.md:9', 'get_broken: status 500 not in [200]']);
    const blocked = lines.find((l) => l.startsWith('| ⛔ blocked | POST'));
    expect(blocked).toContain('specs/platform/c-blocked.md:14');
    expect(md).toContain('status in: expected [200], got 500');
  });

  it('renders findings as the seed table, with | and newlines escaped in cells', () => {
    const header = lines.indexOf('| Aspect | Swagger Says | Actual Behavior | Evidence |');
    expect(header).toBeGreaterThan(0);
    const row = lines[header + 2]!;
    const c = cells(row);
    expect(c).toHaveLength(4);
    expect(c[1]).toBe('200 \\| 404');
    expect(c[2]).toBe('500<br>Internal');
    // Each table row stays on one line.
    const fallbackRow = lines.find((l) => l.includes('Unauthorized') && l.startsWith('| status'))!;
    expect(cells(fallbackRow)).toHaveLength(4);
    expect(cells(fallbackRow)[2]).toBe('422 \\| "Unauthorized"');
  });

  it('escapes HTML from the server and lists write-back problems', () => {
    // Server text is only ever inside a code block (shown, not run) or escaped.
    const outsideCode = md.replace(/^(`{3,})text\n[\s\S]*?^\1$/gm, '');
    expect(md).toContain('<script>x</script>');
    expect(outsideCode).not.toContain('<script>');
    expect(md).not.toContain('\u001b');
    expect(md).toMatch(/\| specs\/platform\/broken\.md \| conflict \| changed during the run, not updated \|/);
    expect(md).toMatch(/\| specs\/platform\/shared\.md \| refused \| read-only file \|/);
    expect(cell('a|b\nc\r\nd<e>')).toBe('a\\|b<br>c<br>d&lt;e&gt;');
  });

  it('keeps a response containing a fence inside its code block', () => {
    const specs = fixtureSpecs();
    specs[1]!.steps[0]!.responseSnippet = '```\n# not a heading';
    const out = markdownReport(fixtureResult(specs));
    expect(out).toMatch(/````text\n[\s\S]*```\n# not a heading\n````/);
  });
});
