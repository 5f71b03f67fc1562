import { createHmac } from 'node:crypto';
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

const BASE = '/v2/api/v2/conversations';
const ids = SANDBOX_IDS.v2;
const user = (): string => env(sb, 'SANDBOX_CONV_USER');

describe('conversations v2: auth', () => {
  it('issues HS256 JWTs carrying sub, role and organization_id', () => {
    const [header, payload] = user().split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toMatchObject({
      sub: ids.users.user,
      role: 'USER',
      organization_id: 'org_001',
    });
  });

  it('answers 401 Not authenticated without a bearer token', async () => {
    const r = await call(sb, 'GET', BASE);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ detail: 'Not authenticated' });
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 Could not validate credentials for garbage and for a token re-signed with another key', async () => {
    const garbage = await call(sb, 'GET', BASE, { token: 'abc.def.ghi' });
    expect(garbage.status).toBe(401);
    expect(garbage.body).toEqual({ detail: 'Could not validate credentials' });
    // Same header and payload promoting the user to SUPER_ADMIN, signed with a key the sandbox never used.
    const [h] = user().split('.');
    const p = Buffer.from(JSON.stringify({ sub: ids.users.user, role: 'SUPER_ADMIN', organization_id: 'org_001' })).toString('base64url');
    const sig = createHmac('sha256', 'guess').update(`${h}.${p}`).digest('base64url');
    const forged = await call(sb, 'GET', BASE, { token: `${h}.${p}.${sig}` });
    expect(forged.status).toBe(401);
  });
});

describe('conversations v2: list', () => {
  it('shows a user only the conversations they participate in', async () => {
    const r = await call(sb, 'GET', `${BASE}?limit=100`, { token: user() });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body)).toBe(true);
    const got = (r.body as Array<{ id: string; participants: Array<{ user_id: string }> }>);
    expect(got.length).toBeGreaterThanOrEqual(10);
    for (const c of got) expect(c.participants.map((p) => p.user_id)).toContain(ids.users.user);
    expect(got.map((c) => c.id)).not.toContain(ids.conversations.adminOnly);
    expect(got.map((c) => c.id)).not.toContain(ids.conversations.otherOrg);
  });

  it('pages with page and limit', async () => {
    const all = await call(sb, 'GET', `${BASE}?limit=100`, { token: user() });
    const p2 = await call(sb, 'GET', `${BASE}?limit=3&page=2`, { token: user() });
    expect(p2.body.map((c: { id: string }) => c.id)).toEqual(all.body.slice(3, 6).map((c: { id: string }) => c.id));
  });

  it.each([
    ['limit=101', 'less_than_equal', 'limit'],
    ['limit=0', 'greater_than_equal', 'limit'],
    ['page=0', 'greater_than_equal', 'page'],
    ['limit=ten', 'int_parsing', 'limit'],
    ['entity_id=nope', 'uuid_parsing', 'entity_id'],
  ])('refuses %s with a 422 validation detail', async (q, type, field) => {
    const r = await call(sb, 'GET', `${BASE}?${q}`, { token: user() });
    expect(r.status).toBe(422);
    expect(r.body.detail).toHaveLength(1);
    expect(r.body.detail[0]).toMatchObject({ type, loc: ['query', field] });
    expect(typeof r.body.detail[0].msg).toBe('string');
  });

  it('filters by entity_type and entity_id', async () => {
    const r = await call(sb, 'GET', `${BASE}?entity_type=work_order&entity_id=${ids.workOrderEntity}`, { token: user() });
    expect(r.body.map((c: { id: string }) => c.id)).toEqual([ids.conversations.workOrder]);
  });

  it('lets only a SUPER_ADMIN filter by organization_id', async () => {
    const denied = await call(sb, 'GET', `${BASE}?organization_id=org_002`, { token: env(sb, 'SANDBOX_CONV_ADMIN') });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: 'Only SUPER_ADMIN can filter by organization' });
    const r = await call(sb, 'GET', `${BASE}?organization_id=org_002`, { token: env(sb, 'SANDBOX_CONV_SUPER_ADMIN') });
    expect(r.status).toBe(200);
    expect(r.body.map((c: { id: string }) => c.id)).toEqual([ids.conversations.otherOrg]);
  });
});

