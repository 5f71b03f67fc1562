import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS, startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { call } from './client.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
});

interface Row {
  id: number;
  status: string;
  last_message_at: string;
}

const FIELDS = ['id', 'phone_number', 'contact_name', 'status', 'ai_enabled', 'last_message_at', 'created_at', 'last_message', 'last_sender_type', 'last_message_created_at'];

describe('whatsapp: GET /api/conversations', () => {
  it('needs no authentication and answers {success, conversations} with the seed fields', async () => {
    const r = await call(sb, 'GET', '/whatsapp/api/conversations');
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    expect(Object.keys(r.body.conversations[0]).sort()).toEqual([...FIELDS].sort());
    expect(r.body.conversations[0]).toMatchObject({ id: SANDBOX_IDS.whatsapp.latestConversation, contact_name: 'John Doe', ai_enabled: 1 });
  });

  it('orders by last_message_at descending and caps at 100 of the 120 seeded', async () => {
    const r = await call(sb, 'GET', '/whatsapp/api/conversations');
    const rows = r.body.conversations as Row[];
    expect(rows).toHaveLength(100);
    const times = rows.map((c) => c.last_message_at);
    expect([...times].sort().reverse()).toEqual(times);
    // Recency is not id order, so a server that sorted by id would fail above.
    const ids = rows.map((c) => c.id);
    expect([...ids].sort((a, b) => a - b)).not.toEqual(ids);
  });

  it('filters by status', async () => {
    for (const status of ['active', 'pending_human', 'closed']) {
      const r = await call(sb, 'GET', `/whatsapp/api/conversations?status=${status}`);
      const rows = r.body.conversations as Row[];
      expect(rows.length, status).toBeGreaterThan(0);
      expect(rows.every((c) => c.status === status)).toBe(true);
    }
    const pending = await call(sb, 'GET', '/whatsapp/api/conversations?status=pending_human');
    expect(pending.body.conversations[0].id).toBe(SANDBOX_IDS.whatsapp.pendingHumanConversation);
    const none = await call(sb, 'GET', '/whatsapp/api/conversations?status=archived');
    expect(none.body).toEqual({ success: true, conversations: [] });
  });

  it('serves the aliases of the seed route pattern with the same answer, and nothing else', async () => {
    const main = await call(sb, 'GET', '/whatsapp/api/conversations?status=closed');
    for (const alias of ['/api/get-conversations', '/api/get-conversations.php']) {
      const r = await call(sb, 'GET', `/whatsapp${alias}?status=closed`);
      expect(r.status, alias).toBe(200);
      expect(r.body).toEqual(main.body);
    }
    const notListed = await call(sb, 'GET', '/whatsapp/api/conversations.php');
    expect(notListed.status).toBe(404);
    expect(notListed.body).toEqual({ success: false, error: 'Endpoint not found' });
    const post = await call(sb, 'POST', '/whatsapp/api/conversations', { body: {} });
    expect(post.status).toBe(404);
  });

  it('answers a server error as the seed documents: 500 {success: false, error}', async () => {
    const r = await call(sb, 'GET', '/whatsapp/api/conversations', { headers: { 'x-sandbox-fault': 'error' } });
    expect([500, 503]).toContain(r.status);
    expect(r.body).toEqual({ success: false, error: 'Error al obtener conversaciones' });
  });
});
