import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult, SpecResult } from '../../src/result/result.js';
import { formatValue, stripEscapes } from '../../src/report/format.js';
import { renderFreshnessHtml, renderHtml } from '../../src/report/html/render.js';
import { hasChromium, launchChromium, openReport } from '../helpers/browser.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

const SCRIPT_PAYLOAD = '<script>window.__pwned=1</script>';
const IMG_PAYLOAD = '<img src=x onerror="window.__pwned=2">';
const NOW = Date.parse('2026-02-04T09:00:00.000Z');

/** A failing spec whose server-controlled text tries to run script in the report. */
function hostileSpec(): SpecResult {
  return {
    file: 'specs/platform/hostile.md',
    endpoint: 'GET /platform/v1/hostile',
    domain: `evil ${IMG_PAYLOAD}`,
    api: 'platform',
    verdict: 'failing',
    gateway: 'primary',
    tokenType: 'staff',
    durationMs: 777,
    previousVerifiedAt: '2026-01-20T09:00:00.000Z',
    findings: [{ stepId: 'get_hostile', aspect: 'schema', documented: 'object', actual: IMG_PAYLOAD, pointer: '/data', severity: 'error' }],
    steps: [
      {
        id: 'get_hostile',
        phase: 'test',
        outcome: 'failed',
        span: { file: 'specs/platform/hostile.md', line: 12, col: 5 },
        method: 'GET',
        url: 'http://127.0.0.1:4010/platform/apigw/platform/v1/hostile?key=***',
        gateway: 'primary',
        status: 200,
        durationMs: 777,
        attempts: 1,
        assertions: [{ kind: 'body', target: '$.name', op: 'equals', expected: 'widget', actual: `${SCRIPT_PAYLOAD}${IMG_PAYLOAD}`, passed: false }],
        extracted: { name: IMG_PAYLOAD },
        responseSnippet: `{"name":"${SCRIPT_PAYLOAD}${IMG_PAYLOAD}"}`,
      },
    ],
  };
}

function run(): RunResult {
  return fixtureResult([...fixtureSpecs(), hostileSpec()]);
}

const suite = hasChromium() ? describe : describe.skip;

if (!hasChromium()) {
  describe('HTML report in Chromium', () => {
    it.skip('skipped: Chromium not installed (apt-get install -y chromium)', () => {});
  });
}

suite('HTML report in Chromium', () => {
  let dir = '';
  let file = '';
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ev-html-'));
    file = path.join(dir, 'report.html');
    await writeFile(file, renderHtml(run(), { now: () => NOW }));
    browser = await launchChromium();
    page = await openReport(browser, file, {
      beforeLoad: (p) => {
        p.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        });
        p.on('pageerror', (e) => consoleErrors.push(e.message));
      },
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const visibleRows = () => page.locator('#spec-rows tr.spec-row');

  it('shows the totals by verdict and draws every spec', async () => {
    const count = (v: string) => page.locator(`#totals [data-verdict="${v}"] .count`).textContent();
    expect(await count('verified')).toBe('2');
    expect(await count('failing')).toBe('2');
    expect(await count('blocked')).toBe('1');
    expect(await count('skipped')).toBe('1');
    expect(await visibleRows().count()).toBe(6);
    expect(await page.locator('#spec-count').textContent()).toBe('6 of 6 specs');
  });

  it('filters by text and by verdict', async () => {
    await page.fill('#filter-text', 'broken');
    expect(await visibleRows().count()).toBe(1);
    expect(await visibleRows().locator('td.endpoint').textContent()).toBe('GET /platform/v1/broken');
    await page.fill('#filter-text', '');
    await page.click('button.verdict-filter[data-verdict="verified"]');
    const verdicts = await visibleRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
    expect(verdicts).toHaveLength(4);
    expect(verdicts).not.toContain('verified');
    await page.click('button.verdict-filter[data-verdict="verified"]');
    expect(await visibleRows().count()).toBe(6);
  });

  it('sorts by duration, both ways', async () => {
    const durations = () => visibleRows().locator('td.duration').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-ms'))));
    const expected = run().specs.map((s) => s.durationMs).sort((a, b) => a - b);
    await page.click('#specs th[data-sort="duration"] button');
    expect(await durations()).toEqual(expected);
    expect(await page.getAttribute('#specs th[data-sort="duration"]', 'aria-sort')).toBe('ascending');
    await page.click('#specs th[data-sort="duration"] button');
    expect(await durations()).toEqual([...expected].reverse());
  });

  it('expands the failing spec to its steps, showing expected and actual as text', async () => {
    await page.locator('#spec-rows tr.spec-row', { hasText: 'GET /platform/v1/hostile' }).click();
    const detail = page.locator('#spec-rows tr.detail');
    await detail.waitFor();
    const step = hostileSpec().steps[0]!;
    const a = step.assertions[0]!;
    expect(await detail.locator('.a-expected').textContent()).toBe(formatValue(a.expected, 500));
    expect(await detail.locator('.a-actual').textContent()).toBe(formatValue(a.actual, 500));
    expect(await detail.locator('td.result-fail').textContent()).toBe('fail');
    expect(await detail.locator('pre.snippet').textContent()).toBe(stripEscapes(step.responseSnippet ?? ''));
    expect(await detail.locator('.wf-bar').count()).toBe(1);
    expect(await detail.locator('.request').textContent()).toBe(`GET ${step.url}`);
  });

  it('did not run any injected script and the page script ran without CSP errors', async () => {
    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // The payloads stayed text: no element was made from them.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(consoleErrors).toEqual([]);
    const png = path.join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('blocks inline script added to the page anyway (the CSP is in force)', async () => {
    const violation = page.waitForEvent('console', (m) => m.type() === 'error' && /Content Security Policy/i.test(m.text()));
    // As text: the test's own TypeScript has no DOM types.
    const ran: unknown = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 3';
      document.body.appendChild(s);
      return window.__pwned;
    })()`);
    expect(ran).toBeUndefined();
    expect((await violation).text()).toMatch(/script-src/);
  });

  it('renders the freshness dashboard without errors', async () => {
    const fresh = path.join(dir, 'fresh.html');
    const rows = [
      { file: 'a.md', endpoint: 'GET /a', domain: 'clients', status: 'verified', verifiedAt: '2026-02-04T08:00:00.000Z' },
      { file: 'b.md', endpoint: `GET /b ${SCRIPT_PAYLOAD}`, domain: 'clients', status: 'failing' },
    ];
    await writeFile(fresh, renderFreshnessHtml(rows, { now: new Date(NOW) }));
    const errors: string[] = [];
    const p = await openReport(browser, fresh, { beforeLoad: (pg) => pg.on('console', (m) => m.type() === 'error' && errors.push(m.text())) });
    expect(await p.locator('#fresh-specs td.endpoint').allTextContents()).toContain(`GET /b ${SCRIPT_PAYLOAD}`);
    expect(await p.locator('.fresh-chart rect').count()).toBe(4);
    expect(await p.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await p.close();
  });
});
