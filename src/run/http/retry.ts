/**
 * When a failed attempt may be sent again, and how long to wait first.
 * Replaying a request the server may already have processed can create a
 * second order or a second charge, so only idempotent requests are retried;
 * a 429 is the exception because the server says it did not process it.
 */

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const RETRY_STATUSES = new Set([502, 503, 504]);
/** Errors that mean the request may never have reached the server, or the connection died. */
const RETRY_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** How many 429 answers in a row are waited out before the step fails: no retry storm. */
export const MAX_RATE_LIMIT_RETRIES = 3;

export function mayRetry(method: string, headers: Record<string, string>): boolean {
  if (IDEMPOTENT.has(method.toUpperCase())) return true;
  return Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key');
}

export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUSES.has(status);
}

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && RETRY_NETWORK_CODES.has(code);
}

/** Full jitter: a random wait in [0, base * 2^retry), so clients hitting the same outage spread out. */
export function backoffDelay(baseMs: number, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.max(0, baseMs) * 2 ** Math.min(retry, 16);
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After as milliseconds to wait: delta-seconds or an HTTP date.
 * Undefined when absent or unparseable; a date in the past means 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Resolves after `ms`, or early with false when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function formatWait(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
