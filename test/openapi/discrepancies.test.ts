import { describe, expect, it } from 'vitest';
import { discrepancyRows, discrepancySection, escapeCell } from '../../src/openapi/discrepancies.js';
import type { Finding } from '../../src/result/result.js';

const f = (over: Partial<Finding> = {}): Finding => ({ stepId: 's1', aspect: 'status', documented: 'responses: 200', actual: 'returned 422', severity: 'warning', ...over });

describe('discrepancy table', () => {
  it('renders the seed table per spec, one row per distinct discrepancy', () => {
    const text = discrepancySection({ endpoint: 'GET /x/{id}', file: 'specs/x.md', findings: [f({ evidence: '{"error":"no"}' }), f({ stepId: 's2' })] });
    expect(text.split('\n')).toEqual([
      '### GET /x/{id} (specs/x.md)',
      '',
      '| Aspect | Swagger Says | Actual Behavior | Evidence |',
      '|--------|--------------|-----------------|----------|',
      '| Status code | responses: 200 | returned 422 | step `s1` `{"error":"no"}` |',
      '',
    ]);
  });

  it('escapes pipes and newlines, and keeps backticks inside the evidence code span', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b c');
    const [row] = discrepancyRows([f({ aspect: 'schema', pointer: '/a', evidence: 'x`y|z' })]);
    expect(row).toBe('| Response body | responses: 200 | returned 422 | step `s1` at `/a` `` x`y\\|z `` |');
  });

  it('says so when a spec has none', () => {
    expect(discrepancySection({ endpoint: 'GET /x', file: 'x.md', findings: [] })).toContain('No discrepancies found.');
  });
});
