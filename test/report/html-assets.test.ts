import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ESLint } from 'eslint';
import stylelint from 'stylelint';
import { describe, expect, it } from 'vitest';
import { renderFreshnessHtml, renderHtml } from '../../src/report/html/render.js';
import { REPO } from '../cli/run-cli.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

/**
 * The HTML report's browser script and stylesheet are real files (src/report/html/assets/), linted
 * here so `npm test` holds the lint: ESLint's recommended rules for a plain browser script
 * (eslint.config.js), stylelint's standard config for the CSS (stylelint.config.js).
 */

const ASSETS = path.join(REPO, 'src/report/html/assets');
const SCRIPT_FILE = path.join(ASSETS, 'report.js');
const STYLE_FILE = path.join(ASSETS, 'report.css');

describe('the HTML report assets', () => {
  const eslint = new ESLint({ cwd: REPO });
  const problems = (results: ESLint.LintResult[]): string[] =>
    results.flatMap((r) => r.messages.map((m) => `${path.relative(REPO, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? 'parse'}: ${m.message}`));

  it('the browser script passes ESLint (recommended rules, browser globals, a plain ES2017 script)', async () => {
    const results = await eslint.lintFiles([SCRIPT_FILE]);
    expect(results.map((r) => r.filePath)).toEqual([SCRIPT_FILE]);
    expect(problems(results)).toEqual([]);
  });

  it('ESLint holds the script to the browser: a Node global, an unused variable or module syntax fails', async () => {
    const probe = path.join(ASSETS, 'probe.js');
    const lint = async (code: string) => problems(await eslint.lintText(code, { filePath: probe })).join('\n');
    expect(await lint("'use strict';\nprocess.exit(1);\n")).toMatch(/no-undef: 'process' is not defined/);
    expect(await lint("'use strict';\nvar unused = document.title;\n")).toMatch(/no-unused-vars/);
    expect(await lint("import x from './x.js';\nwindow.x = x;\n")).toMatch(/parse: .*'import' and 'export' may appear only with 'sourceType: module'/);
    expect(await lint("'use strict';\nwindow.alert(document.title);\n")).toBe('');
  });

  it('the stylesheet passes stylelint (standard config)', async () => {
    const { results } = await stylelint.lint({ files: [STYLE_FILE], cwd: REPO });
    expect(results).toHaveLength(1);
    expect(results[0]!.warnings.map((w) => `${w.line}:${w.column} ${w.text}`)).toEqual([]);
    expect(results[0]!.errored).toBeFalsy();
  });

  it('stylelint fails an unknown property and a selector that a more specific earlier one overrides', async () => {
    const lint = async (code: string) =>
      (await stylelint.lint({ code, codeFilename: path.join(ASSETS, 'probe.css'), cwd: REPO })).results[0]!.warnings.map((w) => w.rule);
    expect(await lint('a {\n  colr: red;\n}\n')).toContain('property-no-unknown');
    expect(await lint('#t td {\n  color: red;\n}\n\ntr td {\n  color: blue;\n}\n')).toContain('no-descending-specificity');
    expect(await lint('a {\n  color: red;\n}\n')).toEqual([]);
  });

  it('both reports inline the two files exactly as they are', async () => {
    const [script, style] = await Promise.all([readFile(SCRIPT_FILE, 'utf8'), readFile(STYLE_FILE, 'utf8')]);
    const html = renderHtml(fixtureResult(fixtureSpecs()), { now: () => Date.parse('2026-02-04T09:00:00.000Z') });
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]).toBe(style);
    expect(/<script>([\s\S]*?)<\/script>\s*<\/body>/.exec(html)?.[1]).toBe(script);
    const fresh = renderFreshnessHtml([], { now: new Date('2026-02-04T09:00:00.000Z') });
    expect(/<style>([\s\S]*?)<\/style>/.exec(fresh)?.[1]).toBe(style);
  });
});
