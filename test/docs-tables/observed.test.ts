import { describe, expect, it } from 'vitest';
import { observedTables } from '../../src/docs-tables/observed.js';
import type { DocsObservation } from '../../src/run/scheduler/observe.js';
import type { Finding } from '../../src/result/result.js';

const run = (findings: Finding[]): DocsObservation => ({
  gateway: 'primary',
  verdict: 'verified',
  own: true,
  steps: [{ id: 'get_conversations', phase: 'test', outcome: 'passed', status: 422 }],
  findings,
});

const status: Finding = { stepId: 'get_conversations', aspect: 'status', documented: 'responses: 200', actual: 'returned 422', severity: 'warning' };

describe('observed discrepancies', () => {
  it('a finding of the run becomes a row', () => {
    const [table] = observedTables(['discrepancies'], [run([status])], { conformance: true });
    expect(table?.kind).toBe('discrepancies');
    expect(table?.rows.length).toBe(1);
  });

  it.each([
    ['missing', { stepId: 'get_conversations', aspect: 'operation', documented: 'an OpenAPI document at mcp_swagger/communication.json', actual: 'the file does not exist', severity: 'warning' }],
    ['unreadable', { stepId: 'get_conversations', aspect: 'operation', documented: 'a readable operation in api.json', actual: 'the check failed: boom', severity: 'warning' }],
  ] as const)('an OpenAPI document that is %s judges nothing: the table is left as it is', (_name, finding) => {
    expect(observedTables(['discrepancies'], [run([finding as Finding])], { conformance: true })).toEqual([]);
    // Also when the finding came with another observation of the same spec (the document is read once).
    expect(observedTables(['discrepancies', 'responses'], [run([finding as Finding]), { ...run([]), own: false, tokenType: 'app' }], { conformance: true }).map((t) => t.kind)).toEqual(['responses']);
  });
});
