import type { Agent, Dispatcher } from 'undici';
import { loadUndici, loadUndiciAgent } from '../../lazy.js';

/**
 * The client's own dispatcher when none is injected: one keep-alive pool per
 * origin with a connection cap. Proxies come from HTTP(S)_PROXY/NO_PROXY, and
 * the proxy agent is only used when one is set, so plain runs (and loopback
 * tests) never go through proxy logic, nor load it: without a proxy only undici's Agent is
 * loaded (src/lazy.ts).
 */

const CONNECT_TIMEOUT_MS = 10_000;

export interface DispatcherOptions {
  connections: number;
  /** Upper bound for undici's idle timers; the per-request deadline is the real limit. */
  timeoutMs: number;
  env?: Record<string, string | undefined>;
}

export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const agentOptions: Agent.Options = {
    connections: Math.max(1, Math.floor(opts.connections)),
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  };
  if (proxyConfigured(opts.env ?? process.env)) return new (loadUndici().EnvHttpProxyAgent)(agentOptions);
  return new (loadUndiciAgent())(agentOptions);
}

export function proxyConfigured(env: Record<string, string | undefined>): boolean {
  return ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((k) => (env[k] ?? '') !== '');
}
