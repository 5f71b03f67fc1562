import type { IncomingHttpHeaders } from 'node:http';

/** What a handler answers; the server serialises `body` as JSON. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestCtx {
  method: string;
  /** Path parameters, percent-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
}

export type Handler = (ctx: RequestCtx) => Reply;

/** Each API answers its own errors in its own shape. */
export interface ErrorShapes {
  notFound(): Reply;
  methodNotAllowed(allow: string[]): Reply;
  badJson(): Reply;
  tooLarge(): Reply;
  fault(status: 429 | 500 | 503): Reply;
}

interface CompiledRoute {
  method: string;
  segments: string[];
  handler: Handler;
}

export interface Mount {
  /** e.g. "/platform/apigw"; requests under it are routed with the prefix removed. */
  prefix: string;
  errors: ErrorShapes;
  routes: CompiledRoute[];
}

export function defineMount(prefix: string, errors: ErrorShapes, routes: Array<[string, string, Handler]>): Mount {
  return {
    prefix,
    errors,
    routes: routes.map(([method, pattern, handler]) => ({ method, segments: splitPath(pattern), handler })),
  };
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

/** Segments of the raw (still encoded) path, so an encoded "/" never splits a parameter. */
function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

export function matchRoute(mount: Mount, subPath: string, method: string): RouteMatch {
  const segments = splitPath(subPath === '' ? '/' : subPath);
  const allow: string[] = [];
  for (const route of mount.routes) {
    const params = matchSegments(route.segments, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', handler: route.handler, params };
    allow.push(route.method);
  }
  return allow.length > 0 ? { kind: 'method', allow } : { kind: 'none' };
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) {
      if (a === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}

/** The mount a path belongs to: the longest prefix that matches whole segments. */
export function findMount(mounts: readonly Mount[], pathname: string): { mount: Mount; subPath: string } | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    if ((pathname === m.prefix || pathname.startsWith(`${m.prefix}/`)) && (!best || m.prefix.length > best.prefix.length)) {
      best = m;
    }
  }
  return best ? { mount: best, subPath: pathname.slice(best.prefix.length) } : undefined;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

/** A plain object body, or undefined for anything else (arrays, strings, null). */
export function objectBody(body: unknown): Record<string, unknown> | undefined {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}
