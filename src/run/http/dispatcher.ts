import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/**
 * The client's own dispatcher when none is injected: one keep-alive pool per
 * origin with a connection cap. Proxies come from HTTP(S)_PROXY/NO_PROXY, and
 * the proxy agent is only used when one is set, so plain runs (and loopback
 * tests) never go through proxy logic.
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
  return proxyConfigured(opts.env ?? process.env) ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions);
}

export function proxyConfigured(env: Record<string, string | undefined>): boolean {
  return ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].some((k) => (env[k] ?? '') !== '');
}
