import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { KeyPath, Report } from './key-path.js';
import { validateTokenProvider } from './token-provider.js';

/**
 * The shape of verify.config.yaml, checked by hand rather than with ajv: the
 * checks are few, every message needs the exact key path for its position,
 * and a run should not pay ajv's start-up cost just to read its config.
 * A key whose value is empty (`staff:`) counts as an empty mapping.
 */

export type Scalar = string | number | boolean;

export interface AuthData {
  header?: string;
  scheme?: string;
}

/** `staff: { env: X }`, or the shorthand `staff: X`, or `staff:` (only VERIFY_TOKEN_STAFF). */
export type TokenData = { env?: string; auth?: AuthData; oauth2?: Record<string, unknown>; login?: string } | string | null;

export interface ApiData {
  specs?: string;
  baseUrl?: string;
  fallbackUrl?: string;
  auth?: AuthData | null;
  tokens?: Record<string, TokenData> | null;
  vars?: Record<string, Scalar> | null;
}

export interface EnvironmentData {
  sandbox?: boolean;
  vars?: Record<string, Scalar> | null;
  apis?: Record<string, ApiData | null> | null;
}

export interface ConfigData {
  default?: string;
  vars?: Record<string, Scalar> | null;
  apis?: Record<string, ApiData | null> | null;
  environments?: Record<string, EnvironmentData | null>;
}

export const TOP_KEYS = ['default', 'vars', 'apis', 'environments'];
export const ENV_KEYS = ['sandbox', 'vars', 'apis'];
export const API_KEYS = ['specs', 'baseUrl', 'fallbackUrl', 'auth', 'tokens', 'vars'];
export const AUTH_KEYS = ['header', 'scheme'];
export const TOKEN_KEYS = ['env', 'auth', 'oauth2', 'login'];

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/** A mapping with only the allowed keys; null is an empty mapping. */
function mapping(v: unknown, allowed: string[] | undefined, parts: KeyPath, what: string, report: Report): v is Record<string, unknown> | null {
  if (v === null) return true;
  if (!isRecord(v)) {
    report(`${what} must be a mapping, not ${typeName(v)}`, parts);
    return false;
  }
  if (allowed) {
    for (const k of Object.keys(v)) {
      if (allowed.includes(k)) continue;
      const close = didYouMean(k, allowed);
      report(`unknown key "${k}" in ${what}`, [...parts, k], { at: 'key', hint: close ? `did you mean "${close}"?` : `allowed keys: ${allowed.join(', ')}` });
    }
  }
  return true;
}

function str(v: unknown, parts: KeyPath, what: string, report: Report, hint?: string): void {
  if (v !== undefined && typeof v !== 'string') report(`${what} must be a string, not ${typeName(v)}`, parts, hint ? { hint } : {});
}

function scalars(v: unknown, parts: KeyPath, report: Report): void {
  if (v === undefined || !mapping(v, undefined, parts, 'vars', report) || v === null) return;
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') {
      report(`vars.${k} must be a string, number or boolean, not ${typeName(x)}`, [...parts, k], { hint: 'template variables are plain values; quote it' });
    }
  }
}

function auth(v: unknown, parts: KeyPath, report: Report): void {
  if (v === undefined || !mapping(v, AUTH_KEYS, parts, 'auth', report) || v === null) return;
  str(v.header, [...parts, 'header'], 'auth.header', report);
  str(v.scheme, [...parts, 'scheme'], 'auth.scheme', report, 'use "" for a raw key (X-API-Key style)');
  if (typeof v.header === 'string' && !HEADER_NAME.test(v.header)) {
    report(`auth.header "${v.header}" is not a valid header name`, [...parts, 'header'], { hint: 'e.g. Authorization or X-API-Key' });
  }
  if (typeof v.scheme === 'string' && /[\u0000-\u001f\u007f]/.test(v.scheme)) {
    report('auth.scheme must not contain control characters', [...parts, 'scheme']);
  }
}

function envVarName(v: unknown, parts: KeyPath, report: Report): void {
  if (typeof v !== 'string') return str(v, parts, 'env', report);
  if (!ENV_NAME.test(v)) report(`"${v}" is not an environment variable name`, parts, { hint: 'write the variable name itself (e.g. PLATFORM_STAFF_TOKEN), not ${...} or its value' });
}

function api(v: unknown, parts: KeyPath, report: Report): void {
  if (!mapping(v, API_KEYS, parts, `api "${String(parts.at(-1))}"`, report) || v === null) return;
  for (const k of ['specs', 'baseUrl', 'fallbackUrl']) str(v[k], [...parts, k], k, report);
  auth(v.auth, [...parts, 'auth'], report);
  scalars(v.vars, [...parts, 'vars'], report);
  const tokens = v.tokens;
  if (tokens === undefined || !mapping(tokens, undefined, [...parts, 'tokens'], 'tokens', report) || tokens === null) return;
  for (const [type, src] of Object.entries(tokens)) {
    const tp = [...parts, 'tokens', type];
    if (typeof src === 'string') {
      envVarName(src, tp, report);
      continue;
    }
    if (!mapping(src, TOKEN_KEYS, tp, `token "${type}"`, report) || src === null) continue;
    if (src.env !== undefined) envVarName(src.env, [...tp, 'env'], report);
    auth(src.auth, [...tp, 'auth'], report);
    validateTokenProvider(src, tp, report);
  }
}

function apis(v: unknown, parts: KeyPath, report: Report, known?: string[]): void {
  if (v === undefined || !mapping(v, undefined, parts, 'apis', report) || v === null) return;
  for (const [name, cfg] of Object.entries(v)) {
    api(cfg, [...parts, name], report);
    // An environment API spelled unlike every shared one is most likely a typo.
    if (known && known.length && !known.includes(name)) {
      const close = didYouMean(name, known);
      if (close) report(`environment API "${name}" is not among the shared apis`, [...parts, name], { at: 'key', warning: true, hint: `did you mean "${close}"?` });
    }
  }
}

/** Reports every problem; the data is usable only when nothing was reported. */
export function validateConfig(data: unknown, report: Report): data is ConfigData {
  let count = 0;
  const counting: Report = (m, p, e) => {
    if (!e?.warning) count++;
    report(m, p, e);
  };
  if (data === null || data === undefined) {
    counting('the config is empty', [], { hint: 'add an "environments:" mapping (see docs/configuration.md)' });
    return false;
  }
  if (!mapping(data, TOP_KEYS, [], 'the config', counting) || data === null) return false;
  str(data.default, ['default'], 'default', counting, 'name one of the environments');
  scalars(data.vars, ['vars'], counting);
  apis(data.apis, ['apis'], counting);
  const shared = isRecord(data.apis) ? Object.keys(data.apis) : [];
  const envs = data.environments;
  if (envs === undefined || envs === null || (isRecord(envs) && Object.keys(envs).length === 0)) {
    counting('the config has no environments', [], { hint: 'add "environments:" with at least one environment (e.g. sandbox or staging)' });
  } else if (mapping(envs, undefined, ['environments'], 'environments', counting)) {
    for (const [name, e] of Object.entries(envs)) {
      const parts = ['environments', name];
      if (!mapping(e, ENV_KEYS, parts, `environment "${name}"`, counting) || e === null) continue;
      if (e.sandbox !== undefined && typeof e.sandbox !== 'boolean') counting('sandbox must be true or false', [...parts, 'sandbox']);
      scalars(e.vars, [...parts, 'vars'], counting);
      apis(e.apis, [...parts, 'apis'], counting, shared);
    }
  }
  return count === 0;
}
