import { createPrng, type Prng } from './prng.js';

/** Fault injection, all off by default. Rates are probabilities per request. */
export interface SandboxKnobs {
  /** Added to every response, in milliseconds. */
  latencyMs?: number;
  /** 0..1: answer 500 or 503 in the mount's error shape. */
  errorRate?: number;
  /** 0..1: answer 429 with Retry-After: 1. */
  rateLimitRate?: number;
  /** 0..1: destroy the socket without answering. */
  resetRate?: number;
  /** Seed of the fault PRNG (default 1), so a run with faults is reproducible. */
  seed?: number;
  /** false: keep no log entries (counts are still kept). Default true. */
  log?: boolean;
  /** How many log entries to keep (default 10,000, the most recent). */
  logLimit?: number;
  /** Lifetime in seconds of the tokens POST /oauth/token and POST /auth/login issue. Default 2. */
  tokenTtlSec?: number;
  /**
   * The platform's primary gateway passes the auth context upstream (the seed's Known Issue
   * fixed): staff works on both gateways. A change of the API for `verify --check-docs` to see.
   */
  primaryGatewayFixed?: boolean;
  /** The sandbox's clock (ms since the epoch), for token expiry; tests move it instead of waiting. */
  now?: () => number;
}

export type SandboxFault = 'error' | 'rate-limit' | 'reset' | 'latency';

export interface FaultDecision {
  fault?: Exclude<SandboxFault, 'latency'>;
  /** 500 or 503 when fault is 'error'. */
  errorStatus?: 500 | 503;
  latencyMs: number;
}

const FORCEABLE = new Set(['error', 'rate-limit', 'reset']);

/**
 * Draws the same number of values for every request whatever the knobs, so the
 * sequence of decisions depends only on the seed and the request order.
 */
export function createFaultDecider(knobs: SandboxKnobs): (forced?: string) => FaultDecision {
  const rng: Prng = createPrng(knobs.seed ?? 1);
  const reset = clampRate(knobs.resetRate);
  const limit = clampRate(knobs.rateLimitRate);
  const error = clampRate(knobs.errorRate);
  const latencyMs = Math.max(0, Number(knobs.latencyMs) || 0);
  return (forced) => {
    const r1 = rng();
    const r2 = rng();
    const r3 = rng();
    const r4 = rng();
    const errorStatus: 500 | 503 = r4 < 0.5 ? 500 : 503;
    const forcedFault = forced && FORCEABLE.has(forced) ? (forced as FaultDecision['fault']) : undefined;
    if (forcedFault) return { fault: forcedFault, errorStatus, latencyMs };
    if (r1 < reset) return { fault: 'reset', latencyMs };
    if (r2 < limit) return { fault: 'rate-limit', latencyMs };
    if (r3 < error) return { fault: 'error', errorStatus, latencyMs };
    return { latencyMs };
  };
}

function clampRate(v: number | undefined): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) return 0;
  return Math.min(1, n);
}

/** Knobs from SANDBOX_* variables (for scripts that start the sandbox, e.g. the soak). */
export function knobsFromEnv(env: Record<string, string | undefined>): SandboxKnobs {
  const num = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) ? n : undefined;
  };
  const knobs: SandboxKnobs = {};
  const latencyMs = num('SANDBOX_LATENCY_MS');
  const errorRate = num('SANDBOX_ERROR_RATE');
  const rateLimitRate = num('SANDBOX_RATE_LIMIT_RATE');
  const resetRate = num('SANDBOX_RESET_RATE');
  const seed = num('SANDBOX_SEED');
  if (latencyMs !== undefined) knobs.latencyMs = latencyMs;
  if (errorRate !== undefined) knobs.errorRate = errorRate;
  if (rateLimitRate !== undefined) knobs.rateLimitRate = rateLimitRate;
  if (resetRate !== undefined) knobs.resetRate = resetRate;
  if (seed !== undefined) knobs.seed = seed;
  const ttl = num('SANDBOX_TOKEN_TTL_SEC');
  if (ttl !== undefined) knobs.tokenTtlSec = ttl;
  if (env.SANDBOX_PRIMARY_GATEWAY_FIXED === '1') knobs.primaryGatewayFixed = true;
  return knobs;
}
