import type { StepError } from '../../result/result.js';

/**
 * Turns whatever undici or node:net threw into a short StepError. Messages are
 * built from error codes and the host only: never from headers, bodies or the
 * full URL, so a token cannot reach a report through an error text.
 */

export interface ClassifiedError {
  error: StepError;
  /** The low-level code (ECONNRESET, UND_ERR_SOCKET...) for the retry decision. */
  code?: string;
}

const TIMEOUT_CODES: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: 'could not connect',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  ETIMEDOUT: 'connection timed out',
};

export function classifyError(err: unknown, host: string): ClassifiedError {
  const code = errorCode(err);
  if (code && code in TIMEOUT_CODES) return { code, error: { code: 'timeout', message: `${TIMEOUT_CODES[code]} from ${host} (${code})` } };
  switch (code) {
    case 'ECONNRESET':
      return { code, error: { code: 'network', message: `connection reset by ${host} (ECONNRESET)` } };
    case 'ECONNREFUSED':
      return { code, error: { code: 'network', message: `connection refused by ${host} (ECONNREFUSED)` } };
    case 'EPIPE':
    case 'ECONNABORTED':
      return { code, error: { code: 'network', message: `connection to ${host} broke (${code})` } };
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return { code, error: { code: 'network', message: `connection closed by ${host} before the response was complete (${code})` } };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code, error: { code: 'network', message: `could not resolve ${host} (${code})` } };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code, error: { code: 'network', message: `${host} is unreachable (${code})` } };
    case 'UND_ERR_INVALID_ARG':
    case 'ERR_INVALID_CHAR':
    case 'ERR_INVALID_HTTP_TOKEN':
      // The message would quote the offending header value; say what, not which.
      return { code, error: { code: 'refused', message: `request to ${host} not sent: invalid method, header or body (${code})` } };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code, error: { code: 'network', message: `response from ${host} did not match its Content-Length (${code})` } };
    default:
      break;
  }
  if (code && (code.startsWith('ERR_TLS') || code.startsWith('CERT_') || code.includes('SSL') || code.startsWith('DEPTH_') || code.startsWith('UNABLE_TO'))) {
    return { code, error: { code: 'network', message: `TLS error talking to ${host} (${code})` } };
  }
  const label = code ?? errorName(err);
  return { ...(code ? { code } : {}), error: { code: 'network', message: `request to ${host} failed (${label})` } };
}

/** The first `code` found on the error or its causes (undici wraps node:net errors). */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  let first: string | undefined;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      // A socket error caused by a reset is more useful as the reset.
      if (first === undefined) first = code;
      if (!code.startsWith('UND_ERR')) return code;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return first;
}

function errorName(err: unknown): string {
  if (err instanceof Error && /^[A-Za-z]{1,40}$/.test(err.name)) return err.name;
  return 'unknown error';
}
