import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratch } from './run-cli.js';

/**
 * Nothing leaks: canary credentials (bearer token, API key, basic-auth pair,
 * JWT) never appear in any output, in any encoding, even when the server
 * echoes them back everywhere it can; and no credential reaches another host.
 */

const BEARER = 'canaryBearer7f3e9a1d55c2';
const API_KEY = 'canaryApiKey0b8d4e2f6a91';
const BASIC = 'canaryuser:canaryPass93x7';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5MDEyMzQ1';

function forms(s: string): string[] {
  return [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url')];
}

let server: Server;
let otherServer: Server;
let base = '';
let otherBase = '';
const otherHits: Record<string, string | string[] | undefined>[] = [];
let work: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const cred = req.headers.authorization ?? String(req.headers['x-api-key'] ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/redirect')) return void res.writeHead(302, { location: `${otherBase}/landing` }).end();
    // Echo the credential back in a header, the body and an error text.
    res.writeHead(url.pathname.endsWith('/fail') ? 500 : 200, { 'content-type': 'application/json', 'x-echo': cred });
    res.end(JSON.stringify({ echo: cred, error: `token ${cred} rejected`, session_token: cred }));
  });
  otherServer = createServer((req, res) => {
    otherHits.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // A second host: 127.0.0.2 is loopback too on Linux.
  await new Promise<void>((r) => otherServer.listen(0, '127.0.0.2', r)).catch(() => undefined);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherBase = `http://127.0.0.2:${(otherServer.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(
    path.join(work.dir, 'verify.config.yaml'),
    `default: t
apis:
  bearer: { specs: specs/bearer, tokens: { staff: { env: T_BEARER } } }
  key: { specs: specs/key, auth: { header: X-API-Key, scheme: "" }, tokens: { api_key: { env: T_KEY } } }
  basic: { specs: specs/basic, auth: { header: Authorization, scheme: Basic }, tokens: { svc: { env: T_BASIC } } }
  jwt: { specs: specs/jwt, tokens: { user: { env: T_JWT } } }
environments:
  t:
    apis:
      bearer: { baseUrl: "${base}/b" }
      key: { baseUrl: "${base}/k" }
      basic: { baseUrl: "${base}/s" }
      jwt: { baseUrl: "${base}/j" }
`,
  );
  for (const [api, token] of [['bearer', 'staff'], ['key', 'api_key'], ['basic', 'svc'], ['jwt', 'user']] as const) {
    await mkdir(path.join(work.dir, 'specs', api), { recursive: true });
    for (const step of ['ok', 'fail', 'redirect']) {
      await writeFile(
        path.join(work.dir, 'specs', api, `${step}.md`),
        `---\nendpoint: GET /${step}\ntokens: [${token}]\ntimesReused: 0\n---\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: ${step}\n    method: GET\n    path: /${step}\n${step === 'redirect' ? '    followRedirects: true\n' : ''}    extract:\n      session_token: "$.session_token"\n      echoed: { from: header, header: x-echo }\n    expect:\n      status: [200]\n      body:\n        $.echo: { equals: "not-the-token" }\n\`\`\`\n`,
      );
    }
  }
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  otherServer.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => otherServer.close(r));
  await work?.cleanup();
});

describe('secrets', () => {
  it('never appear in stdout, stderr, any report, any written spec or a curl export', async () => {
    const env = { T_BEARER: BEARER, T_KEY: API_KEY, T_BASIC: BASIC, T_JWT: JWT };
    const reporters = ['json:out/r.json', 'junit:out/r.xml', 'markdown:out/r.md', 'html:out/r.html'].flatMap((r) => ['--reporter', r]);
    const run = await runCli(['verify', '--verbose', '--reporter', 'console', ...reporters], { cwd: work.dir, env });
    expect(run.code).toBe(1);
    const dry = await runCli(['verify', '--dry-run'], { cwd: work.dir, env });
    const texts: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
      ['dry-run', dry.stdout + dry.stderr],
    ];
    for (const f of await readdir(path.join(work.dir, 'out'))) texts.push([f, await readFile(path.join(work.dir, 'out', f), 'utf8')]);
    for (const api of ['bearer', 'key', 'basic', 'jwt']) {
      for (const f of await readdir(path.join(work.dir, 'specs', api))) texts.push([`${api}/${f}`, await readFile(path.join(work.dir, 'specs', api, f), 'utf8')]);
    }
    expect(dry.stdout).toMatch(/curl /);
    for (const secret of [BEARER, API_KEY, BASIC, JWT]) {
      for (const form of forms(secret)) {
        for (const [name, text] of texts) expect(text.includes(form), `${name} contains a form of ${secret.slice(0, 12)}…`).toBe(false);
      }
    }
  });

  it('no credential header reaches another host on a redirect', () => {
    expect(otherHits.length).toBeGreaterThan(0);
    for (const h of otherHits) {
      expect(h.authorization).toBeUndefined();
      expect(h['x-api-key']).toBeUndefined();
    }
  });

  it('an empty token variable fails fast and sends nothing', async () => {
    const r = await runCli(['verify', 'specs/bearer/ok.md', '--no-write'], { cwd: work.dir, env: { T_BEARER: '' } });
    // Nothing was sent, so nothing was learned: a runtime error, not a failing doc.
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/T_BEARER|VERIFY_TOKEN_STAFF/);
  });
});
