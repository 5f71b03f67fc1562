import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiConfig, Environment } from '../../src/config/types.js';
import type { OAuth2Provider } from '../../src/config/token-provider.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import { readSpec, type LoadedSpec } from '../../src/specfile/parse.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';

/**
 * Token providers end to end: the scheduler, the chain and the OAuth2 client
 * against the sandbox's token endpoint (its clock injected, so expiry needs no waiting).
 */

let dir: string;
let sandbox: Sandbox;
let clockMs: number;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-tokens-'));
  clockMs = Date.parse('2026-01-01T00:00:00Z');
  sandbox = await startSandbox({ knobs: { tokenTtlSec: 60, now: () => clockMs } });
});
afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const spec = (n: number, extra = ''): string => `---
endpoint: "GET /api/v2/conversations"
tokens: [user]
status: draft
---

## Test Request

\`\`\`yaml
steps:
  - id: list_${n}
    method: GET
    path: "/api/v2/conversations"
    expect:
      status: [200]${extra}
\`\`\`
`;

async function writeSpecs(count: number, body: (n: number) => string = (n) => spec(n)): Promise<LoadedSpec[]> {
  const out: LoadedSpec[] = [];
  for (let n = 0; n < count; n++) {
    const file = path.join(dir, `s${String(n).padStart(3, '0')}.md`);
    await writeFile(file, body(n));
    out.push(await readSpec(file, path.basename(file)));
  }
  return out;
}

function oauth2(over: Partial<OAuth2Provider> = {}): OAuth2Provider {
  return {
    kind: 'oauth2',
    tokenUrl: `${sandbox.url}/oauth/token`,
    grant: 'client_credentials',
    clientAuth: 'basic',
    clientId: { env: 'SANDBOX_OAUTH_CLIENT_ID' },
    clientSecret: { env: 'SANDBOX_OAUTH_CLIENT_SECRET' },
    params: {},
    ...over,
  };
}

function environment(provider: OAuth2Provider): Environment {
  const api: ApiConfig = {
    name: 'conversations',
    baseUrl: `${sandbox.url}/v2`,
    auth: { header: 'Authorization', scheme: 'Bearer' },
    tokens: { user: { provider } },
    vars: {},
  };
  return { name: 'test', sandbox: false, apis: [api], vars: {} };
}

const tokenRequests = (): number => sandbox.counts['POST /oauth/token']?.requests ?? 0;

