/**
 * One redirect hop: where to go next, with which method, body and headers.
 * Credentials are bound to the origin they were configured for: a hop to any
 * other origin (another host, port or scheme) loses them for good.
 */

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Always dropped on a cross-origin hop, whatever the step declares. */
const ALWAYS_CREDENTIAL = ['authorization', 'cookie', 'proxy-authorization'];
/** Headers describing a body that a method change to GET throws away. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'transfer-encoding'];

export interface Hop {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export function isRedirect(status: number, location: string | undefined): boolean {
  return REDIRECT_STATUSES.has(status) && location !== undefined && location !== '';
}

export type NextHop = { ok: true; hop: Hop } | { ok: false; message: string };

export function nextHop(current: Hop, status: number, location: string, credentialHeaders: readonly string[] = []): NextHop {
  let target: URL;
  try {
    target = new URL(location, current.url);
  } catch {
    return { ok: false, message: `redirect ${status} has an invalid Location` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { ok: false, message: `redirect ${status} to a ${target.protocol.replace(':', '')} URL refused` };
  }
  target.hash = '';

  let method = current.method;
  let body = current.body;
  let headers = { ...current.headers };
  // As browsers do: 303 always becomes GET, and 301/302 turn a POST into GET; 307/308 keep everything.
  const toGet = (status === 303 && method.toUpperCase() !== 'HEAD') || ((status === 301 || status === 302) && method.toUpperCase() === 'POST');
  if (toGet) {
    method = 'GET';
    body = undefined;
    headers = dropHeaders(headers, BODY_HEADERS);
  }
  if (target.origin !== current.url.origin) {
    headers = dropHeaders(headers, [...ALWAYS_CREDENTIAL, ...credentialHeaders]);
  }
  // The Host header belongs to the first URL; undici sets the right one from the target.
  headers = dropHeaders(headers, ['host']);
  return { ok: true, hop: { method, url: target, headers, ...(body !== undefined ? { body } : {}) } };
}

function dropHeaders(headers: Record<string, string>, names: readonly string[]): Record<string, string> {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

/** Origin and path only: a query string may carry a secret. */
export function describeUrl(u: URL): string {
  return `${u.origin}${u.pathname}`;
}
