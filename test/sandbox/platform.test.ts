import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS, startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { call, env } from './client.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

const clients = (gw: string, q = ''): string => `/platform/${gw}/platform/v1/clients${q}`;
const convs = (gw: string, client: string, q = ''): string => `/platform/${gw}/platform/v1/clients/${client}/conversations${q}`;

describe('platform API: GET /platform/v1/clients', () => {
  it('lists the business clients with the seed chain shape ($.data.clients[0].id)', async () => {
    const r = await call(sb, 'GET', clients('apigw', '?business_id=biz_001&per_page=1'), { token: env(sb, 'SANDBOX_PLATFORM_STAFF') });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('OK');
    expect(r.body.data.clients).toHaveLength(1);
    expect(r.body.data.clients[0]).toMatchObject({ id: SANDBOX_IDS.platform.clientWithConversations, business_id: 'biz_001' });
    expect(r.body.data.pagination).toEqual({ page: 1, per_page: 1, total: 60, total_pages: 60 });
  });

  it('defaults per_page to 25, clamps anything above 50, and pages', async () => {
    const token = env(sb, 'SANDBOX_PLATFORM_APP');
    const d = await call(sb, 'GET', clients('api2', '?business_id=biz_001'), { token });
    expect(d.body.data.clients).toHaveLength(25);
    const big = await call(sb, 'GET', clients('api2', '?business_id=biz_001&per_page=500'), { token });
    expect(big.body.data.clients).toHaveLength(50);
    expect(big.body.data.pagination.per_page).toBe(50);
    const p2 = await call(sb, 'GET', clients('api2', '?business_id=biz_001&per_page=50&page=2'), { token });
    expect(p2.body.data.clients.map((c: { id: string }) => c.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `cli_${String(51 + i).padStart(3, '0')}`),
    );
  });

  it('refuses a non-integer or zero page/per_page with the Rails error shape', async () => {
    const token = env(sb, 'SANDBOX_PLATFORM_STAFF');
    const a = await call(sb, 'GET', clients('apigw', '?per_page=abc'), { token });
    expect(a.status).toBe(422);
    expect(a.body).toEqual({ status: 'Error', error: 'Invalid per_page parameter' });
    const b = await call(sb, 'GET', clients('apigw', '?page=0'), { token });
    expect(b.body).toEqual({ status: 'Error', error: 'Invalid page parameter' });
  });

  it('uses the staff business by default and requires business_id for other tokens', async () => {
    const staff = await call(sb, 'GET', clients('apigw'), { token: env(sb, 'SANDBOX_PLATFORM_STAFF') });
    expect(staff.body.data.pagination.total).toBe(60);
    const app = await call(sb, 'GET', clients('apigw'), { token: env(sb, 'SANDBOX_PLATFORM_DIRECTORY') });
    expect(app.status).toBe(422);
    expect(app.body).toEqual({ status: 'Error', error: 'business_id is required' });
    const other = await call(sb, 'GET', clients('apigw', '?business_id=biz_002'), { token: env(sb, 'SANDBOX_PLATFORM_STAFF_NO_BUSINESS') });
    expect(other.body.data.clients.map((c: { id: string }) => c.id)).toContain(SANDBOX_IDS.platform.clientOfOtherBusiness);
  });

  it('answers 401 for a missing or unknown token on both gateways', async () => {
    for (const gw of ['apigw', 'api2']) {
      const none = await call(sb, 'GET', clients(gw, '?business_id=biz_001'));
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ status: 'Error', error: 'Invalid or missing token' });
      const bad = await call(sb, 'GET', convs(gw, 'cli_001'), { token: 'not-a-token' });
      expect(bad.status).toBe(401);
    }
  });
});

describe('platform API: GET /platform/v1/clients/{client_id}/conversations', () => {
  it('answers 422 Unauthorized through /apigw with a staff token (the seed Known Issue)', async () => {
    const r = await call(sb, 'GET', convs('apigw', 'cli_001'), { token: env(sb, 'SANDBOX_PLATFORM_STAFF') });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ status: 'Error', error: 'Unauthorized' });
  });

  it('answers 200 through /api2 with a staff token, newest first', async () => {
    const r = await call(sb, 'GET', convs('api2', 'cli_001'), { token: env(sb, 'SANDBOX_PLATFORM_STAFF') });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('OK');
    const list = r.body.data.conversations as Array<Record<string, unknown>>;
    expect(list).toHaveLength(25);
    expect(list[0]).toMatchObject({ client_id: 'cli_001', business_id: 'biz_001' });
    expect(Object.keys(list[0] ?? {})).toEqual(
      expect.arrayContaining(['id', 'subject', 'channel', 'status', 'last_message', 'last_message_at', 'created_at']),
    );
    const times = list.map((c) => String(c.last_message_at));
    expect([...times].sort().reverse()).toEqual(times);
    expect(r.body.data.pagination).toEqual({ page: 1, per_page: 25, total: 60, total_pages: 3 });
  });

  it('clamps per_page at 50 and refuses a malformed one', async () => {
    const token = env(sb, 'SANDBOX_PLATFORM_STAFF');
    const r = await call(sb, 'GET', convs('api2', 'cli_001', '?per_page=51'), { token });
    expect(r.body.data.conversations).toHaveLength(50);
    const last = await call(sb, 'GET', convs('api2', 'cli_001', '?per_page=50&page=2'), { token });
    expect(last.body.data.conversations).toHaveLength(10);
    const bad = await call(sb, 'GET', convs('api2', 'cli_001', '?per_page=-1'), { token });
    expect(bad.status).toBe(422);
  });

  it('gives the upstream Unauthorized to a staff without business, and to app and directory tokens', async () => {
    for (const name of ['SANDBOX_PLATFORM_STAFF_NO_BUSINESS', 'SANDBOX_PLATFORM_APP', 'SANDBOX_PLATFORM_DIRECTORY']) {
      const r = await call(sb, 'GET', convs('api2', 'cli_001'), { token: env(sb, name) });
      expect(r.status, name).toBe(422);
      expect(r.body).toEqual({ status: 'Error', error: 'Unauthorized' });
    }
  });

  it('wraps an unknown client or one of another business as 422 Not Found; no conversations is an empty list', async () => {
    const token = env(sb, 'SANDBOX_PLATFORM_STAFF');
    const unknown = await call(sb, 'GET', convs('api2', 'cli_999'), { token });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toEqual({ status: 'Error', error: 'Not Found' });
    const foreign = await call(sb, 'GET', convs('api2', SANDBOX_IDS.platform.clientOfOtherBusiness), { token });
    expect(foreign.status).toBe(422);
    const empty = await call(sb, 'GET', convs('api2', SANDBOX_IDS.platform.clientWithoutConversations), { token });
    expect(empty.status).toBe(200);
    expect(empty.body.data.conversations).toEqual([]);
  });

  it('answers unknown routes and wrong methods in the platform error shape', async () => {
    const token = env(sb, 'SANDBOX_PLATFORM_STAFF');
    const nf = await call(sb, 'GET', '/platform/api2/platform/v1/nothing', { token });
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ status: 'Error', error: 'Not Found' });
    const m = await call(sb, 'POST', clients('api2'), { token, body: {} });
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('GET');
  });
});
