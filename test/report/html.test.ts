import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpecResult } from '../../src/result/result.js';
import { escapeHtml, jsonForScript, text } from '../../src/report/html/escape.js';
import type { ClientData } from '../../src/report/html/data.js';
import { bucketOf, freshnessBuckets, renderFreshnessHtml, renderHtml, type FreshnessRow } from '../../src/report/html/render.js';
import { createReporters } from '../../src/cli/reporters.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

const DAY = 86_400_000;
const PAYLOAD = '</script><script>window.__pwned=1</script><img src=x onerror="alert(\'x\')">';
const NOW = Date.parse('2026-02-07T08:30:00.000Z');

function hostile(): SpecResult {
  const base = fixtureSpecs()[1]!;
  return {
    ...base,
    file: 'specs/x/hostile.md',
    endpoint: `GET /x ${PAYLOAD}`,
    domain: `dom ${PAYLOAD}`,
    api: `api ${PAYLOAD}`,
    steps: base.steps.map((s) => ({ ...s, responseSnippet: PAYLOAD, assertions: [{ kind: 'body', op: 'equals', expected: 'a', actual: PAYLOAD, passed: false }] })),
  };
}

const result = fixtureResult([...fixtureSpecs(), hostile()], { environment: `env ${PAYLOAD}` });
const html = renderHtml(result, { now: () => NOW });

function jsonBlock(doc: string): ClientData {
  const m = /<script type="application\/json" id="ev-data">([\s\S]*?)<\/script>/.exec(doc);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as ClientData;
}

