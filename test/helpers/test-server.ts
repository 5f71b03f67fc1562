import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small programmable JSON API on 127.0.0.1 (port 0) that records every
 * request exactly as it arrived (raw path included, so a test can prove
 * "../admin" came in as "..%2Fadmin"). Routes are matched against the raw
 * path without the query; the route registered last wins.
 */

export interface ReceivedRequest {
  method: string;
  /** The request target as sent, query included, never normalized. */
  rawUrl: string;
  /** The raw path, without the query. */
  path: string;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
}

export type Handler = (req: ReceivedRequest) => Reply | Promise<Reply>;

export interface TestServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: ReceivedRequest[];
  /** `path` is an exact raw path or a RegExp tested against it. */
  on(method: string, path: string | RegExp, reply: Reply | Handler): void;
  /** Forget routes and recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

interface Route {
  method: string;
  path: string | RegExp;
  reply: Reply | Handler;
}

function record(req: IncomingMessage, body: string): ReceivedRequest {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method ?? '',
    rawUrl,
    path: q === -1 ? rawUrl : rawUrl.slice(0, q),
    query: Object.fromEntries(new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1))),
    headers,
    body,
  };
}

export async function startTestServer(): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  let routes: Route[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = record(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(got);
      const route = routes.findLast((r) => r.method === got.method && (typeof r.path === 'string' ? r.path === got.path : r.path.test(got.path)));
      void Promise.resolve(route ? (typeof route.reply === 'function' ? route.reply(got) : route.reply) : { status: 404, body: { error: 'no route', path: got.path } }).then(
        (reply) => {
          const isText = typeof reply.body === 'string';
          const text = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
          res.writeHead(reply.status ?? 200, { ...(reply.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}), ...reply.headers });
          res.end(text);
        },
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path, reply) {
      routes.push({ method: method.toUpperCase(), path, reply });
    },
    reset() {
      routes = [];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
