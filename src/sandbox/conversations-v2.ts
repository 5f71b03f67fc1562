import { randomUUID } from 'node:crypto';
import { bearerToken, verifyJwt, type SandboxTokens, type V2Identity } from './auth.js';
import type { V2Conversation, V2Data, V2Message } from './data.js';
import {
  bodyObjectIssue,
  enumIssue,
  isUuid,
  optionalString,
  queryInt,
  uuidIssue,
  validationError,
  type ValidationIssue,
} from './fastapi-validation.js';
import { defineMount, json, type ErrorShapes, type Mount, type Reply, type RequestCtx } from './router.js';

/** Conversations API v2 (seed 001), FastAPI-style, JWT bearer auth. */

const STATUSES = ['active', 'archived', 'closed'] as const;
const BEARER = { 'www-authenticate': 'Bearer' };

const detail = (status: number, message: string, headers?: Record<string, string>): Reply => json(status, { detail: message }, headers);

export const v2Errors: ErrorShapes = {
  notFound: () => detail(404, 'Not Found'),
  methodNotAllowed: (allow) => detail(405, 'Method Not Allowed', { allow: allow.join(', ') }),
  badJson: () => detail(400, 'Invalid JSON body'),
  tooLarge: () => detail(413, 'Request body too large'),
  fault: (status) =>
    status === 429 ? detail(429, 'Too Many Requests') : detail(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
};

type Authed = { who: V2Identity } | { reply: Reply };

/** `nowSec`: the sandbox's clock, in seconds (tests move it to expire issued tokens). */
export function createV2Mount(data: V2Data, tokens: SandboxTokens, nowSec: () => number = () => Math.floor(Date.now() / 1000)): Mount {
  const authenticate = (ctx: RequestCtx): Authed => {
    const token = bearerToken(ctx.headers);
    if (!token) return { reply: detail(401, 'Not authenticated', BEARER) };
    const claims = verifyJwt(token, tokens.jwtSecret, nowSec());
    if (!claims) return { reply: detail(401, 'Could not validate credentials', BEARER) };
    if (!claims.organization_id) return { reply: detail(403, 'User is not associated with an organization') };
    return { who: { userId: claims.sub, role: claims.role, organizationId: claims.organization_id } };
  };

  const canSee = (c: V2Conversation, who: V2Identity): boolean =>
    who.role === 'SUPER_ADMIN' || c.participants.some((p) => p.user_id === who.userId);

  /** Auth, then the path's UUID, then membership: the order FastAPI would answer in. */
  const withConversation = (
    ctx: RequestCtx,
    next: (c: V2Conversation, who: V2Identity) => Reply,
  ): Reply => {
    const auth = authenticate(ctx);
    if ('reply' in auth) return auth.reply;
    const id = ctx.params.conversation_id ?? '';
    if (!isUuid(id)) return validationError([uuidIssue(['path', 'conversation_id'], id)]);
    const conv = data.conversations.get(id.toLowerCase());
    if (!conv || !canSee(conv, auth.who)) return detail(404, 'Conversation not found');
    return next(conv, auth.who);
  };

  const list = (ctx: RequestCtx): Reply => {
    const auth = authenticate(ctx);
    if ('reply' in auth) return auth.reply;
    const issues: ValidationIssue[] = [];
    const page = queryInt(ctx.query, { name: 'page', default: 1, ge: 1 }, issues);
    const limit = queryInt(ctx.query, { name: 'limit', default: 50, ge: 1, le: 100 }, issues);
    const entityId = ctx.query.get('entity_id');
    if (entityId !== null && !isUuid(entityId)) issues.push(uuidIssue(['query', 'entity_id'], entityId));
    if (issues.length > 0 || page === undefined || limit === undefined) return validationError(issues);
    const org = ctx.query.get('organization_id');
    if (org !== null && auth.who.role !== 'SUPER_ADMIN') return detail(403, 'Only SUPER_ADMIN can filter by organization');
    const entityType = ctx.query.get('entity_type');
    const rows = [...data.conversations.values()]
      .filter((c) => canSee(c, auth.who))
      .filter((c) => org === null || c.organization_id === org)
      .filter((c) => entityType === null || c.entity_type === entityType)
      .filter((c) => entityId === null || c.entity_id === entityId.toLowerCase())
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || a.id.localeCompare(b.id));
    return json(200, rows.slice((page - 1) * limit, page * limit));
  };

  const create = (ctx: RequestCtx): Reply => {
    const auth = authenticate(ctx);
    if ('reply' in auth) return auth.reply;
    const shape = bodyObjectIssue(ctx.body);
    if (shape) return validationError([shape]);
    const body = ctx.body as Record<string, unknown>;
    const issues: ValidationIssue[] = [];
    const org = optionalString(body, 'organization_id', issues);
    const subject = optionalString(body, 'subject', issues);
    const entityType = optionalString(body, 'entity_type', issues);
    const entityId = optionalString(body, 'entity_id', issues);
    if (typeof entityId === 'string' && !isUuid(entityId)) issues.push(uuidIssue(['body', 'entity_id'], entityId));
    const participants = participantIds(body.participant_user_ids, issues);
    if (issues.length > 0) return validationError(issues);
    const orgId = org ?? auth.who.organizationId;
    if (orgId !== auth.who.organizationId && auth.who.role !== 'SUPER_ADMIN') {
      return detail(403, 'Cannot create conversation for different organization');
    }
    const now = new Date().toISOString();
    const members = [auth.who.userId, ...participants.map((p) => p.toLowerCase()).filter((p) => p !== auth.who.userId)];
    const conv: V2Conversation = {
      id: randomUUID(),
      organization_id: orgId,
      subject: subject ?? null,
      entity_type: entityType ?? null,
      entity_id: entityId ? entityId.toLowerCase() : null,
      status: 'active',
      created_by: auth.who.userId,
      created_at: now,
      updated_at: now,
      participants: [...new Set(members)].map((user_id) => ({ user_id, joined_at: now })),
      messages: [],
    };
    data.conversations.set(conv.id, conv);
    return json(201, conv);
  };

  const get = (ctx: RequestCtx): Reply => withConversation(ctx, (c) => json(200, c));

  const patch = (ctx: RequestCtx): Reply =>
    withConversation(ctx, (c) => {
      const shape = bodyObjectIssue(ctx.body);
      if (shape) return validationError([shape]);
      const body = ctx.body as Record<string, unknown>;
      const issues: ValidationIssue[] = [];
      const subject = optionalString(body, 'subject', issues);
      const status = optionalString(body, 'status', issues);
      if (typeof status === 'string' && !(STATUSES as readonly string[]).includes(status)) {
        issues.push(enumIssue(['body', 'status'], status, STATUSES));
      }
      if (issues.length > 0) return validationError(issues);
      if (subject !== undefined) c.subject = subject;
      if (typeof status === 'string') c.status = status;
      c.updated_at = new Date().toISOString();
      return json(200, c);
    });

  const sendMessage = (ctx: RequestCtx): Reply =>
    withConversation(ctx, (c, who) => {
      const shape = bodyObjectIssue(ctx.body);
      if (shape) return validationError([shape]);
      const text = (ctx.body as Record<string, unknown>).body;
      const loc = ['body', 'body'];
      if (text === undefined) return validationError([{ type: 'missing', loc, msg: 'Field required', input: ctx.body }]);
      if (typeof text !== 'string') return validationError([{ type: 'string_type', loc, msg: 'Input should be a valid string', input: text }]);
      if (text.length === 0) {
        return validationError([{ type: 'string_too_short', loc, msg: 'String should have at least 1 character', input: text, ctx: { min_length: 1 } }]);
      }
      const now = new Date().toISOString();
      const message: V2Message = { id: randomUUID(), conversation_id: c.id, sender_id: who.userId, body: text, created_at: now };
      c.messages.push(message);
      c.updated_at = now;
      return json(201, message);
    });

  const listMessages = (ctx: RequestCtx): Reply => withConversation(ctx, (c) => json(200, c.messages));

  return defineMount('/v2', v2Errors, [
    ['GET', '/api/v2/conversations', list],
    ['POST', '/api/v2/conversations', create],
    ['GET', '/api/v2/conversations/:conversation_id', get],
    ['PATCH', '/api/v2/conversations/:conversation_id', patch],
    ['POST', '/api/v2/conversations/:conversation_id/messages', sendMessage],
    ['GET', '/api/v2/conversations/:conversation_id/messages', listMessages],
  ]);
}

function participantIds(raw: unknown, issues: ValidationIssue[]): string[] {
  if (raw === undefined || raw === null) return [];
  const loc = ['body', 'participant_user_ids'];
  if (!Array.isArray(raw)) {
    issues.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: raw });
    return [];
  }
  const out: string[] = [];
  raw.forEach((v: unknown, i) => {
    if (typeof v === 'string' && isUuid(v)) out.push(v);
    else issues.push(uuidIssue([...loc, i], v));
  });
  return out;
}
