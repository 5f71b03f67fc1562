import { bearerToken, sameSecret, type SandboxTokens } from './auth.js';
import type { AgentClaraConversation, AgentClaraData } from './data.js';
import { defineMount, json, objectBody, type ErrorShapes, type Mount, type Reply, type RequestCtx } from './router.js';

/** AgentClara conversations (seed 003): API key as a bearer token, `{success, data|error}` bodies. */

const CHANNELS = ['sms', 'email', 'instagram', 'facebook', 'whatsapp', 'voice'];
const STATUSES = ['open', 'closed', 'resolved'];
const SENDERS = ['customer', 'assistant'];

const fail = (status: number, message: string, headers?: Record<string, string>): Reply =>
  json(status, { success: false, error: message }, headers);
const ok = (data: unknown, status = 200): Reply => json(status, { success: true, data });

export const agentclaraErrors: ErrorShapes = {
  notFound: () => fail(404, 'Not found'),
  methodNotAllowed: (allow) => fail(405, 'Method not allowed', { allow: allow.join(', ') }),
  badJson: () => fail(400, 'Invalid JSON body'),
  tooLarge: () => fail(413, 'Request body too large'),
  fault: (status) => (status === 429 ? fail(429, 'Rate limit exceeded') : fail(status, status === 503 ? 'Service unavailable' : 'Internal server error')),
};

export function createAgentClaraMount(data: AgentClaraData, tokens: SandboxTokens): Mount {
  const authed = (handler: (ctx: RequestCtx) => Reply) => (ctx: RequestCtx): Reply =>
    sameSecret(bearerToken(ctx.headers), tokens.agentclaraKey) ? handler(ctx) : fail(401, 'Invalid API key');

  const withConversation = (next: (c: AgentClaraConversation, ctx: RequestCtx) => Reply) =>
    authed((ctx) => {
      const conv = data.conversations.get(ctx.params.conversation_id ?? '');
      return conv ? next(conv, ctx) : fail(404, 'Conversation not found');
    });

  const list = authed((ctx) => {
    const q = ctx.query;
    const limit = intParam(q.get('limit'), 25, 1);
    if (limit === undefined) return fail(400, 'Invalid limit');
    const offset = intParam(q.get('offset'), 0, 0);
    if (offset === undefined) return fail(400, 'Invalid offset');
    const channel = q.get('channel');
    if (channel !== null && !CHANNELS.includes(channel)) return fail(400, `Invalid channel: ${channel}`);
    const status = q.get('status');
    if (status !== null && !STATUSES.includes(status)) return fail(400, `Invalid status: ${status}`);
    const customer = q.get('customer_id');
    const rows = [...data.conversations.values()]
      .filter((c) => (channel === null || c.channel === channel) && (status === null || c.status === status))
      .filter((c) => customer === null || c.customer_id === customer)
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp) || a.id.localeCompare(b.id))
      // "max: 100": larger limits are clamped rather than refused.
      .slice(offset, offset + Math.min(limit, 100))
      .map(({ messages: _messages, closed_at: _closed, ...summary }) => summary);
    return ok(rows);
  });

  const get = withConversation((c) => ok(c));

  const create = authed((ctx) => {
    const body = objectBody(ctx.body) ?? {};
    const channel = body.channel;
    if (channel === undefined || channel === null || channel === '') return fail(400, 'Missing required field: channel');
    if (typeof channel !== 'string' || !CHANNELS.includes(channel)) return fail(400, `Invalid channel: ${String(channel)}`);
    const phone = str(body.customer_phone);
    const email = str(body.customer_email);
    if ((channel === 'sms' || channel === 'voice') && !phone) return fail(400, 'Missing required field: customer_phone');
    if (channel === 'email' && !email) return fail(400, 'Missing required field: customer_email');
    const name = str(body.customer_name);
    const message = str(body.message);
    const now = new Date().toISOString();
    const id = `conv_n${(data.nextConversation++).toString(36).padStart(5, '0')}`;
    const conv: AgentClaraConversation = {
      id,
      customer_id: `cust_n${id.slice(6)}`,
      customer_name: name ?? null,
      customer_email: email ?? null,
      customer_phone: phone ?? null,
      channel,
      subject: null,
      last_message: message ?? null,
      timestamp: now,
      status: 'open',
      unread: false,
      tags: [],
      messages: [],
    };
    let messageId: string | undefined;
    if (message) {
      messageId = `msg_${data.nextMessage++}`;
      conv.messages.push({ id: messageId, sender: 'assistant', content: message, timestamp: now });
    }
    data.conversations.set(id, conv);
    return ok(
      {
        id,
        ...(phone ? { customer_phone: phone } : {}),
        ...(email ? { customer_email: email } : {}),
        customer_name: conv.customer_name,
        channel,
        status: conv.status,
        ...(messageId ? { message_id: messageId } : {}),
      },
      201,
    );
  });

  const sendMessage = withConversation((c, ctx) => {
    const body = objectBody(ctx.body) ?? {};
    const content = str(body.content);
    if (!content) return fail(400, 'Missing required field: content');
    const sender = body.sender ?? 'assistant';
    if (typeof sender !== 'string' || !SENDERS.includes(sender)) return fail(400, `Invalid sender: ${String(sender)}`);
    const timestamp = new Date().toISOString();
    const id = `msg_${data.nextMessage++}`;
    c.messages.push({ id, sender, content, timestamp });
    c.last_message = content;
    return ok({ message_id: id, conversation_id: c.id, content, sender, timestamp }, 201);
  });

  const update = withConversation((c, ctx) => {
    const body = objectBody(ctx.body) ?? {};
    if (body.status !== undefined && (typeof body.status !== 'string' || !STATUSES.includes(body.status))) {
      return fail(400, `Invalid status: ${String(body.status)}`);
    }
    if (body.customer_name !== undefined && typeof body.customer_name !== 'string') return fail(400, 'Invalid customer_name');
    if (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string'))) {
      return fail(400, 'Invalid tags: expected an array of strings');
    }
    if (typeof body.status === 'string') c.status = body.status;
    if (typeof body.customer_name === 'string') c.customer_name = body.customer_name;
    if (Array.isArray(body.tags)) c.tags = [...new Set([...c.tags, ...(body.tags as string[])])];
    return ok({ id: c.id, status: c.status, customer_name: c.customer_name, tags: c.tags });
  });

  const close = withConversation((c) => {
    c.status = 'closed';
    c.closed_at = new Date().toISOString();
    return ok({ id: c.id, status: c.status, closed_at: c.closed_at });
  });

  return defineMount('/agentclara', agentclaraErrors, [
    ['GET', '/conversations', list],
    ['POST', '/conversations', create],
    ['GET', '/conversations/:conversation_id', get],
    ['PATCH', '/conversations/:conversation_id', update],
    ['POST', '/conversations/:conversation_id/messages', sendMessage],
    ['POST', '/conversations/:conversation_id/close', close],
  ]);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function intParam(raw: string | null, fallback: number, min: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= min ? n : undefined;
}
