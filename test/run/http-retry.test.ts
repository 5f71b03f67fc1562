import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/run/http/client.js';
import { backoffDelay, mayRetry, parseRetryAfter } from '../../src/run/http/retry.js';
import type { HttpClient } from '../../src/run/chain/types.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

let server: HostileServer;
let client: HttpClient;

beforeAll(async () => {
  server = await startHostileServer();
  client = createHttpClient({ requestTimeoutMs: 3000, maxWaitMs: 5000 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

const fast = { attempts: 3, backoffMs: 10 };

describe('retries after network errors', () => {
  it('retries a GET after a reset, up to the attempts asked for', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/reset-mid-body?id=get`, headers: {}, retry: fast });
    expect(out.ok).toBe(false);
    expect(out.attempts).toBe(3);
    expect(server.count('/reset-mid-body', 'get')).toBe(3);
  });

  it('never replays a POST after a reset, even when retries are asked for', async () => {
    const out = await client.request({ method: 'POST', url: `${server.url}/reset-mid-body?id=post`, headers: { 'content-type': 'application/json' }, body: '{}', retry: fast });
    expect(out.ok ? undefined : out.error.code).toBe('network');
    expect(out.attempts).toBe(1);
    expect(server.count('/reset-mid-body', 'post')).toBe(1);
  });

  it('does not retry a PATCH either', async () => {
    await client.request({ method: 'PATCH', url: `${server.url}/reset-mid-body?id=patch`, headers: {}, body: '{}', retry: fast });
    expect(server.count('/reset-mid-body', 'patch')).toBe(1);
  });

  it('retries a POST that carries an Idempotency-Key', async () => {
    const out = await client.request({ method: 'POST', url: `${server.url}/reset-mid-body?id=idem`, headers: { 'Idempotency-Key': 'k-1' }, body: '{}', retry: fast });
    expect(out.attempts).toBe(3);
    expect(server.count('/reset-mid-body', 'idem')).toBe(3);
  });

  it('sends a GET once when no retry is asked for', async () => {
    await client.request({ method: 'GET', url: `${server.url}/reset-mid-body?id=once`, headers: {} });
    expect(server.count('/reset-mid-body', 'once')).toBe(1);
  });
});

describe('retries after 502/503/504', () => {
  it('retries 503 and then succeeds', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/503-then-ok?id=a&n=2`, headers: {}, retry: fast });
    expect(out.ok && out.response.status).toBe(200);
    expect(out.attempts).toBe(3);
    expect(server.count('/503-then-ok', 'a')).toBe(3);
  });

  it('returns the last 503 as a response when attempts run out', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/503-then-ok?id=b&n=5`, headers: {}, retry: { attempts: 2, backoffMs: 10 } });
    expect(out.ok && out.response.status).toBe(503);
    expect(out.attempts).toBe(2);
    expect(server.count('/503-then-ok', 'b')).toBe(2);
  });

  it('does not retry a 503 for a POST', async () => {
    const out = await client.request({ method: 'POST', url: `${server.url}/503-then-ok?id=c&n=1`, headers: {}, body: '{}', retry: fast });
    expect(out.ok && out.response.status).toBe(503);
    expect(server.count('/503-then-ok', 'c')).toBe(1);
  });
});

describe('429 and Retry-After', () => {
  it('waits the Retry-After seconds and then succeeds', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/429?after=1&id=s`, headers: {} });
    expect(out.ok && out.response.status).toBe(200);
    expect(out.attempts).toBe(2);
    expect(server.count('/429', 's')).toBe(2);
  });

  it('waits out a Retry-After given as an HTTP date', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/429?date=1&id=d`, headers: {} });
    expect(out.ok && out.response.status).toBe(200);
    expect(server.count('/429', 'd')).toBe(2);
  });

  it('waits for a 429 even on a POST: the server did not process it', async () => {
    const out = await client.request({ method: 'POST', url: `${server.url}/429?after=0&id=p`, headers: {}, body: '{}' });
    expect(out.ok && out.response.status).toBe(200);
    expect(server.count('/429', 'p')).toBe(2);
  });

  it('fails fast as rate-limited when Retry-After is longer than the max wait', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/429-hour`, headers: {}, retry: fast });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.code).toBe('rate-limited');
    expect(out.error.message).toContain('Retry-After');
    expect(out.status).toBe(429);
    expect(out.attempts).toBe(1);
    expect(server.count('/429-hour')).toBe(1);
  });

  it('gives up as rate-limited after a few 429s in a row, without a retry storm', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/429?after=0&always=1&id=storm`, headers: {}, retry: fast });
    expect(out.ok ? undefined : out.error.code).toBe('rate-limited');
    expect(out.attempts).toBe(server.count('/429', 'storm'));
    expect(out.attempts).toBeGreaterThan(1);
    expect(out.attempts).toBeLessThanOrEqual(4);
  });

  it('fails at once when even a zero max wait is exceeded', async () => {
    const impatient = createHttpClient({ maxWaitMs: 0 });
    try {
      const limited = await impatient.request({ method: 'GET', url: `${server.url}/429?after=1&id=never`, headers: {} });
      expect(limited.ok ? undefined : limited.error.code).toBe('rate-limited');
      expect(server.count('/429', 'never')).toBe(1);
    } finally {
      await impatient.close();
    }
  });

  it('stops waiting when the signal aborts', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const out = await client.request({ method: 'GET', url: `${server.url}/429?after=4&id=abort`, headers: {}, signal: ctl.signal });
    expect(out.ok ? undefined : out.error.code).toBe('interrupted');
    expect(server.count('/429', 'abort')).toBe(1);
  });
});

describe('per-host pacing', () => {
  it('still sends every request with a rate set', async () => {
    const paced = createHttpClient({ ratePerHost: 50 });
    try {
      const outs = await Promise.all([1, 2, 3, 4].map(() => paced.request({ method: 'GET', url: `${server.url}/count?id=paced`, headers: {} })));
      expect(outs.every((o) => o.ok && o.response.status === 200)).toBe(true);
      expect(server.count('/count', 'paced')).toBe(4);
    } finally {
      await paced.close();
    }
  });
});

describe('retry rules', () => {
  it('retries only idempotent methods or an Idempotency-Key', () => {
    expect(mayRetry('get', {})).toBe(true);
    expect(mayRetry('HEAD', {})).toBe(true);
    expect(mayRetry('OPTIONS', {})).toBe(true);
    expect(mayRetry('POST', {})).toBe(false);
    expect(mayRetry('DELETE', {})).toBe(false);
    expect(mayRetry('PATCH', { 'idempotency-key': 'x' })).toBe(true);
  });

  it('parses Retry-After seconds and dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:30 GMT', now)).toBe(30000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('keeps jittered backoff within base * 2^n', () => {
    expect(backoffDelay(100, 3, () => 0.999)).toBeLessThan(800);
    expect(backoffDelay(100, 3, () => 0.5)).toBe(400);
    expect(backoffDelay(100, 0, () => 0)).toBe(0);
  });
});
