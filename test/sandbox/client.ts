import type { Sandbox } from '../../src/sandbox/server.js';

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, for malformed JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** One request to a started sandbox; the body is parsed as JSON (every sandbox answer is JSON). */
export async function call(sb: Sandbox, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sb.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export function env(sb: Sandbox, name: string): string {
  const v = sb.env[name];
  if (!v) throw new Error(`sandbox env has no ${name}`);
  return v;
}
