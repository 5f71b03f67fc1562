import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromReportJson, renderJson, toReportJson } from '../../src/report/json.js';
import { reportValidator } from '../../src/report/merge.js';
import { REPORT_SCHEMA_VERSION, reportJsonSchema } from '../../src/report/report-schema.js';
import { fixtureResult } from './fixture.js';

describe('JSON report', () => {
  it('validates against the published schema', () => {
    const doc = JSON.parse(renderJson(fixtureResult())) as unknown;
    const validate = reportValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('carries the documented fields, redacted values as given, and every key present', () => {
    const doc = toReportJson(fixtureResult());
    expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(doc.tool.name).toBe('endpoint-verify');
    expect(doc.summary).toEqual({ total: 5, verified: 2, failing: 1, blocked: 1, error: 0, invalid: 0, skipped: 1, durationMs: 2000 });
    const broken = doc.specs.find((s) => s.file === 'specs/platform/broken.md');
    expect(broken?.steps[0]).toMatchObject({ id: 'get_broken', phase: 'test', outcome: 'failed', line: 9, status: 500, attempts: 2 });
    expect(broken?.steps[0]?.url).toContain('key=***');
    expect(broken?.writeBack).toEqual({ outcome: 'conflict', message: 'changed during the run, not updated', changes: null });
    const blocked = doc.specs.find((s) => s.verdict === 'blocked');
    expect(blocked?.domain).toBeNull();
    expect(blocked?.steps[0]?.status).toBeNull();
    expect(blocked?.steps[0]?.error).toEqual({ code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    // A value that was not there stays absent, unlike a value that was null.
    const missing = broken?.steps[0]?.assertions[1];
    expect(missing && 'actual' in missing).toBe(false);
    expect(missing?.expected).toBe('widget');
  });

  it('rejects what the schema forbids', () => {
    const validate = reportValidator();
    const doc = toReportJson(fixtureResult()) as unknown as { specs: { verdict: string; steps: { line: number }[] }[] };
    doc.specs[0]!.verdict = 'passed';
    expect(validate(doc)).toBe(false);
    const doc2 = toReportJson(fixtureResult()) as unknown as Record<string, unknown>;
    delete doc2.summary;
    expect(validate(doc2)).toBe(false);
  });

  it('round-trips: fromReportJson is the inverse of toReportJson', () => {
    const doc = toReportJson(fixtureResult());
    const back = fromReportJson(JSON.parse(JSON.stringify(doc)) as typeof doc);
    expect(toReportJson(back)).toEqual(doc);
    expect(back.specs[1]?.steps[0]?.span).toEqual({ file: 'specs/platform/broken.md', line: 9, col: 5 });
  });

  it('carries the tables a run updated (before and after), validates, and reads them back; absent when none', () => {
    const result = fixtureResult();
    result.specs[0]!.docs = [{ kind: 'responses', line: 12, before: '| a |\n|---|\n| 1 |', after: '| a |\n|---|\n| 2 |', status: 'updated', diff: '@@ -13 +13 @@\n-| 1 |\n+| 2 |' }];
    const doc = JSON.parse(renderJson(result)) as ReturnType<typeof toReportJson>;
    expect(reportValidator()(doc)).toBe(true);
    expect(doc.specs[0]!.docs).toEqual([{ kind: 'responses', line: 12, before: '| a |\n|---|\n| 1 |', after: '| a |\n|---|\n| 2 |', status: 'updated', diff: '@@ -13 +13 @@\n-| 1 |\n+| 2 |' }]);
    expect('docs' in doc.specs[1]!).toBe(false);
    expect(fromReportJson(doc).specs[0]!.docs).toEqual(result.specs[0]!.docs);
  });

  it('docs/report.schema.json is the exported schema (regenerate with `endpoint-verify schema --report`)', async () => {
    const committed = await readFile(path.resolve(import.meta.dirname, '../../docs/report.schema.json'), 'utf8');
    expect(committed).toBe(`${JSON.stringify(reportJsonSchema, null, 2)}\n`);
  });
});
