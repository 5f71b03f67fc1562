import { bearerToken, sameSecret, type SandboxTokens } from './auth.js';
import type { PlatformData } from './data.js';
import { defineMount, json, type ErrorShapes, type Mount, type Reply, type RequestCtx } from './router.js';

/**
 * Platform API (seed 000): a Rails app behind two gateways. The conversations
 * controller forwards to an upstream API and renders every non-OK answer as 422.
 */
type Gateway = 'apigw' | 'api2';

interface PlatformIdentity {
  kind: 'staff' | 'app' | 'directory';
  businessId: string | null;
}

const PER_PAGE_DEFAULT = 25;
const PER_PAGE_MAX = 50;

const error = (status: number, message: string, headers?: Record<string, string>): Reply =>
  json(status, { status: 'Error', error: message }, headers);

export const platformErrors: ErrorShapes = {
  notFound: () => error(404, 'Not Found'),
  methodNotAllowed: (allow) => error(405, 'Method Not Allowed', { allow: allow.join(', ') }),
  badJson: () => error(400, 'Invalid JSON body'),
  tooLarge: () => error(413, 'Payload Too Large'),
  fault: (status) =>
    status === 429 ? error(429, 'Rate limit exceeded') : error(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
};

export function createPlatformMounts(data: PlatformData, tokens: SandboxTokens, opts: { primaryGatewayFixed?: boolean } = {}): Mount[] {
  const identities: Array<[string, PlatformIdentity]> = [
    [tokens.platformStaff, { kind: 'staff', businessId: 'biz_001' }],
    [tokens.platformApp, { kind: 'app', businessId: null }],
    [tokens.platformDirectory, { kind: 'directory', businessId: null }],
    [tokens.platformStaffNoBusiness, { kind: 'staff', businessId: null }],
  ];
  const identify = (ctx: RequestCtx): PlatformIdentity | undefined => {
    const token = bearerToken(ctx.headers);
    return identities.find(([t]) => sameSecret(token, t))?.[1];
  };
  const clientsById = new Map(data.clients.map((c) => [c.id, c]));

  const listClients = (ctx: RequestCtx): Reply => {
    const who = identify(ctx);
    if (!who) return error(401, 'Invalid or missing token');
    const paging = pagination(ctx.query);
    if ('error' in paging) return paging.error;
    const businessId = ctx.query.get('business_id') || who.businessId;
    if (!businessId) return error(422, 'business_id is required');
    const all = data.clients.filter((c) => c.business_id === businessId);
    return ok({ clients: slice(all, paging), pagination: meta(all.length, paging) });
  };

  const listConversations = (gateway: Gateway) => (ctx: RequestCtx): Reply => {
    const who = identify(ctx);
    if (!who) return error(401, 'Invalid or missing token');
    const paging = pagination(ctx.query);
    if ('error' in paging) return paging.error;
    // The seed's Known Issue: the primary gateway's auth context never reaches upstream.
    // (Unless the knob says it was fixed: then both gateways answer alike.)
    if (gateway === 'apigw' && !opts.primaryGatewayFixed) return error(422, 'Unauthorized');
    // business_uid comes from current_user.staff.business; nil upstream means Unauthorized.
    if (who.kind !== 'staff' || !who.businessId) return error(422, 'Unauthorized');
    const clientId = ctx.params.client_id ?? '';
    const client = clientsById.get(clientId);
    if (!client || client.business_id !== who.businessId) return error(422, 'Not Found');
    const all = data.conversations.get(clientId) ?? [];
    return ok({ conversations: slice(all, paging), pagination: meta(all.length, paging) });
  };

  return (['apigw', 'api2'] as const).map((gateway) =>
    defineMount(`/platform/${gateway}`, platformErrors, [
      ['GET', '/platform/v1/clients', listClients],
      ['GET', '/platform/v1/clients/:client_id/conversations', listConversations(gateway)],
    ]),
  );
}

interface Paging {
  page: number;
  perPage: number;
}

function pagination(query: URLSearchParams): Paging | { error: Reply } {
  const page = positiveInt(query.get('page'), 1);
  if (page === undefined) return { error: error(422, 'Invalid page parameter') };
  const perPage = positiveInt(query.get('per_page'), PER_PAGE_DEFAULT);
  if (perPage === undefined) return { error: error(422, 'Invalid per_page parameter') };
  // Like a paginator's max_per_page: larger requests are clamped, not refused.
  return { page, perPage: Math.min(perPage, PER_PAGE_MAX) };
}

function positiveInt(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

function slice<T>(items: T[], p: Paging): T[] {
  const start = (p.page - 1) * p.perPage;
  return items.slice(start, start + p.perPage);
}

function meta(total: number, p: Paging): Record<string, number> {
  return { page: p.page, per_page: p.perPage, total, total_pages: Math.ceil(total / p.perPage) };
}

function ok(data: unknown): Reply {
  return json(200, { status: 'OK', data });
}
