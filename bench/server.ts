import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The minimal API every runner in the benchmark talks to: a list endpoint
 * (extract an id from it) and a get-by-id endpoint. Bodies are small, fixed
 * JSON so the runners, not the server, are what is measured.
 */
export interface BenchServer {
  url: string;
  requests(): number;
  close(): Promise<void>;
}

export async function startBenchServer(port = 0): Promise<BenchServer> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count++;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    if (pathname === '/items') {
      const page = new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('page') ?? '0';
      const body = JSON.stringify({
        data: [0, 1, 2].map((i) => ({ id: `item-${page}-${i}`, name: `Item ${page}.${i}`, tags: ['a', 'b'] })),
        meta: { page: Number(page), per_page: 3 },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    if (pathname.startsWith('/items/')) {
      const id = decodeURIComponent(pathname.slice('/items/'.length));
      const body = JSON.stringify({ id, name: `Item ${id}`, createdAt: '2026-01-01T00:00:00Z' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `node dist-bench/bench/server.js [port]` serves until killed (for the peers' runs by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startBenchServer(Number(process.argv[2] ?? 0));
  process.stdout.write(`${s.url}\n`);
}
