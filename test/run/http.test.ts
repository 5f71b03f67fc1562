import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import zlib from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../src/run/http/client.js';
import type { HttpClient, HttpOutcome } from '../../src/run/chain/types.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

let server: HostileServer;
let client: HttpClient;

beforeAll(async () => {
  server = await startHostileServer();
  client = createHttpClient({ requestTimeoutMs: 5000, maxResponseBytes: 2 * 1024 * 1024 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

function errorOf(out: HttpOutcome): { code: string; message: string } {
  if (out.ok) throw new Error(`expected a failure, got status ${out.response.status}`);
  return out.error;
}

describe('plain requests', () => {
  it('sends method, headers and body and returns the decoded response', async () => {
    const out = await client.request({ method: 'post', url: `${server.url}/ok?a=1`, headers: { 'X-Trace': 'abc', 'content-type': 'application/json' }, body: '{"x":1}' });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.attempts).toBe(1);
    expect(out.response.status).toBe(200);
    expect(out.response.headers['content-type']).toBe('application/json');
    expect(out.response.finalUrl).toBe(`${server.url}/ok?a=1`);
    const echoed = JSON.parse(out.response.bodyText) as { method: string; query: Record<string, string>; headers: Record<string, string> };
    expect(echoed.method).toBe('POST');
    expect(echoed.query).toEqual({ a: '1' });
    expect(echoed.headers['x-trace']).toBe('abc');
    expect(out.response.bodyBytes).toBe(Buffer.byteLength(out.response.bodyText));
  });

  it('sends no Accept-Encoding unless the step sets one', async () => {
    await client.request({ method: 'GET', url: `${server.url}/ok?enc=none`, headers: {} });
    const got = server.received.find((r) => r.url === '/ok?enc=none');
    expect(got?.headers['accept-encoding']).toBeUndefined();
  });

  it('returns a non-JSON body as text with its content type', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/html`, headers: {} });
    expect(out.ok && out.response.headers['content-type']).toContain('text/html');
    expect(out.ok && out.response.bodyText).toContain('<h1>Login</h1>');
  });

  it('refuses a URL that is not absolute http(s) without sending anything', async () => {
    const before = server.received.length;
    expect(errorOf(await client.request({ method: 'GET', url: '/relative/path', headers: {} })).code).toBe('refused');
    expect(errorOf(await client.request({ method: 'GET', url: 'file:///etc/passwd', headers: {} })).code).toBe('refused');
    expect(server.received.length).toBe(before);
  });
});

describe('deadlines', () => {
  it('cuts off a slow-drip body at the overall deadline', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/drip`, headers: {}, timeoutMs: 500 });
    const err = errorOf(out);
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('500 ms');
  });

  it('times out when the server never sends headers', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/no-headers`, headers: {}, timeoutMs: 400 });
    expect(errorOf(out).code).toBe('timeout');
  });

  it('uses the client-wide requestTimeoutMs when the step sets none', async () => {
    const quick = createHttpClient({ requestTimeoutMs: 300 });
    try {
      expect(errorOf(await quick.request({ method: 'GET', url: `${server.url}/drip`, headers: {} })).code).toBe('timeout');
    } finally {
      await quick.close();
    }
  });

  it('reports an abort through the signal as interrupted, not as a timeout', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const out = await client.request({ method: 'GET', url: `${server.url}/drip`, headers: {}, timeoutMs: 5000, signal: ctl.signal });
    expect(errorOf(out).code).toBe('interrupted');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const before = server.received.length;
    const out = await client.request({ method: 'GET', url: `${server.url}/ok`, headers: {}, signal: AbortSignal.abort() });
    expect(errorOf(out).code).toBe('interrupted');
    expect(server.received.length).toBe(before);
  });
});

describe('size cap', () => {
  it('refuses a body whose Content-Length is over the cap (50 MB against the 10 MB default)', async () => {
    const def = createHttpClient({});
    try {
      const out = await def.request({ method: 'GET', url: `${server.url}/huge?mb=50`, headers: {} });
      const err = errorOf(out);
      expect(err.code).toBe('too-large');
      expect(err.message).toContain('10 MB');
      expect(out.ok ? 0 : out.status).toBe(200);
    } finally {
      await def.close();
    }
  });

  it('stops counting a chunked body at the cap', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/huge?mb=50&chunked=1`, headers: {} });
    expect(errorOf(out).code).toBe('too-large');
  });

  it('stops an endless chunked body at the cap', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/endless`, headers: {} });
    expect(errorOf(out).code).toBe('too-large');
  });

  it('accepts a body just under the cap', async () => {
    const small = createHttpClient({ maxResponseBytes: 1024 * 1024 + 1 });
    try {
      const out = await small.request({ method: 'GET', url: `${server.url}/huge?mb=1&chunked=1`, headers: {} });
      expect(out.ok && out.response.bodyBytes).toBe(1024 * 1024);
    } finally {
      await small.close();
    }
  });
});

describe('content encodings', () => {
  it('caps the decompressed size of a gzip bomb', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/gzip-bomb`, headers: { 'accept-encoding': 'gzip' } });
    expect(errorOf(out).code).toBe('too-large');
  });

  it('decodes stacked gzip, gzip', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/stacked`, headers: { 'accept-encoding': 'gzip' } });
    expect(out.ok && JSON.parse(out.response.bodyText)).toEqual({ stacked: true });
  });

  it('decodes deflate and br, and refuses unknown or corrupt encodings clearly', async () => {
    const payload = JSON.stringify({ hello: 'wörld' });
    const bodies: Record<string, Buffer> = {
      deflate: zlib.deflateSync(payload),
      br: zlib.brotliCompressSync(payload),
      zstd: Buffer.from('not really'),
      gzip: Buffer.from('not gzip at all'),
      'gzip, gzip, gzip, gzip': Buffer.from('x'),
    };
    const srv = http.createServer((req, res) => {
      const enc = decodeURIComponent((req.url ?? '/').slice(1));
      const b = bodies[enc] ?? Buffer.alloc(0);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-encoding': enc, 'content-length': b.length });
      res.end(b);
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      for (const enc of ['deflate', 'br']) {
        const out = await client.request({ method: 'GET', url: `${base}/${enc}`, headers: {} });
        expect(out.ok && JSON.parse(out.response.bodyText)).toEqual({ hello: 'wörld' });
      }
      const unknown = errorOf(await client.request({ method: 'GET', url: `${base}/zstd`, headers: {} }));
      expect(unknown.message).toContain('zstd');
      const corrupt = errorOf(await client.request({ method: 'GET', url: `${base}/gzip`, headers: {} }));
      expect(corrupt.message).toContain('could not decode gzip');
      const deep = errorOf(await client.request({ method: 'GET', url: `${base}/${encodeURIComponent('gzip, gzip, gzip, gzip')}`, headers: {} }));
      expect(deep.message).toContain('stacked');
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});

describe('network errors', () => {
  it('reports a reset mid-body as a short network error without header values', async () => {
    const out = await client.request({ method: 'GET', url: `${server.url}/reset-mid-body?id=plain`, headers: { authorization: 'Bearer canary-reset-token' } });
    const err = errorOf(out);
    expect(err.code).toBe('network');
    expect(err.message).toContain(new URL(server.url).host);
    expect(err.message).not.toContain('canary-reset-token');
  });

  it('reports a short Content-Length as a network error', async () => {
    expect(errorOf(await client.request({ method: 'GET', url: `${server.url}/short-length`, headers: {} })).code).toBe('network');
  });

  it('reports a refused connection', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = errorOf(await client.request({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }));
    expect(err).toEqual({ code: 'network', message: `connection refused by 127.0.0.1:${port} (ECONNREFUSED)` });
  });
});

describe('dispatcher ownership', () => {
  it('uses an injected dispatcher and leaves it open on close', async () => {
    const agent = new Agent({ connections: 1 });
    const injected = createHttpClient({ dispatcher: agent });
    await injected.close();
    // The injected agent still works after the client closed: it belongs to the caller.
    const again = createHttpClient({ dispatcher: agent });
    const out = await again.request({ method: 'GET', url: `${server.url}/ok?injected=1`, headers: {} });
    expect(out.ok).toBe(true);
    expect(agent.closed).toBe(false);
    await agent.close();
  });

  it('fails cleanly after close instead of throwing', async () => {
    const c = createHttpClient({});
    await c.close();
    const out = await c.request({ method: 'GET', url: `${server.url}/ok`, headers: {} });
    expect(out.ok).toBe(false);
  });
});

describe('connections', () => {
  it('reuses keep-alive connections and keeps to the per-host cap', async () => {
    const capped = createHttpClient({ perHostConnections: 2 });
    try {
      const outs = await Promise.all(Array.from({ length: 8 }, () => capped.request({ method: 'GET', url: `${server.url}/ok?cap=2`, headers: {} })));
      expect(outs.every((o) => o.ok)).toBe(true);
      const ports = new Set(server.received.filter((r) => r.query['cap'] === '2').map((r) => r.remotePort));
      expect(ports.size).toBeLessThanOrEqual(2);
    } finally {
      await capped.close();
    }
  });

  it('leaves no socket open after many failing requests once closed', async () => {
    const srv = await startHostileServer();
    const c = createHttpClient({ requestTimeoutMs: 2000 });
    const paths = ['/reset-mid-body', '/short-length', '/html', '/huge?mb=1&chunked=1', '/ok'];
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(paths.flatMap((p) => [0, 1, 2, 3].map(() => c.request({ method: 'GET', url: `${srv.url}${p}`, headers: {} }))));
    }
    await c.close();
    for (let i = 0; i < 50 && srv.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(srv.openConnections()).toBe(0);
    await srv.close();
  });
});

describe('proxy from the environment', () => {
  it('uses the proxy agent only when a proxy variable is set', async () => {
    const { createDispatcher } = await import('../../src/run/http/dispatcher.js');
    const { EnvHttpProxyAgent } = await import('undici');
    const plain = createDispatcher({ connections: 1, timeoutMs: 1000, env: {} });
    const proxied = createDispatcher({ connections: 1, timeoutMs: 1000, env: { HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: 'localhost' } });
    expect(plain).toBeInstanceOf(Agent);
    expect(proxied).toBeInstanceOf(EnvHttpProxyAgent);
    await Promise.all([plain.close(), proxied.close()]);
  });
});

describe('requests undici refuses', () => {
  it('refuses a header value with CR/LF without echoing it', async () => {
    const before = server.received.length;
    const out = await client.request({ method: 'GET', url: `${server.url}/ok`, headers: { 'x-bad': 'canary-crlf\r\nInjected: 1' } });
    const err = errorOf(out);
    expect(err.code).toBe('refused');
    expect(err.message).not.toContain('canary-crlf');
    expect(server.received.length).toBe(before);
  });

  it('does not apply the size cap to what a HEAD response declares', async () => {
    const small = createHttpClient({ maxResponseBytes: 1024 });
    try {
      const out = await small.request({ method: 'HEAD', url: `${server.url}/huge?mb=5`, headers: {} });
      expect(out.ok && out.response.status).toBe(200);
      expect(out.ok && out.response.bodyText).toBe('');
    } finally {
      await small.close();
    }
  });
});
