import { stringifyJson } from './json-value.js';
/**
 * Renders a request as a curl command a user can paste into a POSIX shell.
 * Callers pass values that are already redacted: this module only formats.
 */

export interface CurlRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else is sent as JSON. */
  body?: unknown;
}

/**
 * Single-quotes a value for sh/bash/zsh. Inside single quotes nothing is
 * special except the quote itself, which is closed, escaped and reopened.
 */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The body as curl would send it, or undefined when there is none. */
function bodyText(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  return stringifyJson(body);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((h) => h.toLowerCase() === lower);
}

/**
 * `toCurl({ method: 'GET', url: 'https://h/x?a=1' })` ->
 * `curl 'https://h/x?a=1'`; options go on continuation lines so long
 * requests stay readable.
 */
export function toCurl(req: CurlRequest): string {
  const method = req.method.toUpperCase();
  const headers = { ...(req.headers ?? {}) };
  const data = bodyText(req.body);
  if (data !== undefined && typeof req.body !== 'string' && !hasHeader(headers, 'content-type')) {
    headers['Content-Type'] = 'application/json';
  }

  const parts: string[] = [];
  // curl treats [] and {} in URLs as glob patterns; a query like filter[x]=1 must go through literally.
  if (/[[\]{}]/.test(req.url)) parts.push('--globoff');
  if (method === 'HEAD') parts.push('--head');
  // GET is curl's default, and --data implies POST; only say -X when it changes something.
  else if (!(method === 'GET' && data === undefined) && !(method === 'POST' && data !== undefined)) {
    parts.push(`-X ${shellQuote(method)}`);
  }
  for (const [name, value] of Object.entries(headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (data !== undefined) parts.push(`--data-raw ${shellQuote(data)}`);

  const url = shellQuote(req.url);
  if (parts.length === 0) return `curl ${url}`;
  return [`curl ${url}`, ...parts].join(' \\\n  ');
}
