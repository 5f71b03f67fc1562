import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Tokens made fresh at every start: nothing valid outlives the sandbox. */
export interface SandboxTokens {
  platformStaff: string;
  platformApp: string;
  platformDirectory: string;
  platformStaffNoBusiness: string;
  convUser: string;
  convAdmin: string;
  convSuperAdmin: string;
  convOtherOrgUser: string;
  agentclaraKey: string;
  jwtSecret: Buffer;
}

export type V2Role = 'USER' | 'ADMIN' | 'SUPER_ADMIN';

export interface JwtClaims {
  sub: string;
  role: V2Role;
  organization_id: string | null;
  iat?: number;
  exp?: number;
  /** Token id: tokens issued in the same second still differ. */
  jti?: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function signJwt(claims: JwtClaims, secret: Buffer): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

/** Undefined for anything but a well-formed, correctly signed, unexpired HS256 token. */
export function verifyJwt(token: string, secret: Buffer, nowSec: number): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, sig] = parts as [string, string, string];
  const head = decodeJson(header);
  if (!head || head.alg !== 'HS256') return undefined;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = decodeJson(payload);
  if (!claims || typeof claims.sub !== 'string') return undefined;
  if (typeof claims.exp === 'number' && claims.exp <= nowSec) return undefined;
  const role = claims.role;
  if (role !== 'USER' && role !== 'ADMIN' && role !== 'SUPER_ADMIN') return undefined;
  const org = typeof claims.organization_id === 'string' ? claims.organization_id : null;
  return { sub: claims.sub, role, organization_id: org };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const raw = headers.authorization;
  if (typeof raw !== 'string') return undefined;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(raw);
  return m?.[1];
}

/** Constant-time comparison so the sandbox does not teach timing leaks by example. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface V2Identity {
  userId: string;
  role: V2Role;
  organizationId: string;
}

export function createTokens(users: { user: string; admin: string; superAdmin: string; otherOrgUser: string }, orgs: { main: string; other: string }): SandboxTokens {
  const opaque = (): string => randomBytes(24).toString('base64url');
  const jwtSecret = randomBytes(32);
  const iat = Math.floor(Date.now() / 1000);
  // A day is longer than any run, soak included; expiry is still checked.
  const exp = iat + 24 * 3600;
  const jwt = (sub: string, role: V2Role, org: string): string => signJwt({ sub, role, organization_id: org, iat, exp }, jwtSecret);
  return {
    platformStaff: opaque(),
    platformApp: opaque(),
    platformDirectory: opaque(),
    platformStaffNoBusiness: opaque(),
    convUser: jwt(users.user, 'USER', orgs.main),
    convAdmin: jwt(users.admin, 'ADMIN', orgs.main),
    convSuperAdmin: jwt(users.superAdmin, 'SUPER_ADMIN', orgs.main),
    convOtherOrgUser: jwt(users.otherOrgUser, 'USER', orgs.other),
    agentclaraKey: `ac_${randomBytes(20).toString('hex')}`,
    jwtSecret,
  };
}
