import { describe, expect, it } from 'vitest';
import { junitReport, xmlAttr, xmlText } from '../../src/report/junit.js';
import type { SpecResult } from '../../src/result/result.js';
import { fixtureResult, fixtureSpecs } from './fixture.js';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A strict little parser for the subset JUnit uses: throws on anything not well-formed. */
function parseXml(xml: string): XmlNode {
  let i = 0;
  const decode = (s: string): string =>
    s.replace(/&(#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) =>
      e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e]!,
    );
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (!decl) throw new Error('no XML declaration');
  i = decl[0].length;
  const element = (): XmlNode => {
    const open = /^<([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(i));
    if (!open) throw new Error(`bad tag at ${i}: ${xml.slice(i, i + 40)}`);
    i += open[0].length;
    const attrs: Record<string, string> = {};
    for (const m of open[2]!.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[m[1]!] = decode(m[2]!);
    const node: XmlNode = { name: open[1]!, attrs, children: [], text: '' };
    if (open[3] === '/') return node;
    for (;;) {
      const textMatch = /^[^<]*/.exec(xml.slice(i))!;
      if (/&(?!(#\d+|lt|gt|amp|quot|apos);)/.test(textMatch[0])) throw new Error('bare &');
      node.text += decode(textMatch[0]);
      i += textMatch[0].length;
      if (xml.startsWith(`</${node.name}>`, i)) {
        i += node.name.length + 3;
        return node;
      }
      node.children.push(element());
    }
  };
  const root = element();
  if (xml.slice(i).trim() !== '') throw new Error('content after the root element');
  return root;
}

describe('JUnit reporter', () => {
  const result = fixtureResult();
  const xml = junitReport(result);
  const root = parseXml(xml);
  const cases = root.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));

  it('is well-formed, one testsuite per API and one testcase per spec', () => {
    expect(root.name).toBe('testsuites');
    // junit-10 has no `skipped` on <testsuites>; each <testsuite> carries its own.
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1', errors: '1' });
    expect(root.attrs.skipped).toBeUndefined();
    expect(root.children.map((s) => s.attrs.name)).toEqual(['platform', 'whatsapp']);
    const platform = root.children[0]!.children.filter((c) => c.name === 'testcase');
    expect(platform.map((c) => c.attrs.name)).toEqual(result.specs.filter((s) => s.api === 'platform').map((s) => s.endpoint));
    expect(new Set(cases.map((c) => c.attrs.classname))).toEqual(new Set(result.specs.map((s) => s.file)));
  });

  it('a failing spec has a failure with its message, file:line and expected/actual', () => {
    const c = cases.find((x) => x.attrs.classname === 'specs/platform/broken.md')!;
    const failure = c.children.find((x) => x.name === 'failure')!;
    expect(failure.attrs.message).toContain('status 500 not in [200]');
    expect(failure.attrs.message).toContain('specs/platform/broken.md:9');
    expect(failure.text).toContain('status in: expected [200], got 500');
    expect(failure.text).toContain('<script>x</script>');
    expect(c.children.find((x) => x.name === 'system-out')?.text).toContain('OpenAPI status (get_broken)');
  });

  it('a blocked spec is an error naming the prerequisite; a skipped spec is skipped', () => {
    const blocked = cases.find((x) => x.attrs.classname === 'specs/platform/c-blocked.md')!;
    const error = blocked.children.find((x) => x.name === 'error')!;
    expect(error.attrs.message).toMatch(/^blocked: prerequisite get_client failed.*specs\/platform\/c-blocked\.md:14/);
    const skipped = cases.find((x) => x.attrs.classname === 'specs/whatsapp/d-skipped.md')!;
    expect(skipped.children.map((x) => x.name)).toEqual(['skipped']);
    expect(cases.find((x) => x.attrs.classname === 'specs/platform/a-verified.md')!.children).toEqual([]);
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    const specs = fixtureSpecs();
    specs[1]!.endpoint = 'GET /a?x=1&y="2"<b>\u0000\u001b\ud800';
    specs[1]!.reason = 'two\nlines';
    const doc = junitReport(fixtureResult(specs));
    expect(doc).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const back = parseXml(doc);
    const c = back.children.flatMap((s) => s.children).find((x) => x.attrs.classname === 'specs/platform/broken.md')!;
    expect(c.attrs.name).toBe('GET /a?x=1&y="2"<b>');
    expect(c.children[0]!.attrs.message).toContain('two lines');
    expect(xmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(xmlAttr('"\'\n')).toBe('&quot;&apos;&#10;');
  });

  it('counts a spec invalid by its config as an error of its suite, with the config problem as the message', () => {
    const invalid: SpecResult = {
      file: 'specs/x/a.md',
      endpoint: 'GET /x',
      api: 'orders',
      verdict: 'invalid',
      reason: 'config: apis.orders.baseUrl uses ${ORDERS_URL}, which is not set',
      gateway: 'primary',
      durationMs: 0,
      steps: [],
      findings: [],
      diagnostics: [{ code: 'config-unset-var', severity: 'error', message: 'apis.orders.baseUrl uses ${ORDERS_URL}, which is not set', span: { file: 'verify.config.yaml', line: 9, col: 5 } }],
    };
    const root = parseXml(junitReport(fixtureResult([...fixtureSpecs(), invalid])));
    const suite = root.children.find((c) => c.attrs.name === 'orders')!;
    expect(suite.attrs.errors).toBe('1');
    expect(Number(root.attrs.errors)).toBe(fixtureSpecs().filter((x) => x.verdict === 'blocked').length + 1);
    const error = suite.children.find((c) => c.name === 'testcase')!.children.find((c) => c.name === 'error')!;
    expect(error.attrs.type).toBe('invalid');
    expect(error.attrs.message).toContain('ORDERS_URL');
  });
});

describe('JUnit reporter against the common JUnit schema (junit-10.xsd)', () => {
  it('the schema check rejects what junit-10 forbids (a skipped attribute on <testsuites>)', async () => {
    const { junitSchemaErrors } = await import('../helpers/junit-xsd.js');
    const bad = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="1" skipped="1"><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x"/></testsuite></testsuites>\n';
    expect((await junitSchemaErrors(bad)).join('\n')).toMatch(/skipped/);
  });

  it('a run with every outcome, broken specs included, is valid', async () => {
    const { junitSchemaErrors } = await import('../helpers/junit-xsd.js');
    const result = fixtureResult();
    const base = result.specs[0]!;
    result.specs.push(
      { ...base, file: 'specs/x/err.md', verdict: 'error', reason: 'call: nothing learned about the doc: connection refused', steps: [] },
      {
        ...base,
        file: 'specs/x/bad.md',
        endpoint: '',
        api: '',
        verdict: 'invalid',
        reason: 'error[yaml-syntax]: bad <yaml> & "quotes"',
        diagnostics: [{ code: 'yaml-syntax', severity: 'error', message: 'bad <yaml> & "quotes"', span: { file: 'specs/x/bad.md', line: 3, col: 9 }, hint: 'close the quote' }],
        steps: [],
      },
    );
    const xml = junitReport(result);
    expect(await junitSchemaErrors(xml)).toEqual([]);
    // The broken file is a testcase of its own, named by its file, pointing at its line.
    expect(xml).toContain('<testcase name="specs/x/bad.md" classname="specs/x/bad.md"');
    expect(xml).toContain('type="invalid">specs/x/bad.md:3: invalid: error[yaml-syntax]: bad &lt;yaml&gt; &amp; "quotes"');
    expect(xml).toContain('specs/x/bad.md:3:9: error[yaml-syntax]: bad &lt;yaml&gt; &amp; "quotes" (hint: close the quote)');
  });
});
