import type { Dispatcher } from 'undici';
import type { HttpClient, HttpOutcome, HttpRequest } from '../chain/types.js';
import { sendOnce, type AttemptResult } from './attempt.js';
import { createDispatcher } from './dispatcher.js';
import { createOriginPacer, type OriginPacer } from './rate.js';
import { MAX_REDIRECTS, describeUrl, isRedirect, nextHop, type Hop } from './redirect.js';
import {
  MAX_RATE_LIMIT_RETRIES,
  backoffDelay,
  formatWait,
  isRetryableNetworkCode,
  isRetryableStatus,
  mayRetry,
  parseRetryAfter,
  sleep,
} from './retry.js';
import type { StepError } from '../../result/result.js';

/**
 * The HTTP client every step goes through: deadlines, size cap, opt-in
 * redirects that shed credentials across origins, idempotent-only retries and
 * Retry-After. It never throws; every failure is an HttpOutcome.
 */

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_WAIT_MS = 60_000;
const DEFAULT_BACKOFF_MS = 200;
/** A step cannot ask for a retry storm. */
const MAX_ATTEMPTS = 10;
/** Wait for a 429 without Retry-After: 1 s, 2 s, 4 s. */
const RATE_LIMIT_FALLBACK_MS = 1000;

interface Settings {
  dispatcher: Dispatcher;
  pacer: OriginPacer;
  timeoutMs: number;
  maxBytes: number;
  maxWaitMs: number;
}

/** The HTTP client's settings (`RunOptions` gives them; all optional). */
export interface HttpClientOptions {
  dispatcher?: Dispatcher;
  perHostConnections?: number;
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  maxWaitMs?: number;
  ratePerHost?: number;
}

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const timeoutMs = positive(opts.requestTimeoutMs) ?? DEFAULT_TIMEOUT_MS;
  const own = opts.dispatcher ? undefined : createDispatcher({ connections: positive(opts.perHostConnections) ?? 8, timeoutMs });
  const settings: Settings = {
    dispatcher: opts.dispatcher ?? (own as Dispatcher),
    pacer: createOriginPacer(opts.ratePerHost),
    timeoutMs,
    maxBytes: positive(opts.maxResponseBytes) ?? DEFAULT_MAX_BYTES,
    maxWaitMs: opts.maxWaitMs !== undefined && opts.maxWaitMs >= 0 ? opts.maxWaitMs : DEFAULT_MAX_WAIT_MS,
  };
  let closed = false;
  return {
    async request(req: HttpRequest): Promise<HttpOutcome> {
      const started = performance.now();
      const counter = { attempts: 0 };
      const elapsed = (): number => Math.round(performance.now() - started);
      try {
        if (closed) return { ok: false, error: { code: 'interrupted', message: 'HTTP client already closed' }, attempts: 0, durationMs: 0 };
        return await follow(req, settings, counter, elapsed);
      } catch {
        // Should not happen; a bug here must still not crash the run or leak request details.
        return { ok: false, error: { code: 'network', message: 'request failed unexpectedly' }, attempts: counter.attempts, durationMs: elapsed() };
      }
    },
    async close(): Promise<void> {
      closed = true;
      if (own) await own.close().catch(() => undefined);
    },
  };
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