describe('conversations v2: get', () => {
  it('returns a conversation with its messages to a participant', async () => {
    const r = await call(sb, 'GET', `${BASE}/${ids.conversations.workOrder}`, { token: user() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: ids.conversations.workOrder, organization_id: 'org_001', entity_type: 'work_order' });
    expect(r.body.messages).toHaveLength(2);
  });

  it('answers 404 to a non-participant, for another org, and for an unknown id; 422 for a non-UUID', async () => {
    for (const id of [ids.conversations.adminOnly, ids.conversations.otherOrg, ids.missingConversation]) {
      const r = await call(sb, 'GET', `${BASE}/${id}`, { token: user() });
      expect(r.status, id).toBe(404);
      expect(r.body).toEqual({ detail: 'Conversation not found' });
    }
    const bad = await call(sb, 'GET', `${BASE}/not-a-uuid`, { token: user() });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'conversation_id'] });
  });
});

describe('conversations v2: create, patch, messages', () => {
  it('creates with 201 and adds the creator as a participant', async () => {
    const r = await call(sb, 'POST', BASE, {
      token: user(),
      body: { organization_id: 'org_001', subject: 'Work order discussion', entity_type: 'work_order', entity_id: ids.workOrderEntity, participant_user_ids: [ids.users.colleague] },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ organization_id: 'org_001', subject: 'Work order discussion', status: 'active', created_by: ids.users.user });
    expect(r.body.participants.map((p: { user_id: string }) => p.user_id).sort()).toEqual([ids.users.colleague, ids.users.user].sort());
    const back = await call(sb, 'GET', `${BASE}/${r.body.id}`, { token: user() });
    expect(back.status).toBe(200);
    const outsider = await call(sb, 'GET', `${BASE}/${r.body.id}`, { token: env(sb, 'SANDBOX_CONV_OTHER_ORG_USER') });
    expect(outsider.status).toBe(404);
  });

  it('refuses 403 for a different organization and 422 for a malformed body', async () => {
    const r = await call(sb, 'POST', BASE, { token: user(), body: { organization_id: 'org_002', subject: 'x' } });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ detail: 'Cannot create conversation for different organization' });
    const bad = await call(sb, 'POST', BASE, { token: user(), body: { subject: 5, participant_user_ids: 'x' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail.map((d: { loc: string[] }) => d.loc.join('.'))).toEqual(['body.subject', 'body.participant_user_ids']);
    const missing = await call(sb, 'POST', BASE, { token: user() });
    expect(missing.status).toBe(422);
    expect(missing.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body'] });
    const json = await call(sb, 'POST', BASE, { token: user(), rawBody: '{"subject":' });
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ detail: 'Invalid JSON body' });
  });

  it('patches subject and status, refusing an unknown status', async () => {
    const created = await call(sb, 'POST', BASE, { token: user(), body: { subject: 'before' } });
    const id = created.body.id as string;
    const r = await call(sb, 'PATCH', `${BASE}/${id}`, { token: user(), body: { subject: 'Updated subject', status: 'archived' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, subject: 'Updated subject', status: 'archived' });
    const bad = await call(sb, 'PATCH', `${BASE}/${id}`, { token: user(), body: { status: 'gone' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'status'] });
    const other = await call(sb, 'PATCH', `${BASE}/${id}`, { token: env(sb, 'SANDBOX_CONV_OTHER_ORG_USER'), body: { subject: 'x' } });
    expect(other.status).toBe(404);
  });

  it('sends and lists messages for participants only', async () => {
    const id = ids.conversations.invoice;
    const sent = await call(sb, 'POST', `${BASE}/${id}/messages`, { token: user(), body: { body: 'This is a message' } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ conversation_id: id, sender_id: ids.users.user, body: 'This is a message' });
    const list = await call(sb, 'GET', `${BASE}/${id}/messages`, { token: user() });
    expect(list.status).toBe(200);
    expect(list.body.at(-1)).toMatchObject({ id: sent.body.id, body: 'This is a message' });
    const empty = await call(sb, 'POST', `${BASE}/${id}/messages`, { token: user(), body: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'body'] });
    const outsider = await call(sb, 'GET', `${BASE}/${ids.conversations.adminOnly}/messages`, { token: user() });
    expect(outsider.status).toBe(404);
  });
});
