import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/run/http/client.js';
import { createRedactor } from '../../src/secret/index.js';
import type { HttpClient } from '../../src/run/chain/types.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

const BEARER = 'canary-bearer-9f8e7d6c';
const API_KEY = 'canary/api+key==';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';

let server: HostileServer;
let client: HttpClient;

beforeAll(async () => {
  server = await startHostileServer();
  client = createHttpClient({ requestTimeoutMs: 3000 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('a server that echoes the token back', () => {
  it.each([
    ['bearer', { Authorization: `Bearer ${BEARER}` }, BEARER],
    ['api key', { 'X-API-Key': API_KEY }, API_KEY],
    ['jwt', { Authorization: `Bearer ${JWT}` }, JWT],
  ])('leaves no trace of the %s in the redacted response', async (_name, headers, secret) => {
    const redact = createRedactor([secret]);
    const out = await client.request({ method: 'GET', url: `${server.url}/echo-token`, headers });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    // The server did echo it: the test would prove nothing otherwise.
    expect(out.response.bodyText).toContain(JSON.stringify(secret).slice(1, -1));
    expect(out.response.headers['x-echo-token']).toContain(secret);
    const shown = [redact(out.response.bodyText), redact(JSON.stringify(redact.value(out.response.headers))), redact(JSON.stringify(redact.value(JSON.parse(out.response.bodyText))))];
    for (const text of shown) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
      expect(text).toContain('***');
    }
  });
});