async function follow(req: HttpRequest, s: Settings, counter: { attempts: number }, elapsed: () => number): Promise<HttpOutcome> {
  const failed = (error: StepError, status?: number): HttpOutcome => ({
    ok: false,
    error,
    attempts: counter.attempts,
    durationMs: elapsed(),
    ...(status !== undefined ? { status } : {}),
  });
  const start = parseTarget(req.url);
  if (typeof start === 'string') return failed({ code: 'refused', message: start });

  let hop: Hop = { method: req.method.toUpperCase(), url: start, headers: { ...req.headers }, ...(req.body !== undefined ? { body: req.body } : {}) };
  // Only a run that follows redirects needs the hops seen so far.
  const visited = req.followRedirects ? new Set([hop.url.href]) : undefined;
  for (let redirects = 0; ; redirects++) {
    const r = await sendWithRetries(hop, req, s, counter);
    if (!r.ok) return failed(r.error, r.status);
    const { status, headers } = r.response;
    const location = headers['location'];
    if (req.followRedirects && location !== undefined && isRedirect(status, location)) {
      if (redirects >= MAX_REDIRECTS) return failed({ code: 'redirect', message: `more than ${MAX_REDIRECTS} redirects, last from ${describeUrl(hop.url)}` }, status);
      const next = nextHop(hop, status, location, req.credentialHeaders);
      if (!next.ok) return failed({ code: 'redirect', message: next.message }, status);
      if (visited?.has(next.hop.url.href)) {
        return failed({ code: 'redirect', message: `redirect loop: ${describeUrl(hop.url)} leads back to ${describeUrl(next.hop.url)}` }, status);
      }
      visited?.add(next.hop.url.href);
      hop = next.hop;
      continue;
    }
    return { ok: true, response: { ...r.response, finalUrl: hop.url.href }, attempts: counter.attempts, durationMs: elapsed() };
  }
}

function parseTarget(url: string): URL | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'request URL is not a valid absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `request URL scheme ${u.protocol.replace(':', '')} is not http or https`;
  return u;
}

const interrupted: AttemptResult = { ok: false, error: { code: 'interrupted', message: 'request interrupted' } };

/** Sends one hop, retrying what may safely be retried and waiting out 429s. */
async function sendWithRetries(hop: Hop, req: HttpRequest, s: Settings, counter: { attempts: number }): Promise<AttemptResult> {
  const maxAttempts = mayRetry(hop.method, hop.headers) ? Math.min(MAX_ATTEMPTS, Math.max(1, Math.floor(req.retry?.attempts ?? 1))) : 1;
  const backoffMs = req.retry?.backoffMs ?? DEFAULT_BACKOFF_MS;
  const host = hop.url.host;
  let retries = 0;
  let rateLimited = 0;
  for (;;) {
    if (!(await s.pacer.wait(hop.url.origin, req.signal))) return interrupted;
    counter.attempts++;
    const r = await sendOnce({
      dispatcher: s.dispatcher,
      method: hop.method,
      url: hop.url,
      headers: hop.headers,
      ...(hop.body !== undefined ? { body: hop.body } : {}),
      timeoutMs: positive(req.timeoutMs) ?? s.timeoutMs,
      maxBytes: s.maxBytes,
      ...(req.signal ? { signal: req.signal } : {}),
    });

    let wait: number | undefined;
    if (r.ok && r.response.status === 429) {
      // The server did not process a 429'd request, so every method may wait and resend.
      const asked = parseRetryAfter(r.response.headers['retry-after']);
      const w = asked ?? RATE_LIMIT_FALLBACK_MS * 2 ** rateLimited;
      if (w > s.maxWaitMs) {
        const what = asked !== undefined ? `Retry-After ${formatWait(w)}` : `backing off ${formatWait(w)}`;
        return { ok: false, status: 429, error: { code: 'rate-limited', message: `rate-limited by ${host}: ${what} is longer than the ${formatWait(s.maxWaitMs)} max wait` } };
      }
      if (rateLimited >= MAX_RATE_LIMIT_RETRIES) {
        return { ok: false, status: 429, error: { code: 'rate-limited', message: `rate-limited by ${host}: still 429 after ${rateLimited + 1} tries` } };
      }
      rateLimited++;
      wait = w;
    } else if (retries + 1 < maxAttempts && shouldRetry(r)) {
      const backoff = backoffDelay(backoffMs, retries);
      const asked = r.ok ? parseRetryAfter(r.response.headers['retry-after']) : undefined;
      // A 503 asking for longer than we may wait is final; the step sees the 503.
      if (asked !== undefined && asked > s.maxWaitMs) return r;
      retries++;
      wait = Math.max(backoff, asked ?? 0);
    }
    if (wait === undefined) return r;
    if (!(await sleep(wait, req.signal))) return interrupted;
  }
}

function shouldRetry(r: AttemptResult): boolean {
  if (r.ok) return isRetryableStatus(r.response.status);
  return r.error.code === 'network' && isRetryableNetworkCode(r.netCode);
}
