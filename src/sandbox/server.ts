import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createAgentClaraMount } from './agentclara.js';
import { createTokens, type SandboxTokens } from './auth.js';
import { createV2Mount } from './conversations-v2.js';
import { buildSandboxData, SANDBOX_IDS } from './data.js';
import { createFaultDecider, type SandboxKnobs } from './knobs.js';
import { createPlatformMounts } from './platform.js';
import { RequestLog, type PathCounts, type SandboxLogEntry } from './request-log.js';
import { findMount, json, matchRoute, type ErrorShapes, type Mount, type Reply } from './router.js';
import { createWhatsappMount } from './whatsapp.js';
import { createIssuer } from './oauth.js';

export { SANDBOX_IDS } from './data.js';
export { knobsFromEnv, type SandboxKnobs, type SandboxFault } from './knobs.js';
export type { SandboxLogEntry, PathCounts } from './request-log.js';

export interface SandboxOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  knobs?: SandboxKnobs;
}

export interface Sandbox {
  /** http://HOST:PORT, no trailing slash. */
  url: string;
  /** VERIFY_SANDBOX_URL and the SANDBOX_* tokens (see docs/sandbox.md). */
  env: Record<string, string>;
  close(): Promise<void>;
  /** The most recent requests (10,000 unless knobs.logLimit says otherwise; empty with knobs.log false). */
  log: SandboxLogEntry[];
  /** Per "METHOD /path": exact counts over the sandbox's whole life. */
  counts: Record<string, PathCounts>;
}

const MAX_BODY = 1024 * 1024;
const FAULT_HEADER = 'x-sandbox-fault';

/** Answers for paths outside every mount. */
const rootErrors: ErrorShapes = {
  notFound: () => json(404, { error: 'Not Found' }),
  methodNotAllowed: () => json(404, { error: 'Not Found' }),
  badJson: () => json(400, { error: 'Invalid JSON body' }),
  tooLarge: () => json(413, { error: 'Payload Too Large' }),
  fault: (status) => json(status, { error: status === 429 ? 'Too Many Requests' : 'Server Error' }),
};

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const knobs = opts.knobs ?? {};
  const host = opts.host ?? '127.0.0.1';
  const data = buildSandboxData();
  const tokens = createTokens(SANDBOX_IDS.v2.users, { main: SANDBOX_IDS.v2.organization, other: SANDBOX_IDS.v2.otherOrganization });
  const clock = knobs.now ?? Date.now;
  const nowSec = (): number => Math.floor(clock() / 1000);
  const issuer = createIssuer({
    tokens,
    users: { user: SANDBOX_IDS.v2.users.user, admin: SANDBOX_IDS.v2.users.admin },
    organization: SANDBOX_IDS.v2.organization,
    ttlSec: Math.max(1, Math.floor(knobs.tokenTtlSec ?? 300)),
    nowSec,
  });
  const mounts: Mount[] = [
    ...createPlatformMounts(data.platform, tokens, { primaryGatewayFixed: knobs.primaryGatewayFixed === true }),
    createV2Mount(data.v2, tokens, nowSec),
    createWhatsappMount(data.whatsapp),
    createAgentClaraMount(data.agentclara, tokens),
  ];
  const decide = createFaultDecider(knobs);
  const log = new RequestLog(knobs.log !== false, Math.max(0, knobs.logLimit ?? 10_000));
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const id = ++nextId;
    const method = (req.method ?? 'GET').toUpperCase();
    // Split by hand: new URL() would read "//host/x" as a host, not a path.
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const body = await readBody(req);
    const found = findMount(mounts, path);
    const errors = found?.mount.errors ?? rootErrors;

    const forced = req.headers[FAULT_HEADER];
    const decision = decide(typeof forced === 'string' ? forced.trim().toLowerCase() : undefined);
    if (decision.fault === 'reset') {
      log.record({ id, method, path, status: 0, fault: 'reset' });
      resetSocket(req.socket);
      return;
    }
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);

    let reply: Reply;
    if (decision.fault === 'rate-limit') {
      reply = withHeaders(errors.fault(429), { 'retry-after': '1' });
    } else if (decision.fault === 'error') {
      reply = errors.fault(decision.errorStatus ?? 500);
    } else {
      const issued = body === 'too-large' ? undefined : issuer.handle(method, path, req.headers, body);
      reply = issued ?? route({ found, method, query, req, body, errors });
    }
    const fault = decision.fault ?? (decision.latencyMs > 0 ? 'latency' : undefined);
    log.record(fault ? { id, method, path, status: reply.status, fault } : { id, method, path, status: reply.status });
    send(res, reply, id);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // A handler bug must not take the sandbox down mid-run; answer it as a server error.
      if (!res.headersSent && !res.destroyed) send(res, json(500, { error: 'Internal sandbox error' }), 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    env: { ...sandboxEnv(url, tokens), SANDBOX_OAUTH_CLIENT_ID: issuer.clientId, SANDBOX_OAUTH_CLIENT_SECRET: issuer.clientSecret, SANDBOX_LOGIN_USERNAME: issuer.username, SANDBOX_LOGIN_PASSWORD: issuer.password },
    log: log.entries,
    counts: log.counts,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open for seconds.
        server.closeAllConnections();
      })),
  };
}

interface RouteInput {
  found: { mount: Mount; subPath: string } | undefined;
  method: string;
  query: URLSearchParams;
  req: IncomingMessage;
  body: Buffer | 'too-large';
  errors: ErrorShapes;
}

function route({ found, method, query, req, body, errors }: RouteInput): Reply {
  if (!found) return errors.notFound();
  const match = matchRoute(found.mount, found.subPath, method);
  if (match.kind === 'none') return errors.notFound();
  if (match.kind === 'method') return errors.methodNotAllowed(match.allow);
  if (body === 'too-large') return errors.tooLarge();
  let parsed: unknown;
  if (body.length > 0) {
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return errors.badJson();
    }
  }
  return match.handler({ method, params: match.params, query, headers: req.headers, body: parsed });
}

/** The whole body, or 'too-large' once it passes the cap (the rest is drained, not kept). */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    // An aborted request still resolves; the answer just goes nowhere.
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function send(res: ServerResponse, reply: Reply, id: number): void {
  if (res.destroyed || res.writableEnded) return;
  const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'x-sandbox-request-id': String(id),
    ...(reply.headers ?? {}),
  });
  res.end(payload);
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...(reply.headers ?? {}), ...headers } };
}

function resetSocket(socket: Socket): void {
  // A TCP RST is what a crashed upstream looks like; a plain destroy() is the fallback.
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function sandboxEnv(url: string, t: SandboxTokens): Record<string, string> {
  return {
    VERIFY_SANDBOX_URL: url,
    SANDBOX_PLATFORM_STAFF: t.platformStaff,
    SANDBOX_PLATFORM_APP: t.platformApp,
    SANDBOX_PLATFORM_DIRECTORY: t.platformDirectory,
    SANDBOX_PLATFORM_STAFF_NO_BUSINESS: t.platformStaffNoBusiness,
    SANDBOX_CONV_USER: t.convUser,
    SANDBOX_CONV_ADMIN: t.convAdmin,
    SANDBOX_CONV_SUPER_ADMIN: t.convSuperAdmin,
    SANDBOX_CONV_OTHER_ORG_USER: t.convOtherOrgUser,
    SANDBOX_AGENTCLARA_API_KEY: t.agentclaraKey,
  };
}