function sha256(s: string): string {
  return `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
}

/** Cells of a summary table row: [name, verified, failing, blocked, skipped, total]. */
function groupRow(doc: string, tableId: string, name: string): string[] {
  const table = new RegExp(`<table id="${tableId}"[\\s\\S]*?</table>`).exec(doc)?.[0] ?? '';
  const row = [...table.matchAll(/<tr><th scope="row">(.*?)<\/th>(.*?)<\/tr>/g)].find((r) => r[1] === name);
  expect(row, `${tableId} row ${name}`).toBeDefined();
  return [row![1]!, ...[...row![2]!.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((c) => c[1]!)];
}

describe('HTML escaping', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(text('\u001b[31mred\u001b[0m <b>')).toBe('red &lt;b&gt;');
  });

  it('embeds JSON that cannot close its script block and parses back unchanged', () => {
    const value = { s: `${PAYLOAD} <!-- & \u2028\u2029` };
    const out = jsonForScript(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe('renderHtml', () => {
  it('is self-contained: no external src or href, no imports, one page script', () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    expect(html.match(/<script\b/g)).toHaveLength(2);
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('has a strict CSP whose hashes match exactly the inline style and script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['style-src']).toBe(sha256(style));
    expect(directives['script-src']).toBe(sha256(script));
    // The CSP comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('never lets server or user text into the markup unescaped', () => {
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).toContain(`env ${escapeHtml(PAYLOAD)}`);
    expect(groupRow(html, 'by-domain', `dom ${escapeHtml(PAYLOAD)}`)).toEqual([`dom ${escapeHtml(PAYLOAD)}`, '0', '1', '0', '0', '0', '0', '1']);
    const data = jsonBlock(html);
    const spec = data.specs.find((s) => s.file === 'specs/x/hostile.md');
    expect(spec?.endpoint).toBe(`GET /x ${PAYLOAD}`);
    expect(spec?.steps[0]?.snippet).toBe(PAYLOAD);
    expect(spec?.steps[0]?.assertions[0]?.[4]).toBe(JSON.stringify(PAYLOAD));
  });

  it('shows totals by verdict, per domain and per API', () => {
    const count = (v: string): string | undefined => new RegExp(`data-verdict="${v}"><span class="count">(\\d+)<`).exec(html)?.[1];
    expect([count('verified'), count('failing'), count('blocked'), count('skipped')]).toEqual(['2', '2', '1', '1']);
    expect(groupRow(html, 'by-api', 'platform')).toEqual(['platform', '2', '1', '1', '0', '0', '0', '4']);
    expect(groupRow(html, 'by-api', 'whatsapp')).toEqual(['whatsapp', '0', '0', '0', '0', '0', '1', '1']);
    expect(groupRow(html, 'by-domain', '(no domain)')).toEqual(['(no domain)', '0', '0', '1', '0', '0', '1', '2']);
    expect(html).toContain('<dd>2.0 s</dd>');
    expect(html).toContain('1 verified only via the fallback gateway');
  });

  it('ages verifiedAt from the write-back, the run end, or the previous value', () => {
    const data = jsonBlock(html);
    const by = (file: string) => data.specs.find((s) => s.file === file)!;
    // Written back at 08:30:00; three days before NOW.
    expect(by('specs/platform/a-verified.md')).toMatchObject({ verifiedAt: '2026-02-04T08:30:00.000Z', ageMs: 3 * DAY, age: '3d ago' });
    // Verified, but no verifiedAt written: the run's end.
    expect(by('specs/platform/e-fallback.md')).toMatchObject({ verifiedAt: result.finishedAt, fallback: true });
    // Failing and never verified before.
    expect(by('specs/platform/broken.md')).toMatchObject({ verifiedAt: '', ageMs: -1, age: 'never' });
  });

  it('carries each step for the waterfall, in chain order, with findings under their step', () => {
    const broken = jsonBlock(html).specs.find((s) => s.file === 'specs/platform/broken.md')!;
    expect(broken.steps.map((s) => [s.id, s.phase, s.outcome])).toEqual([
      ['get_broken', 'test', 'failed'],
      ['cleanup', 'cleanup', 'skipped'],
    ]);
    expect(broken.steps[0]?.findings).toEqual([['status', '200 | 404', '500\nInternal', '', '{"error": "boom"}', 'warning']]);
    expect(broken.steps[0]?.snippet).not.toContain('\u001b');
    expect(broken.reason).toBe('get_broken: status 500 not in [200]');
  });
});

describe('freshness', () => {
  const now = Date.parse('2026-03-01T00:00:00.000Z');
  const ago = (ms: number): string => new Date(now - ms).toISOString();

  it('puts each age in exactly one bucket, boundaries inclusive', () => {
    expect(bucketOf(ago(0), now)).toBe('day');
    expect(bucketOf(ago(DAY), now)).toBe('day');
    expect(bucketOf(ago(DAY + 1), now)).toBe('week');
    expect(bucketOf(ago(7 * DAY), now)).toBe('week');
    expect(bucketOf(ago(7 * DAY + 1), now)).toBe('month');
    expect(bucketOf(ago(30 * DAY), now)).toBe('month');
    expect(bucketOf(ago(30 * DAY + 1), now)).toBe('older');
    expect(bucketOf(undefined, now)).toBe('never');
    expect(bucketOf('not a date', now)).toBe('never');
    // Another machine's clock slightly ahead: as fresh as it gets.
    expect(bucketOf(ago(-5000), now)).toBe('day');
  });

  it('counts by domain, sorted, specs without a domain last', () => {
    const rows: FreshnessRow[] = [
      { file: 'a', endpoint: 'A', domain: 'orders', status: 'verified', verifiedAt: ago(2 * DAY) },
      { file: 'b', endpoint: 'B', domain: 'clients', status: 'verified', verifiedAt: ago(1000) },
      { file: 'c', endpoint: 'C', status: 'draft' },
      { file: 'd', endpoint: 'D', domain: 'orders', status: 'failing', verifiedAt: ago(40 * DAY) },
      { file: 'e', endpoint: 'E', domain: 'orders', status: 'verified', verifiedAt: ago(10 * DAY) },
    ];
    const f = freshnessBuckets(rows, new Date(now));
    expect(f.all).toEqual({ day: 1, week: 1, month: 1, older: 1, never: 1 });
    expect(f.domains.map((d) => d.domain)).toEqual(['clients', 'orders', '(no domain)']);
    expect(f.domains[1]?.counts).toEqual({ day: 0, week: 1, month: 1, older: 1, never: 0 });
  });

  it('renders the dashboard without script, escaped, stalest first', () => {
    const rows: FreshnessRow[] = [
      { file: 'new.md', endpoint: 'GET /new', domain: 'd', status: 'verified', verifiedAt: ago(1000) },
      { file: 'never.md', endpoint: `GET /never ${PAYLOAD}`, domain: `d ${PAYLOAD}`, status: 'draft' },
      { file: 'old.md', endpoint: 'GET /old', domain: 'd', status: 'failing', verifiedAt: ago(45 * DAY) },
    ];
    const doc = renderFreshnessHtml(rows, { now: new Date(now) });
    expect(doc).toMatch(/script-src 'none'/);
    expect(doc).not.toMatch(/<script\b/);
    expect(doc).not.toContain('<img');
    expect(doc).toContain(`GET /never ${escapeHtml(PAYLOAD)}`);
    const order = ['never.md', 'old.md', 'new.md'].map((f) => doc.indexOf(`>${f}<`));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(doc).toContain('<strong>1</strong> verified within 1 day');
    expect(doc).toContain('<strong>1</strong> never');
  });
});

describe('html reporter', () => {
  it('writes the report through --reporter html:<file>', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ev-html-rep-'));
    try {
      const opts = { stdout: { write: () => true }, cwd: dir, color: false, quiet: true, verbose: false, sources: () => undefined, now: () => NOW };
      const created = await createReporters(['html:out/r.html'], opts);
      if (!created.ok) throw new Error(created.error);
      const [reporter] = created.value;
      await reporter!.finish(fixtureResult());
      const written = await readFile(path.join(dir, 'out/r.html'), 'utf8');
      expect(written).toBe(renderHtml(fixtureResult(), { now: () => NOW }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