describe('oauth2 token providers', () => {
  it('fetches one token for 50 specs of one type at concurrency 8', async () => {
    const specs = await writeSpecs(50);
    const result = await runSpecs({ specs, environment: environment(oauth2()), env: sandbox.env, loadSpec: (p) => readSpec(p, p), concurrency: 8 });
    expect(result.summary.verified).toBe(50);
    expect(tokenRequests()).toBe(1);
    expect(result.tokenProviders).toEqual([
      expect.objectContaining({ api: 'conversations', tokenType: 'user', fetches: 1, after401: 0, provider: `oauth2 client_credentials at ${sandbox.url}/oauth/token` }),
    ]);
  });

  it('fetches again once the sandbox has expired the token, and every spec verifies', async () => {
    // The token lives 60 s on the sandbox's clock; the runner's cache believes it lives an hour
    // (its own clock is not moved), so the sandbox's 401 is what triggers the refetch.
    const specs = await writeSpecs(20);
    let calls = 0;
    const result = await runSpecs({
      specs,
      environment: environment(oauth2()),
      env: sandbox.env,
      loadSpec: (p) => readSpec(p, p),
      concurrency: 4,
      onEvent: (e) => {
        // Half-way through, two minutes pass on the sandbox: the token it issued has expired.
        if (e.type === 'spec-end' && ++calls === 10) clockMs += 120_000;
      },
    });
    expect(result.summary.verified).toBe(20);
    expect(tokenRequests()).toBe(2);
    expect(result.tokenProviders?.[0]).toMatchObject({ fetches: 2, after401: 1 });
  });

  it('fetches before expiry when its own clock says the token is about to expire', async () => {
    const specs = await writeSpecs(6);
    let runnerNow = clockMs;
    const { TokenProviders } = await import('../../src/run/token/providers.js');
    const { createRedactor } = await import('../../src/secret/index.js');
    const env = environment(oauth2());
    const providers = new TokenProviders({ redact: createRedactor(), env: sandbox.env, now: () => runnerNow }, env.apis);
    const auth = env.apis[0]!.auth;
    const a = await providers.get(env.apis[0]!, 'user', auth);
    runnerNow += 30_000;
    const b = await providers.get(env.apis[0]!, 'user', auth);
    expect(b).toEqual(a);
    // 60 s lifetime: refetched from 6 s before expiry (a tenth of it).
    runnerNow += 25_000;
    clockMs += 55_000;
    const c = await providers.get(env.apis[0]!, 'user', auth);
    expect('value' in c && 'value' in a && c.value !== a.value).toBe(true);
    expect(providers.stats()[0]).toMatchObject({ fetches: 2, beforeExpiry: 1, after401: 0 });
    expect(specs.length).toBe(6);
  });

  it('reports a second 401 as failing, with the token masked', async () => {
    // A token server whose tokens the API never accepts.
    const bogus = 'bogus-access-token-7d3f9a1c';
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: bogus, token_type: 'Bearer', expires_in: 3600 })));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    try {
      const specs = await writeSpecs(1);
      const result = await runSpecs({ specs, environment: environment(oauth2({ tokenUrl: url })), env: sandbox.env, loadSpec: (p) => readSpec(p, p) });
      const s = result.specs[0]!;
      expect(s.verdict).toBe('failing');
      expect(s.steps[0]!.status).toBe(401);
      expect(s.steps[0]!.attempts).toBe(2);
      expect(result.tokenProviders?.[0]).toMatchObject({ fetches: 2, after401: 1 });
      const text = JSON.stringify(result);
      expect(text).not.toContain(bogus);
      expect(text).not.toContain(Buffer.from(bogus).toString('base64'));
      expect(text).not.toContain(sandbox.env.SANDBOX_OAUTH_CLIENT_SECRET);
      expect(s.steps[0]!.requestHeaders?.Authorization).toBe('Bearer ***');

      // Many specs against an API that refuses every token: one refetch, not one per 401.
      const many = await writeSpecs(12);
      const again = await runSpecs({ specs: many, environment: environment(oauth2({ tokenUrl: url })), env: sandbox.env, loadSpec: (p) => readSpec(p, p), concurrency: 4 });
      expect(again.summary.failing).toBe(12);
      expect(again.tokenProviders?.[0]).toMatchObject({ fetches: 2, after401: 1 });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('reports the token endpoint down as error, naming provider and URL, and leaves the spec file untouched', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/oauth/token`;
    await new Promise((r) => dead.close(r));
    const specs = await writeSpecs(3);
    const before = await Promise.all(specs.map((s) => readFile(s.absPath)));
    const result = await runSpecs({ specs, environment: environment(oauth2({ tokenUrl: url })), env: sandbox.env, loadSpec: (p) => readSpec(p, p), write: { roots: [dir] } });
    expect(result.specs.map((s) => s.verdict)).toEqual(['error', 'error', 'error']);
    expect(result.summary.error).toBe(3);
    expect(result.specs[0]!.reason).toContain(`oauth2 client_credentials at ${url}`);
    expect(result.specs[0]!.reason).toContain('unreachable: connection refused');
    const after = await Promise.all(specs.map((s) => readFile(s.absPath)));
    for (let i = 0; i < specs.length; i++) expect(after[i]!.equals(before[i]!)).toBe(true);
    expect(sandbox.counts['GET /v2/api/v2/conversations']).toBeUndefined();
  });

  it('says invalid_client with its description, not the body', async () => {
    const specs = await writeSpecs(1);
    const env = { ...sandbox.env, SANDBOX_OAUTH_CLIENT_SECRET: 'wrong-secret-value-123' };
    const result = await runSpecs({ specs, environment: environment(oauth2()), env, loadSpec: (p) => readSpec(p, p) });
    expect(result.specs[0]!.verdict).toBe('error');
    expect(result.specs[0]!.reason).toContain('answered HTTP 401 invalid_client: unknown client or wrong client secret');
    expect(result.specs[0]!.reason).not.toContain('{');
    expect(JSON.stringify(result)).not.toContain('wrong-secret-value-123');
  });

  it('uses the password grant and then the refresh token it was given', async () => {
    const specs = await writeSpecs(4);
    const provider = oauth2({ grant: 'password', clientAuth: 'post', username: { env: 'SANDBOX_LOGIN_USERNAME' }, password: { env: 'SANDBOX_LOGIN_PASSWORD' } });
    let calls = 0;
    const result = await runSpecs({
      specs,
      environment: environment(provider),
      env: sandbox.env,
      loadSpec: (p) => readSpec(p, p),
      concurrency: 1,
      onEvent: (e) => {
        if (e.type === 'spec-end' && ++calls === 2) clockMs += 120_000;
      },
    });
    expect(result.summary.verified).toBe(4);
    expect(tokenRequests()).toBe(2);
    expect(JSON.stringify(result)).not.toContain(sandbox.env.SANDBOX_LOGIN_PASSWORD);
  });

  it('--token-matrix runs each provider type, and a fallback gateway gets the same fetched token', async () => {
    const env = environment(oauth2());
    const api = env.apis[0]!;
    api.tokens.admin = { provider: oauth2({ grant: 'password', username: { env: 'SANDBOX_LOGIN_USERNAME' }, password: { env: 'SANDBOX_LOGIN_PASSWORD' } }) };
    api.fallbackUrl = `${sandbox.url}/v2`;
    const specs = await writeSpecs(1, (n) => spec(n).replace('tokens: [user]', 'tokens: [user, admin]\nuseFallbackApi: true'));
    const result = await runSpecs({ specs, environment: env, env: sandbox.env, loadSpec: (p) => readSpec(p, p), tokenMatrix: true });
    expect(result.specs[0]!.gateway).toBe('fallback');
    expect(result.specs[0]!.tokenMatrix).toEqual([
      { tokenType: 'user', verdict: 'verified' },
      { tokenType: 'admin', verdict: 'verified' },
    ]);
    expect(tokenRequests()).toBe(2);
  });

  it('a spec that uses a spec whose token cannot be had is error too, and neither file is written', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/oauth/token`;
    await new Promise((r) => dead.close(r));
    const specs = await writeSpecs(2, (n) =>
      n === 0
        ? spec(n)
        : spec(n).replace('## Test Request', '## Prerequisites\n\n```yaml\nsteps:\n  - id: first\n    use: s000.md\n```\n\n## Test Request').replace('tokens: [user]', 'tokens: [user]'),
    );
    const before = await Promise.all(specs.map((s) => readFile(s.absPath)));
    const result = await runSpecs({ specs, environment: environment(oauth2({ tokenUrl: url })), env: sandbox.env, loadSpec: (p) => readSpec(p, p), write: { roots: [dir] }, concurrency: 1 });
    expect(result.specs.map((s) => s.verdict)).toEqual(['error', 'error']);
    expect(result.specs[1]!.reason).toContain('unreachable');
    const after = await Promise.all(specs.map((s) => readFile(s.absPath)));
    for (let i = 0; i < specs.length; i++) expect(after[i]!.equals(before[i]!)).toBe(true);
  });

  it('Ctrl-C stops a token request in flight: the spec is skipped, not error', async () => {
    // A token endpoint that never answers (without the run's signal, the 30 s deadline would hold the run).
    const ac = new AbortController();
    // Ctrl-C arrives once the token request is at the server.
    const hanging = createServer(() => ac.abort());
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/oauth/token`;
    try {
      const specs = await writeSpecs(1);
      const result = await runSpecs({ specs, environment: environment(oauth2({ tokenUrl: url })), env: sandbox.env, loadSpec: (p) => readSpec(p, p), signal: ac.signal });
      expect(result.interrupted).toBe(true);
      expect(result.specs[0]!.verdict).toBe('skipped');
      expect(result.specs[0]!.steps[0]!.error?.code).toBe('interrupted');
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });
});
