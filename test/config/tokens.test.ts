import { describe, expect, it } from 'vitest';
import { authHeaderValue, conventionalTokenVar, resolveToken } from '../../src/config/tokens.js';
import { createRedactor, tokenSecrets } from '../../src/secret/index.js';
import type { ApiConfig, AuthConfig } from '../../src/config/types.js';

const BEARER: AuthConfig = { header: 'Authorization', scheme: 'Bearer' };
const BASIC: AuthConfig = { header: 'Authorization', scheme: 'Basic' };
const RAW: AuthConfig = { header: 'X-API-Key', scheme: '' };

const api: ApiConfig = {
  name: 'items',
  baseUrl: 'http://127.0.0.1:1',
  auth: BEARER,
  tokens: { staff: { env: 'ITEMS_STAFF' }, super_admin: {}, partner: { env: 'PARTNER_PAIR', auth: BASIC } },
  vars: {},
};

describe('resolveToken', () => {
  it('reads the configured variable first, then VERIFY_TOKEN_<TYPE>', () => {
    expect(resolveToken(api, 'staff', { ITEMS_STAFF: 'a', VERIFY_TOKEN_STAFF: 'b' })).toEqual({ value: 'a', tried: ['ITEMS_STAFF', 'VERIFY_TOKEN_STAFF'], auth: BEARER });
    expect(resolveToken(api, 'staff', { VERIFY_TOKEN_STAFF: 'b' }).value).toBe('b');
  });

  it('matches the type case-insensitively and upper-cases it for the conventional variable', () => {
    expect(resolveToken(api, 'STAFF', { ITEMS_STAFF: 'a' }).value).toBe('a');
    expect(resolveToken(api, 'Super-Admin', { VERIFY_TOKEN_SUPER_ADMIN: 's' })).toMatchObject({ value: 's', tried: ['VERIFY_TOKEN_SUPER_ADMIN'] });
    expect(conventionalTokenVar('app.v2')).toBe('VERIFY_TOKEN_APP_V2');
  });

  it('works for a type the config does not list, through VERIFY_TOKEN_<TYPE>', () => {
    expect(resolveToken(api, 'directory', { VERIFY_TOKEN_DIRECTORY: 'd' })).toEqual({ value: 'd', tried: ['VERIFY_TOKEN_DIRECTORY'], auth: BEARER });
  });

  it('treats empty and blank values as missing and names what it tried', () => {
    const r = resolveToken(api, 'staff', { ITEMS_STAFF: '', VERIFY_TOKEN_STAFF: ' \n' });
    expect(r).toEqual({ tried: ['ITEMS_STAFF', 'VERIFY_TOKEN_STAFF'], auth: BEARER });
    expect(resolveToken(api, 'staff', { ITEMS_STAFF: 'tok\n' }).value).toBe('tok');
  });

  it('uses the token’s own auth when it has one', () => {
    expect(resolveToken(api, 'partner', { PARTNER_PAIR: 'u:p' }).auth).toEqual(BASIC);
  });
});

describe('authHeaderValue', () => {
  it('builds Bearer, Basic (base64 of user:pass) and raw values', () => {
    expect(authHeaderValue(BEARER, 't0k')).toBe('Bearer t0k');
    expect(authHeaderValue(BASIC, 'user:pa ss')).toBe(`Basic ${Buffer.from('user:pa ss').toString('base64')}`);
    expect(authHeaderValue({ header: 'Authorization', scheme: 'basic' }, 'u:p')).toBe('basic dTpw');
    expect(authHeaderValue(RAW, 'k3y')).toBe('k3y');
    expect(authHeaderValue({ header: 'Authorization', scheme: 'Token' }, 'x')).toBe('Token x');
  });
});

describe('tokenSecrets', () => {
  it('is the token; every form of it (header, URL, base64, JSON, HTML) is the redactor\'s job', () => {
    const token = 'a+b/c"d?é';
    expect(tokenSecrets(token, BEARER)).toEqual([token]);
    const redact = createRedactor([...tokenSecrets(token, BEARER)]);
    const header = `Bearer ${token}`;
    const b64 = (s: string, enc: 'base64' | 'base64url') => Buffer.from(s, 'utf8').toString(enc);
    for (const f of [
      token,
      header,
      encodeURIComponent(token),
      encodeURIComponent(header),
      'a%2Bb%2Fc%22d%3F%C3%A9',
      'Bearer+a%2Bb%2Fc%22d%3F%C3%A9',
      b64(token, 'base64'),
      b64(token, 'base64url'),
      b64(header, 'base64'),
      'a+b/c\\"d?é',
      'a+b\\/c\\"d?\\u00e9',
    ]) {
      expect(redact(`<${f}>`)).not.toContain('a+b');
      expect(redact(`<${f}>`)).toMatch(/\*\*\*/);
    }
  });

  it('for Basic, the pair and the password on its own; the header\'s base64 is found too', () => {
    expect(tokenSecrets('user:hunter22', BASIC)).toEqual(['user:hunter22', 'hunter22']);
    const redact = createRedactor([...tokenSecrets('user:hunter22', BASIC)]);
    expect(redact(`Basic ${Buffer.from('user:hunter22').toString('base64')}`)).toBe('Basic ***');
    expect(redact('the password hunter22')).toBe('the password ***');
  });

  it('an empty value gives nothing', () => {
    expect(tokenSecrets('')).toEqual([]);
  });
});
