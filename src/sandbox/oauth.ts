import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { sameSecret, signJwt, type SandboxTokens, type V2Role } from './auth.js';
import { json, type Reply } from './router.js';

/**
 * The sandbox's token issuer, for token providers (docs/configuration.md,
 * "Tokens that fetch themselves"):
 *
 * - `POST /oauth/token` (RFC 6749 §3.2): `client_credentials` (a Conversations
 *   v2 USER token), `password` (the login user's ADMIN token, plus a refresh
 *   token) and `refresh_token` grants; client authentication by HTTP Basic or
 *   the client_id/client_secret form fields; errors as RFC 6749 §5.2 JSON.
 * - `POST /auth/login` and `POST /v2/api/v2/auth/login` (JSON `{username, password}`): `{token, expires_in}`
 *   and a `session` cookie, for login specs.
 *
 * Issued tokens are Conversations v2 JWTs that live `ttlSec` seconds on the
 * sandbox's clock, so tests can expire them by moving the clock.
 */

export interface IssuerOptions {
  tokens: SandboxTokens;
  users: { user: string; admin: string };
  organization: string;
  ttlSec: number;
  nowSec(): number;
}

export interface Issuer {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** Undefined when the path is not the issuer's. */
  handle(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Reply | undefined;
}

/** The login is also served as Conversations v2's own route, so a login spec can live with that API's specs. */
const PATHS = new Set(['/oauth/token', '/auth/login', '/v2/api/v2/auth/login']);

export function createIssuer(o: IssuerOptions): Issuer {
  const clientId = 'sandbox-client';
  const clientSecret = randomBytes(18).toString('base64url');
  const username = 'admin@sandbox.test';
  const password = randomBytes(12).toString('base64url');
  const refreshTokens = new Set<string>();

  const jwt = (sub: string, role: V2Role): string => {
    const iat = o.nowSec();
    // jti: two tokens issued in the same second still differ, so a refreshed token is a new value.
    return signJwt({ sub, role, organization_id: o.organization, iat, exp: iat + o.ttlSec, jti: randomBytes(6).toString('hex') }, o.tokens.jwtSecret);
  };
  const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): Reply =>
    json(status, { error, error_description: description }, { 'cache-control': 'no-store', ...(headers ?? {}) });
  const issued = (token: string, refresh?: string): Reply =>
    json(200, { access_token: token, token_type: 'Bearer', expires_in: o.ttlSec, ...(refresh ? { refresh_token: refresh } : {}) }, { 'cache-control': 'no-store' });

  const token = (headers: IncomingHttpHeaders, body: Buffer): Reply => {
    const type = String(headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) return oauthError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
    const form = new URLSearchParams(body.toString('utf8'));
    let id = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(String(headers.authorization ?? ''));
    if (basic) {
      const pair = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = pair.indexOf(':');
      id = decodeURIComponent(pair.slice(0, colon));
      secret = decodeURIComponent(pair.slice(colon + 1));
    }
    if (id !== clientId || !sameSecret(secret, clientSecret)) {
      return oauthError(401, 'invalid_client', 'unknown client or wrong client secret', { 'www-authenticate': 'Basic realm="sandbox"' });
    }
    switch (form.get('grant_type')) {
      case 'client_credentials':
        return issued(jwt(o.users.user, 'USER'));
      case 'password': {
        if (form.get('username') !== username || !sameSecret(form.get('password') ?? undefined, password)) {
          return oauthError(400, 'invalid_grant', 'wrong username or password');
        }
        const refresh = randomBytes(18).toString('base64url');
        refreshTokens.add(refresh);
        return issued(jwt(o.users.admin, 'ADMIN'), refresh);
      }
      case 'refresh_token': {
        const given = form.get('refresh_token') ?? '';
        if (!refreshTokens.delete(given)) return oauthError(400, 'invalid_grant', 'unknown or used refresh token');
        const refresh = randomBytes(18).toString('base64url');
        refreshTokens.add(refresh);
        return issued(jwt(o.users.admin, 'ADMIN'), refresh);
      }
      case null:
        return oauthError(400, 'invalid_request', 'grant_type is required');
      default:
        return oauthError(400, 'unsupported_grant_type', `grant_type ${form.get('grant_type')} is not supported`);
    }
  };

  const login = (body: Buffer): Reply => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return json(400, { error: 'the body must be JSON {"username": ..., "password": ...}' });
    }
    const b = (parsed ?? {}) as { username?: unknown; password?: unknown };
    if (b.username !== username || typeof b.password !== 'string' || !sameSecret(b.password, password)) return json(401, { error: 'invalid credentials' });
    const t = jwt(o.users.admin, 'ADMIN');
    return json(200, { token: t, expires_in: o.ttlSec }, { 'set-cookie': `session=${randomBytes(18).toString('base64url')}; Path=/; HttpOnly; SameSite=Strict` });
  };

  return {
    clientId,
    clientSecret,
    username,
    password,
    handle(method, path, headers, body) {
      if (!PATHS.has(path)) return undefined;
      if (method !== 'POST') return json(405, { error: 'Method Not Allowed' }, { allow: 'POST' });
      return path === '/oauth/token' ? token(headers, body) : login(body);
    },
  };
}
