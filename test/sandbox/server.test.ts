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

const ENV_NAMES = [
  'VERIFY_SANDBOX_URL',
  'SANDBOX_PLATFORM_STAFF',
  'SANDBOX_PLATFORM_APP',
  'SANDBOX_PLATFORM_DIRECTORY',
  'SANDBOX_PLATFORM_STAFF_NO_BUSINESS',
  'SANDBOX_CONV_USER',
  'SANDBOX_CONV_ADMIN',
  'SANDBOX_CONV_SUPER_ADMIN',
  'SANDBOX_CONV_OTHER_ORG_USER',
  'SANDBOX_AGENTCLARA_API_KEY',
  'SANDBOX_OAUTH_CLIENT_ID',
  'SANDBOX_OAUTH_CLIENT_SECRET',
  'SANDBOX_LOGIN_USERNAME',
  'SANDBOX_LOGIN_PASSWORD',
];

describe('sandbox server', () => {
  it('listens on 127.0.0.1 and exposes its URL and distinct tokens in env', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(sb.env).sort()).toEqual([...ENV_NAMES].sort());
    expect(sb.env.VERIFY_SANDBOX_URL).toBe(sb.url);
    const tokens = ENV_NAMES.slice(1).map((n) => env(sb, n));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const name of ['SANDBOX_CONV_USER', 'SANDBOX_CONV_ADMIN', 'SANDBOX_CONV_SUPER_ADMIN', 'SANDBOX_CONV_OTHER_ORG_USER']) {
      expect(env(sb, name).split('.')).toHaveLength(3);
    }
  });

  it('makes new tokens at every start, so an old token is refused by a new sandbox', async () => {
    const second = await startSandbox();
    try {
      expect(second.env.SANDBOX_PLATFORM_STAFF).not.toBe(sb.env.SANDBOX_PLATFORM_STAFF);
      const stale = await call(second, 'GET', '/v2/api/v2/conversations', { token: env(sb, 'SANDBOX_CONV_USER') });
      expect(stale.status).toBe(401);
      const staleKey = await call(second, 'GET', '/agentclara/conversations', { token: env(sb, 'SANDBOX_AGENTCLARA_API_KEY') });
      expect(staleKey.status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('resets its data at each start', async () => {
    const key = env(sb, 'SANDBOX_AGENTCLARA_API_KEY');
    const id = SANDBOX_IDS.agentclara.conversation;
    await call(sb, 'POST', `/agentclara/conversations/${id}/close`, { token: key });
    expect((await call(sb, 'GET', `/agentclara/conversations/${id}`, { token: key })).body.data.status).toBe('closed');
    const fresh = await startSandbox();
    try {
      const r = await call(fresh, 'GET', `/agentclara/conversations/${id}`, { token: env(fresh, 'SANDBOX_AGENTCLARA_API_KEY') });
      expect(r.body.data.status).toBe('open');
      // Same seeded ids every start.
      const a = await call(sb, 'GET', '/whatsapp/api/conversations');
      const b = await call(fresh, 'GET', '/whatsapp/api/conversations');
      expect(b.body).toEqual(a.body);
    } finally {
      await fresh.close();
    }
  });

  it('answers unknown routes with 404 JSON', async () => {
    const r = await call(sb, 'GET', '/nothing/here');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.body).toEqual({ error: 'Not Found' });
    const v2 = await call(sb, 'GET', '/v2/api/v3/conversations');
    expect(v2.body).toEqual({ detail: 'Not Found' });
  });

  it('answers a body over 1 MB with 413 JSON', async () => {
    const r = await call(sb, 'POST', '/agentclara/conversations', {
      token: env(sb, 'SANDBOX_AGENTCLARA_API_KEY'),
      rawBody: JSON.stringify({ channel: 'sms', customer_phone: '1', message: 'x'.repeat(1_100_000) }),
    });
    expect(r.status).toBe(413);
    expect(r.body.success).toBe(false);
  });

  it('does not read //host as a host, and matches encoded segments as one parameter', async () => {
    const r = await call(sb, 'GET', '//evil.example/whatsapp/api/conversations');
    expect(r.status).toBe(404);
    expect(sb.log.at(-1)?.path).toBe('//evil.example/whatsapp/api/conversations');
    const enc = await call(sb, 'GET', '/agentclara/conversations/..%2Fadmin', { token: env(sb, 'SANDBOX_AGENTCLARA_API_KEY') });
    expect(enc.status).toBe(404);
    expect(enc.body.error).toBe('Conversation not found');
  });

  it('tags every answer with the id of its log entry', async () => {
    const r = await call(sb, 'GET', '/whatsapp/api/get-conversations');
    const id = Number(r.headers.get('x-sandbox-request-id'));
    expect(sb.log.find((e) => e.id === id)).toEqual({ id, method: 'GET', path: '/whatsapp/api/get-conversations', status: 200 });
  });

  it('closes with keep-alive connections open', async () => {
    const other = await startSandbox();
    await call(other, 'GET', '/whatsapp/api/conversations');
    await other.close();
    await expect(fetch(`${other.url}/whatsapp/api/conversations`)).rejects.toThrow();
  });
});
