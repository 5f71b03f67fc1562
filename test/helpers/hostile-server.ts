import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

/**
 * A local server that misbehaves on purpose, one fault per path, and records
 * exactly what it received so tests can assert what reached the wire.
 *
 *   /ok                      JSON echo of method, path, query and headers
 *   /drip                    headers, then one byte every 200 ms forever
 *   /no-headers              accepts the request, never answers
 *   /reset-mid-body          half a body, then a TCP reset
 *   /short-length            Content-Length larger than what is sent, then close
 *   /huge?mb=N[&chunked=1]   N MB of body (with Content-Length unless chunked)
 *   /endless                 chunked body that never ends
 *   /gzip-bomb               ~120 KB of gzip expanding to 120 MB
 *   /stacked                 JSON encoded "gzip, gzip"
 *   /html                    text/html where JSON is expected
 *   /redirect?to=URL&code=N  redirect (301, 302, 303, 307, 308) to URL
 *   /loop                    redirects to itself
 *   /429?after=N&id=X        429 with Retry-After N seconds, then 200 for that id
 *   /429?date=1&id=X         429 with Retry-After as an HTTP date (~2 s ahead), then 200
 *   /429?after=N&always=1    429 every time
 *   /429-hour                429 with Retry-After 3600, always
 *   /503-then-ok?id=X&n=N    503 the first N (default 2) times per id, then 200
 *   /echo-token[?status=N]   echoes Authorization / X-API-Key in body, header and error text
 *   /count?id=X              200 with how many requests this id has had
 *   /path-echo...            JSON with req.url exactly as received
 */

export interface ReceivedRequest {
  method: string;
  /** req.url exactly as it arrived (path and query, undecoded). */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The client's port: tells connections apart (keep-alive, per-host caps). */
  remotePort: number;
}

export interface HostileServer {
  url: string;
  origin: string;
  received: ReceivedRequest[];
  /** Requests seen for a path, optionally only those with `?id=<id>`. */
  count(path: string, id?: string): number;
  /** Connections currently open to this server. */
  openConnections(): number;
  close(): Promise<void>;
}

const BOMB_MB = 120;
let bombCache: Promise<Buffer> | undefined;

function gzipBomb(): Promise<Buffer> {
  bombCache ??= new Promise<Buffer>((resolve, reject) => {
    const gz = zlib.createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gz.on('data', (c: Buffer) => parts.push(c));
    gz.on('end', () => resolve(Buffer.concat(parts)));
    gz.on('error', reject);
    const mb = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < BOMB_MB; i++) gz.write(mb);
    gz.end();
  });
  return bombCache;
}

export async function startHostileServer(opts: { host?: string } = {}): Promise<HostileServer> {
  const host = opts.host ?? '127.0.0.1';
  const received: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const perId = new Map<string, number>();
  let origin = '';

  const bump = (key: string): number => {
    const n = (perId.get(key) ?? 0) + 1;
    perId.set(key, n);
    return n;
  };

  const server = http.createServer((req, res) => {
    const raw = req.url ?? '/';
    const parsed = new URL(raw, 'http://placeholder');
    const query = Object.fromEntries(parsed.searchParams);
    const path = parsed.pathname;
    received.push({ method: req.method ?? '', url: raw, path, query, headers: { ...req.headers }, remotePort: req.socket.remotePort ?? 0 });
    const id = query['id'] ?? raw;
    const json = (status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    // The request body is never needed; reading it keeps keep-alive connections healthy.
    req.resume();

    if (path.startsWith('/path-echo')) return json(200, { url: raw });
    switch (path) {
      case '/ok':
        return json(200, { method: req.method, path, query, headers: req.headers });
      case '/drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        const t = setInterval(() => res.write('x'), 200);
        timers.add(t);
        res.on('close', () => {
          clearInterval(t);
          timers.delete(t);
        });
        return;
      }
      case '/no-headers':
        return;
      case '/reset-mid-body': {
        bump(`reset:${id}`);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
        res.write('{"partial":"');
        // Let the first bytes reach the client before the reset.
        const t = setTimeout(() => req.socket.resetAndDestroy(), 20);
        timers.add(t);
        return;
      }
      case '/short-length':
        req.socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"short":');
        return;
      case '/huge':
        return streamBytes(res, Number(query['mb'] ?? '100') * 1024 * 1024, query['chunked'] === '1');
      case '/endless':
        return streamBytes(res, Number.POSITIVE_INFINITY, true);
      case '/gzip-bomb':
        void gzipBomb().then((bomb) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
          res.end(bomb);
        });
        return;
      case '/stacked': {
        const body = zlib.gzipSync(zlib.gzipSync(JSON.stringify({ stacked: true })));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip', 'content-length': body.length });
        res.end(body);
        return;
      }
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><html><body><h1>Login</h1></body></html>');
        return;
      case '/redirect': {
        const code = Number(query['code'] ?? '302');
        res.writeHead(code, { location: query['to'] ?? '/ok', 'content-length': 0 });
        res.end();
        return;
      }
      case '/loop':
        res.writeHead(302, { location: raw, 'content-length': 0 });
        res.end();
        return;
      case '/429': {
        if (bump(`429:${id}`) > 1 && query['always'] !== '1') return json(200, { ok: true });
        const retryAfter = query['date'] === '1' ? new Date(Date.now() + 2000).toUTCString() : String(query['after'] ?? '1');
        return json(429, { error: 'slow down' }, { 'retry-after': retryAfter });
      }
      case '/429-hour':
        return json(429, { error: 'slow down' }, { 'retry-after': '3600' });
      case '/503-then-ok': {
        const n = bump(`503:${id}`);
        return n <= Number(query['n'] ?? '2') ? json(503, { error: 'unavailable' }) : json(200, { ok: true, attempt: n });
      }
      case '/echo-token': {
        const token = String(req.headers['authorization'] ?? req.headers['x-api-key'] ?? '');
        const status = Number(query['status'] ?? '401');
        return json(status, { token, error: `invalid token: ${token}` }, { 'x-echo-token': token, 'www-authenticate': `Bearer error="invalid_token", error_description="${token.replace(/"/g, '')}"` });
      }
      case '/count':
        return json(200, { count: bump(`count:${id}`) });
      default:
        return json(404, { error: 'no such route', path });
    }
  });

  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that gives up mid-response resets; that is expected here, not a test failure.
  server.on('clientError', (_err, s: Socket) => s.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;

  return {
    url: origin,
    origin,
    received,
    count(path, reqId) {
      return received.filter((r) => r.path === path && (reqId === undefined || r.query['id'] === reqId)).length;
    },
    openConnections() {
      return sockets.size;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `total` bytes honouring backpressure, stopping as soon as the client goes away. */
function streamBytes(res: http.ServerResponse, total: number, chunked: boolean): void {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.writeHead(200, { 'content-type': 'application/octet-stream', ...(chunked ? {} : { 'content-length': total }) });
  let sent = 0;
  let gone = false;
  res.on('close', () => {
    gone = true;
  });
  const pump = (): void => {
    while (!gone && sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!gone) res.end();
  };
  pump();
}
