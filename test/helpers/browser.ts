import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); nothing is downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// No network chatter of the browser's own: the report must work offline and tests stay on loopback.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/**
 * A headless Chromium. Playwright gives every launch a fresh temporary
 * user-data directory and removes it on close, so no profile state leaks
 * between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Opens a report file and waits until its script has drawn the spec table.
 * `beforeLoad` runs on the new page before navigation (to listen for console messages from the start).
 */
export async function openReport(browser: Browser, htmlFile: string, opts: { beforeLoad?: (page: Page) => void } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  opts.beforeLoad?.(page);
  await page.goto(pathToFileURL(path.resolve(htmlFile)).href);
  if ((await page.locator('#spec-rows').count()) > 0) await page.locator('#spec-rows tr').first().waitFor();
  return page;
}

/**
 * A full-page PNG of an HTML report, with the first failing (else blocked)
 * spec expanded so its step waterfall shows. Used for the README screenshot
 * of a sandbox run's report (call it from a vitest file: the project has no
 * other TypeScript runner).
 */
export async function screenshotReport(htmlFile: string, pngFile: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await openReport(browser, htmlFile);
    for (const verdict of ['failing', 'blocked']) {
      const row = page.locator(`#spec-rows tr.spec-row[data-verdict="${verdict}"]`).first();
      if ((await row.count()) > 0) {
        await row.click();
        break;
      }
    }
    await mkdir(path.dirname(path.resolve(pngFile)), { recursive: true });
    await page.screenshot({ path: pngFile, fullPage: true });
  } finally {
    await browser.close();
  }
}
