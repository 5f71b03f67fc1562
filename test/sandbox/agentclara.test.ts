import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS, startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { call, env } from './client.js';

let sb: Sandbox;
let key: string;
beforeAll(async () => {
  sb = await startSandbox();
  key = env(sb, 'SANDBOX_AGENTCLARA_API_KEY');
});
afterAll(async () => {
  await sb.close();
});

const BASE = '/agentclara/conversations';
interface Conv {
  id: string;
  channel: string;
  status: string;
  customer_id: string;
  timestamp: string;
}

describe('agentclara: auth and errors', () => {
  it('answers 401 Invalid API key without a key or with a wrong one', async () => {
    for (const token of [undefined, 'ac_wrong', env(sb, 'SANDBOX_PLATFORM_STAFF')]) {
      const r = await call(sb, 'GET', BASE, token === undefined ? {} : { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ success: false, error: 'Invalid API key' });
    }
  });

  it('answers 404 Conversation not found for every id route', async () => {
    for (const [method, suffix] of [['GET', ''], ['PATCH', ''], ['POST', '/messages'], ['POST', '/close']] as const) {
      const r = await call(sb, method, `${BASE}/conv_zzzzzz${suffix}`, { token: key, ...(method === 'GET' ? {} : { body: { content: 'x' } }) });
      expect(r.status, `${method} ${suffix}`).toBe(404);
      expect(r.body).toEqual({ success: false, error: 'Conversation not found' });
    }
  });

  it('answers 400 JSON for a body that is not JSON', async () => {
    const r = await call(sb, 'POST', BASE, { token: key, rawBody: '{"channel": sms}' });
    expect(r.status).toBe(400);
    expect(r.body.success).toBe(false);
  });
});

describe('agentclara: list', () => {
  it('defaults to 25, newest first, with the seed example on top', async () => {
    const r = await call(sb, 'GET', BASE, { token: key });
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    const rows = r.body.data as Conv[];
    expect(rows).toHaveLength(25);
    expect(rows[0]).toMatchObject({ id: SANDBOX_IDS.agentclara.conversation, customer_id: 'cust_xyz789', channel: 'sms', status: 'open', unread: true });
    const times = rows.map((c) => c.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('caps limit at 100, pages with offset, and refuses a limit below 1', async () => {
    const big = await call(sb, 'GET', `${BASE}?limit=500`, { token: key });
    expect(big.body.data).toHaveLength(100);
    const page = await call(sb, 'GET', `${BASE}?limit=5&offset=10`, { token: key });
    expect(page.body.data.map((c: Conv) => c.id)).toEqual(big.body.data.slice(10, 15).map((c: Conv) => c.id));
    for (const q of ['limit=0', 'limit=abc', 'offset=-1']) {
      const r = await call(sb, 'GET', `${BASE}?${q}`, { token: key });
      expect(r.status, q).toBe(400);
      expect(r.body.success).toBe(false);
    }
  });

  it('filters by channel, status and customer_id; refuses an unknown channel', async () => {
    const sms = await call(sb, 'GET', `${BASE}?channel=sms&status=open&limit=100`, { token: key });
    expect(sms.body.data.length).toBeGreaterThan(0);
    expect(sms.body.data.every((c: Conv) => c.channel === 'sms' && c.status === 'open')).toBe(true);
    const cust = await call(sb, 'GET', `${BASE}?customer_id=cust_xyz789`, { token: key });
    expect(cust.body.data.map((c: Conv) => c.id)).toEqual(['conv_abc123']);
    const bad = await call(sb, 'GET', `${BASE}?channel=fax`, { token: key });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ success: false, error: 'Invalid channel: fax' });
  });
});

describe('agentclara: get, create, message, patch, close', () => {
  it('gets one conversation with its messages', async () => {
    const r = await call(sb, 'GET', `${BASE}/conv_abc123`, { token: key });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ id: 'conv_abc123', customer_name: 'John Smith', customer_phone: '+15551234567' });
    expect(r.body.data.messages.map((m: { sender: string }) => m.sender)).toEqual(['customer', 'assistant']);
  });

  it('requires customer_phone for sms and voice, customer_email for email, and a channel', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channel: 'sms', customer_name: 'x' }, 'Missing required field: customer_phone'],
      [{ channel: 'voice' }, 'Missing required field: customer_phone'],
      [{ channel: 'email', customer_phone: '+1555' }, 'Missing required field: customer_email'],
      [{ customer_phone: '+15551234567' }, 'Missing required field: channel'],
    ];
    for (const [body, error] of cases) {
      const r = await call(sb, 'POST', BASE, { token: key, body });
      expect(r.status, error).toBe(400);
      expect(r.body).toEqual({ success: false, error });
    }
  });

  it('runs create, send message, patch and close as one flow', async () => {
    const created = await call(sb, 'POST', BASE, {
      token: key,
      body: { customer_phone: '+15551234567', customer_name: 'John Smith', channel: 'sms', message: 'Hi John, checking in on your appointment!' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ customer_phone: '+15551234567', channel: 'sms', status: 'open' });
    expect(created.body.data.id).toMatch(/^conv_[a-z0-9]{6}$/);
    expect(created.body.data.message_id).toMatch(/^msg_\d+$/);
    const id = created.body.data.id as string;

    const msg = await call(sb, 'POST', `${BASE}/${id}/messages`, { token: key, body: { content: 'Perfect! I have you down for Friday at 2pm.' } });
    expect(msg.status).toBe(201);
    expect(msg.body.data).toMatchObject({ conversation_id: id, sender: 'assistant', content: 'Perfect! I have you down for Friday at 2pm.' });
    const noContent = await call(sb, 'POST', `${BASE}/${id}/messages`, { token: key, body: {} });
    expect(noContent.body).toEqual({ success: false, error: 'Missing required field: content' });

    const patched = await call(sb, 'PATCH', `${BASE}/${id}`, { token: key, body: { status: 'resolved', tags: ['completed', 'satisfied'] } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ id, status: 'resolved', tags: ['completed', 'satisfied'] });
    const badStatus = await call(sb, 'PATCH', `${BASE}/${id}`, { token: key, body: { status: 'deleted' } });
    expect(badStatus.status).toBe(400);

    const closed = await call(sb, 'POST', `${BASE}/${id}/close`, { token: key });
    expect(closed.status).toBe(200);
    expect(closed.body.data).toMatchObject({ id, status: 'closed' });
    expect(Number.isNaN(Date.parse(closed.body.data.closed_at))).toBe(false);

    const back = await call(sb, 'GET', `${BASE}/${id}`, { token: key });
    expect(back.body.data.status).toBe('closed');
    expect(back.body.data.messages.map((m: { content: string }) => m.content)).toEqual([
      'Hi John, checking in on your appointment!',
      'Perfect! I have you down for Friday at 2pm.',
    ]);
  });

  it('creates an email conversation with customer_email', async () => {
    const r = await call(sb, 'POST', BASE, { token: key, body: { channel: 'email', customer_email: 'jane@example.com' } });
    expect(r.status).toBe(201);
    expect(r.body.data).toMatchObject({ channel: 'email', customer_email: 'jane@example.com', status: 'open' });
    expect(r.body.data).not.toHaveProperty('message_id');
  });
});
