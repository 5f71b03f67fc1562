import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DOCS_DIFF_STYLE } from '../../src/report/html/docs-diff.js';
import { renderHtml } from '../../src/report/html/render.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

/** The HTML report's "Owned tables" section: each changed table as a before/after diff. */

describe('HTML report: owned tables', () => {
  const before = '| Token Type | Works | Notes |\n|---|---|---|\n| Staff | ✅ | <b>note</b> |';
  const after = '| Token Type | Works | Observed | Notes |\n|---|---|---|---|\n| Staff | ✅ | 422 via primary, 200 via fallback | <b>note</b> |';

  it('shows removed and added lines of each changed table, escaped, and nothing for unchanged ones', () => {
    const [first, ...rest] = fixtureSpecs();
    const spec = {
      ...first!,
      docs: [
        { kind: 'auth', line: 38, before, after, status: 'updated' as const },
        { kind: 'responses', line: 27, before: 'x', after: 'x', status: 'unchanged' as const },
      ],
    };
    const html = renderHtml(fixtureResult([spec, ...rest]), { now: () => 0 });
    const section = html.slice(html.indexOf('<section id="docs-tables"'), html.indexOf('</section>', html.indexOf('<section id="docs-tables"')));
    expect(section).toContain(`${spec.file}:38 <code>auth</code> <span class="docs-status">updated</span>`);
    expect(section).not.toContain('responses');
    expect(section).toContain('<span class="del">- | Token Type | Works | Notes |</span>');
    expect(section).toContain('<span class="ins">+ | Token Type | Works | Observed | Notes |</span>');
    expect(section).toContain('&lt;b&gt;note&lt;/b&gt;');
    expect(section).not.toContain('<b>note</b>');
    // The section's stylesheet is allowed by the page's CSP, by hash.
    const hash = createHash('sha256').update(DOCS_DIFF_STYLE).digest('base64');
    expect(html).toContain(`'sha256-${hash}'`);
  });

  it('has no section when no table changed', () => {
    expect(renderHtml(fixtureResult(), { now: () => 0 })).not.toContain('id="docs-tables"');
  });
});
