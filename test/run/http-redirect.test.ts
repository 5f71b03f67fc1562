import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/run/http/client.js';
import { nextHop } from '../../src/run/http/redirect.js';
import type { HttpClient } from '../../src/run/chain/types.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

let home: HostileServer;
let other: HostileServer;
let client: HttpClient;

beforeAll(async () => {
  home = await startHostileServer();
  // 127.0.0.2 is another host on Linux loopback: a different origin for credential tests.
  other = await startHostileServer({ host: '127.0.0.2' });
  client = createHttpClient({ requestTimeoutMs: 3000 });
});

afterAll(async () => {
  await client.close();
  await home.close();
  await other.close();
});

const credentials = { Authorization: 'Bearer canary-redirect-token', 'X-API-Key': 'canary-api-key', Cookie: 'sid=canary-cookie', 'X-Trace': 'keep-me' };

function redirectTo(target: string, code = 302): string {
  return `${home.url}/redirect?code=${code}&to=${encodeURIComponent(target)}`;
}

describe('redirects', () => {
  it('returns a 3xx as it is by default and sends nothing to the target', async () => {
    const out = await client.request({ method: 'GET', url: redirectTo(`${other.url}/ok?by=default`), headers: credentials });
    expect(out.ok && out.response.status).toBe(302);
    expect(out.ok && out.response.headers['location']).toBe(`${other.url}/ok?by=default`);
    expect(other.received.filter((r) => r.query['by'] === 'default')).toHaveLength(0);
  });

  it('follows a same-origin redirect when asked, keeping credentials', async () => {
    const out = await client.request({ method: 'GET', url: redirectTo('/ok?by=same', 301), headers: credentials, followRedirects: true });
    expect(out.ok && out.response.status).toBe(200);
    expect(out.ok && out.response.finalUrl).toBe(`${home.url}/ok?by=same`);
    const got = home.received.find((r) => r.query['by'] === 'same');
    expect(got?.headers['authorization']).toBe(credentials.Authorization);
  });

  it.each([301, 302, 307])('drops every credential header on a %i to another host', async (code) => {
    const tag = `cross-${code}`;
    const out = await client.request({
      method: 'GET',
      url: redirectTo(`${other.url}/ok?by=${tag}`, code),
      headers: credentials,
      followRedirects: true,
      credentialHeaders: ['x-api-key'],
    });
    expect(out.ok && out.response.status).toBe(200);
    const got = other.received.filter((r) => r.query['by'] === tag);
    expect(got).toHaveLength(1);
    const headers = got[0]?.headers ?? {};
    expect(headers['authorization']).toBeUndefined();
    expect(headers['x-api-key']).toBeUndefined();
    expect(headers['cookie']).toBeUndefined();
    expect(headers['x-trace']).toBe('keep-me');
    expect(JSON.stringify(other.received)).not.toContain('canary');
  });

  it('keeps credentials dropped when a later hop comes back to the first origin', async () => {
    const back = `${other.url}/redirect?code=302&to=${encodeURIComponent(`${home.url}/ok?by=returned`)}`;
    const out = await client.request({ method: 'GET', url: redirectTo(back), headers: credentials, followRedirects: true, credentialHeaders: ['X-API-Key'] });
    expect(out.ok && out.response.status).toBe(200);
    const got = home.received.find((r) => r.query['by'] === 'returned');
    expect(got?.headers['authorization']).toBeUndefined();
    expect(got?.headers['x-api-key']).toBeUndefined();
  });

  it('fails a redirect loop with a redirect error', async () => {
    const out = await client.request({ method: 'GET', url: `${home.url}/loop?x=1`, headers: {}, followRedirects: true });
    expect(out.ok ? undefined : out.error.code).toBe('redirect');
    expect(home.count('/loop')).toBeLessThanOrEqual(6);
  });

  it('stops after five hops', async () => {
    let url = `${home.url}/ok?by=chain`;
    for (let i = 0; i < 6; i++) url = redirectTo(url);
    const out = await client.request({ method: 'GET', url, headers: {}, followRedirects: true });
    expect(out.ok ? undefined : out.error.code).toBe('redirect');
    expect(home.received.filter((r) => r.query['by'] === 'chain')).toHaveLength(0);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const out = await client.request({ method: 'GET', url: redirectTo('file:///etc/passwd'), headers: {}, followRedirects: true });
    expect(out.ok ? undefined : out.error.code).toBe('redirect');
  });
});

describe('nextHop', () => {
  const from = { method: 'POST', url: new URL('http://a.test/x'), headers: { 'Content-Type': 'application/json', Authorization: 'A' }, body: '{}' };

  it('turns POST into GET on 303 and drops the body', () => {
    const n = nextHop(from, 303, '/y');
    expect(n.ok && n.hop.method).toBe('GET');
    expect(n.ok && n.hop.body).toBeUndefined();
    expect(n.ok && n.hop.headers).toEqual({ Authorization: 'A' });
  });

  it('keeps method and body on 307', () => {
    const n = nextHop(from, 307, 'http://a.test/z');
    expect(n.ok && n.hop).toMatchObject({ method: 'POST', body: '{}' });
  });

  it('treats another port or scheme as another origin', () => {
    for (const loc of ['http://a.test:8080/', 'https://a.test/']) {
      const n = nextHop(from, 307, loc, ['X-Custom']);
      expect(n.ok && n.hop.headers['Authorization']).toBeUndefined();
    }
  });
});
