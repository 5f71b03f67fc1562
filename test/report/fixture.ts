import type { RunResult, SpecResult, StepResult } from '../../src/result/result.js';
import { summarize } from '../../src/result/result.js';

/** A hand-built run with every verdict and the awkward cases reporters must survive. */

export const SOURCES: Record<string, string> = {
  'specs/platform/broken.md': [
    '---',
    'endpoint: "GET /platform/v1/broken"',
    '---',
    '',
    '## Test Request',
    '',
    '```yaml',
    'steps:',
    '  - id: get_broken',
    '    method: GET',
    '    path: "/platform/v1/broken"',
    '```',
  ].join('\n'),
};

function step(id: string, extra: Partial<StepResult> = {}): StepResult {
  return {
    id,
    phase: 'test',
    outcome: 'passed',
    span: { file: 'x.md', line: 9, col: 5 },
    method: 'GET',
    url: 'http://127.0.0.1:4010/platform/apigw/x',
    gateway: 'primary',
    status: 200,
    durationMs: 12,
    attempts: 1,
    assertions: [{ kind: 'status', op: 'in', expected: [200], actual: 200, passed: true }],
    extracted: {},
    ...extra,
  };
}

export function fixtureSpecs(): SpecResult[] {
  return [
    {
      file: 'specs/platform/a-verified.md',
      endpoint: 'GET /platform/v1/clients',
      domain: 'clients',
      tags: ['clients'],
      api: 'platform',
      verdict: 'verified',
      gateway: 'primary',
      tokenType: 'staff',
      durationMs: 40,
      previousVerifiedAt: '2026-01-01T00:00:00.000Z',
      previousStatus: 'verified',
      findings: [],
      steps: [
        step('get_clients', {
          span: { file: 'specs/platform/a-verified.md', line: 20, col: 5 },
          extracted: { client_id: 'c_1', token: '***' },
          requestHeaders: { authorization: 'Bearer ***' },
        }),
      ],
      writeBack: { outcome: 'written', changes: { status: 'verified', verifiedAt: '2026-02-04T08:30:00.000Z', timesReused: 1 } },
    },
    {
      file: 'specs/platform/broken.md',
      endpoint: 'GET /platform/v1/broken',
      domain: 'ops',
      api: 'platform',
      verdict: 'failing',
      reason: 'get_broken: status 500 not in [200]',
      gateway: 'primary',
      tokenType: 'staff',
      durationMs: 1234,
      findings: [
        {
          stepId: 'get_broken',
          aspect: 'status',
          documented: '200 | 404',
          actual: '500\nInternal',
          evidence: '{"error": "boom"}',
          severity: 'warning',
        },
      ],
      steps: [
        step('get_broken', {
          span: { file: 'specs/platform/broken.md', line: 9, col: 5 },
          status: 500,
          outcome: 'failed',
          attempts: 2,
          url: 'http://127.0.0.1:4010/platform/apigw/platform/v1/broken?key=***',
          assertions: [
            { kind: 'status', op: 'in', expected: [200], actual: 500, passed: false },
            { kind: 'body', target: '$.name', op: 'equals', expected: 'widget', actual: undefined, passed: false, message: 'nothing matched $.name' },
          ],
          responseSnippet: '{"error":"boom \u001b[31mred\u001b[0m <script>x</script>"}',
          responseContentType: 'application/json',
        }),
        step('cleanup', { phase: 'cleanup', outcome: 'skipped', skipReason: 'an earlier step failed', span: { file: 'specs/platform/broken.md', line: 30, col: 5 } }),
      ],
      writeBack: { outcome: 'conflict', message: 'changed during the run, not updated' },
    },
    {
      file: 'specs/platform/c-blocked.md',
      endpoint: 'POST /platform/v1/orders',
      api: 'platform',
      verdict: 'blocked',
      reason: 'prerequisite get_client failed: network error',
      gateway: 'primary',
      durationMs: 5,
      findings: [],
      steps: [
        step('get_client', {
          phase: 'prerequisites',
          outcome: 'failed',
          span: { file: 'specs/platform/c-blocked.md', line: 14, col: 5 },
          status: undefined,
          assertions: [],
          error: { code: 'network', message: 'connect ECONNREFUSED 127.0.0.1:1' },
        }),
        step('create_order', { method: 'POST', outcome: 'skipped', skipReason: 'prerequisite failed', status: undefined, assertions: [] }),
      ],
    },
    {
      file: 'specs/whatsapp/d-skipped.md',
      endpoint: 'GET /api/conversations',
      api: 'whatsapp',
      verdict: 'skipped',
      reason: 'bail: an earlier spec failed',
      gateway: 'primary',
      durationMs: 0,
      findings: [],
      steps: [],
    },
    {
      file: 'specs/platform/e-fallback.md',
      endpoint: 'GET /platform/v1/clients/{client_id}/conversations',
      domain: 'communication',
      tags: ['conversations', 'messaging'],
      api: 'platform',
      verdict: 'verified',
      gateway: 'fallback',
      tokenType: 'staff',
      durationMs: 300,
      gatewayAttempts: [
        { gateway: 'primary', verdict: 'failing', reason: 'status 422 not in [200]' },
        { gateway: 'fallback', verdict: 'verified' },
      ],
      tokenMatrix: [
        { tokenType: 'staff', verdict: 'verified' },
        { tokenType: 'app', verdict: 'unavailable', reason: 'no token' },
      ],
      findings: [
        {
          stepId: 'get_conversations',
          aspect: 'status',
          documented: '200',
          actual: '422 | "Unauthorized"',
          pointer: '/status',
          evidence: '{status: "Error", error: "Unauthorized"}',
          severity: 'warning',
        },
      ],
      steps: [
        step('get_conversations', {
          gateway: 'fallback',
          url: 'http://127.0.0.1:4010/platform/api2/platform/v1/clients/c_1/conversations',
          span: { file: 'specs/platform/e-fallback.md', line: 62, col: 5 },
        }),
      ],
      writeBack: { outcome: 'written', changes: { status: 'verified' } },
    },
  ];
}

export function fixtureResult(specs: SpecResult[] = fixtureSpecs(), extra: Partial<RunResult> = {}): RunResult {
  return {
    startedAt: '2026-02-04T08:30:00.000Z',
    finishedAt: '2026-02-04T08:30:02.000Z',
    environment: 'sandbox',
    summary: summarize(specs, 2000),
    specs,
    interrupted: false,
    reuseWrites: [{ file: 'specs/platform/shared.md', delta: 2, writeBack: { outcome: 'refused', message: 'read-only file' } }],
    ...extra,
  };
}
