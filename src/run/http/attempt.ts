import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { decodeText, parseContentEncoding, readBody } from './body.js';
import { classifyError } from './errors.js';
import type { StepError } from '../../result/result.js';

/** One HTTP exchange, no retries or redirects: send, read the capped body, classify failures. */

export interface AttemptInput {
  dispatcher: Dispatcher;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
  /** The caller's abort (Ctrl-C); distinguished from the deadline in the error code. */
  signal?: AbortSignal;
}

export interface AttemptResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  bodyBytes: number;
}

export type AttemptResult = { ok: true; response: AttemptResponse } | { ok: false; error: StepError; netCode?: string; status?: number };

/**
 * The attempt's abort, as the EventEmitter undici also accepts for `signal`: an AbortController
 * (an EventTarget, with a listener per request) showed in profiles at thousands of requests.
 */
class AttemptAbort extends EventEmitter {
  aborted = false;

  fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

export async function sendOnce(input: AttemptInput): Promise<AttemptResult> {
  const abort = new AttemptAbort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.fire();
  }, input.timeoutMs);
  const onOuterAbort = (): void => abort.fire();
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await attempt(input, abort, () => timedOut);
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function attempt(input: AttemptInput, signal: AttemptAbort, timedOut: () => boolean): Promise<AttemptResult> {
  const host = input.url.host;
  // Which of the two signals fired decides the code: Ctrl-C is not the endpoint's fault.
  const abortReason = (): StepError | undefined => {
    if (input.signal?.aborted) return { code: 'interrupted', message: 'request interrupted' };
    if (timedOut()) return { code: 'timeout', message: `no complete response from ${host} within ${input.timeoutMs} ms` };
    return undefined;
  };
  const early = abortReason();
  if (early) return { ok: false, error: early };

  let res: Dispatcher.ResponseData;
  try {
    // The dispatcher directly, with the URL split as undici's request(url) would: the URL was
    // parsed and checked once already, and a second parse per request showed in profiles.
    res = await input.dispatcher.request({
      origin: input.url.origin,
      path: input.url.pathname + input.url.search,
      method: input.method as Dispatcher.HttpMethod,
      headers: input.headers,
      ...(input.body !== undefined ? { body: input.body } : {}),
      signal,
      // undici's own idle timers never outlast the overall deadline.
      headersTimeout: input.timeoutMs,
      bodyTimeout: input.timeoutMs,
    });
  } catch (err) {
    const aborted = abortReason();
    if (aborted) return { ok: false, error: aborted };
    const c = classifyError(err, host);
    return { ok: false, error: c.error, ...(c.code ? { netCode: c.code } : {}) };
  }

  // undici's body emits an AbortError when destroyed early; that is our own doing, not a failure.
  res.body.on('error', () => undefined);
  const headers = flattenHeaders(res.headers);
  const status = res.statusCode;
  const fail = (error: StepError, netCode?: string): AttemptResult => {
    res.body.destroy();
    return { ok: false, error, status, ...(netCode ? { netCode } : {}) };
  };

  // A HEAD or 304 answer declares the size of a body it does not send.
  const bodyless = input.method === 'HEAD' || status === 204 || status === 304;
  const declared = Number(headers['content-length']);
  if (!bodyless && Number.isFinite(declared) && declared > input.maxBytes) {
    return fail(tooLarge(host, input.maxBytes, `declares ${declared} bytes`));
  }
  const enc = parseContentEncoding(bodyless ? undefined : headers['content-encoding']);
  if (!enc.ok) return fail({ code: 'network', message: `${enc.message} from ${host}` });

  try {
    // A plain body of a declared size within the cap (the HTTP parser enforces the size) is read
    // in one go by undici, without the per-chunk async iteration the capped reader needs.
    const read =
      !bodyless && enc.layers.length === 0 && Number.isFinite(declared) && headers['content-length'] !== ''
        ? { ok: true as const, bytes: asBuffer(await res.body.bytes()) }
        : await readBody({ body: res.body, layers: enc.layers, maxBytes: input.maxBytes });
    if (!read.ok) {
      if (read.reason === 'too-large') return fail(tooLarge(host, input.maxBytes, 'kept sending'));
      return fail({ code: 'network', message: `${read.message} from ${host}` });
    }
    return { ok: true, response: { status, headers, bodyText: decodeText(read.bytes, headers['content-type']), bodyBytes: read.bytes.length } };
  } catch (err) {
    const aborted = abortReason();
    if (aborted) return fail(aborted);
    const c = classifyError(err, host);
    return fail(c.error, c.code);
  }
}

function asBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

function tooLarge(host: string, max: number, detail: string): StepError {
  return { code: 'too-large', message: `response from ${host} is over the ${formatBytes(max)} size cap (${detail})` };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

/** Lower-case names; repeated headers joined with ", " as the HttpResponse contract says. */
function flattenHeaders(raw: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in raw) {
    if (!Object.hasOwn(raw, name)) continue;
    const value = raw[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
