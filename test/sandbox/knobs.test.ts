import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knobsFromEnv, startSandbox, type Sandbox, type SandboxKnobs } from '../../src/sandbox/server.js';
import { call, env } from './client.js';

const started: Sandbox[] = [];
async function sandbox(knobs: SandboxKnobs): Promise<Sandbox> {
  const sb = await startSandbox({ knobs });
  started.push(sb);
  return sb;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

/** One request per API, so every mount's fault shape is exercised. */
async function onePerApi(sb: Sandbox): Promise<Array<Awaited<ReturnType<typeof call>>>> {
  return [
    await call(sb, 'GET', '/platform/apigw/platform/v1/clients', { token: env(sb, 'SANDBOX_PLATFORM_STAFF') }),
    await call(sb, 'GET', '/v2/api/v2/conversations', { token: env(sb, 'SANDBOX_CONV_USER') }),
    await call(sb, 'GET', '/whatsapp/api/conversations'),
    await call(sb, 'GET', '/agentclara/conversations', { token: env(sb, 'SANDBOX_AGENTCLARA_API_KEY') }),
    await call(sb, 'GET', '/no/such/route'),
  ];
}

describe('knobs', () => {
  let errors: Sandbox;
  beforeAll(async () => {
    errors = await sandbox({ errorRate: 1, seed: 3 });
  });

  it('errorRate 1 answers every request 500 or 503, in each API error shape', async () => {
    const results = await onePerApi(errors);
    for (const r of results) expect([500, 503]).toContain(r.status);
    expect(results[0]?.body.status).toBe('Error');
    expect(typeof results[1]?.body.detail).toBe('string');
    expect(results[2]?.body).toEqual({ success: false, error: 'Error al obtener conversaciones' });
    expect(results[3]?.body.success).toBe(false);
    expect(errors.log.map((e) => e.fault)).toEqual(['error', 'error', 'error', 'error', 'error']);
    expect(errors.log.map((e) => e.status)).toEqual(results.map((r) => r.status));
  });

  it('rateLimitRate 1 answers 429 with Retry-After: 1', async () => {
    const sb = await sandbox({ rateLimitRate: 1 });
    const results = await onePerApi(sb);
    for (const r of results) {
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
    }
    expect(sb.log.every((e) => e.fault === 'rate-limit' && e.status === 429)).toBe(true);
  });

  it('resetRate 1 destroys the socket without an answer', async () => {
    const sb = await sandbox({ resetRate: 1 });
    await expect(fetch(`${sb.url}/whatsapp/api/conversations`)).rejects.toThrow();
    await expect(call(sb, 'POST', '/agentclara/conversations', { body: { channel: 'sms' } })).rejects.toThrow();
    expect(sb.log).toEqual([
      { id: 1, method: 'GET', path: '/whatsapp/api/conversations', status: 0, fault: 'reset' },
      { id: 2, method: 'POST', path: '/agentclara/conversations', status: 0, fault: 'reset' },
    ]);
  });

  it('latencyMs delays answers that are otherwise normal, and logs it', async () => {
    const sb = await sandbox({ latencyMs: 15 });
    const r = await call(sb, 'GET', '/whatsapp/api/conversations');
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(sb.log).toEqual([{ id: 1, method: 'GET', path: '/whatsapp/api/conversations', status: 200, fault: 'latency' }]);
  });

  it('is off by default: no faults in the log', async () => {
    const sb = await sandbox({});
    const results = await onePerApi(sb);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 404]);
    expect(sb.log.some((e) => e.fault !== undefined)).toBe(false);
  });

  it('draws faults from a seeded PRNG: the same seed gives the same statuses, another seed others', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const sb = await sandbox({ errorRate: 0.3, rateLimitRate: 0.3, seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++) out.push((await call(sb, 'GET', '/whatsapp/api/conversations?status=closed')).status);
      return out;
    };
    const a = await statuses(42);
    const b = await statuses(42);
    const c = await statuses(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((s) => [200, 429, 500, 503].includes(s))).toBe(true);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(0);
  });

  it('a request can force a fault with x-sandbox-fault', async () => {
    const sb = await sandbox({});
    const r = await call(sb, 'GET', '/agentclara/conversations', { headers: { 'x-sandbox-fault': 'rate-limit' } });
    expect(r.status).toBe(429);
    expect(r.body).toEqual({ success: false, error: 'Rate limit exceeded' });
    await expect(call(sb, 'GET', '/agentclara/conversations', { headers: { 'x-sandbox-fault': 'reset' } })).rejects.toThrow();
    expect(sb.log.map((e) => e.fault)).toEqual(['rate-limit', 'reset']);
  });

  it('keeps exact per-path counts even when the log is off or trimmed', async () => {
    const off = await sandbox({ log: false, errorRate: 1 });
    const small = await sandbox({ logLimit: 3 });
    for (let i = 0; i < 5; i++) {
      await call(off, 'GET', '/whatsapp/api/conversations');
      await call(small, 'GET', '/whatsapp/api/conversations');
    }
    await call(small, 'GET', '/whatsapp/nope');
    expect(off.log).toEqual([]);
    expect(off.counts['GET /whatsapp/api/conversations']?.requests).toBe(5);
    expect(off.counts['GET /whatsapp/api/conversations']?.faults.error).toBe(5);
    expect(small.log.map((e) => e.id)).toEqual([4, 5, 6]);
    expect(small.counts['GET /whatsapp/api/conversations']).toEqual({ requests: 5, byStatus: { 200: 5 }, faults: {} });
    expect(small.counts['GET /whatsapp/nope']?.byStatus).toEqual({ 404: 1 });
  });

  it('reads knobs from SANDBOX_* variables, ignoring junk', () => {
    expect(
      knobsFromEnv({ SANDBOX_LATENCY_MS: '5', SANDBOX_ERROR_RATE: '0.1', SANDBOX_RATE_LIMIT_RATE: 'x', SANDBOX_RESET_RATE: '', SANDBOX_SEED: '9' }),
    ).toEqual({ latencyMs: 5, errorRate: 0.1, seed: 9 });
  });
});
