import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/server.js';
import { REPO, runCli, scratch } from './run-cli.js';

/**
 * The "Tokens that fetch themselves" examples of docs/configuration.md, used
 * as written by a new user: a scratch folder outside the repository, the
 * docs' config blocks, the sandbox as the API and token server, the built CLI.
 */

let sandbox: Sandbox;
let docBlocks: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ knobs: { tokenTtlSec: 60 } });
  const doc = await readFile(path.join(REPO, 'docs/configuration.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Tokens that fetch themselves'), doc.indexOf('## Environment variables and flags'));
  // The yaml blocks, then the login spec (a ````markdown block holding a ```yaml one).
  const login = /^````markdown\n([\s\S]*?)^````$/m.exec(section)![1]!;
  docBlocks = [...section.replace(login, '').matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  docBlocks.push(login);
});
afterAll(async () => {
  await sandbox.close();
});

// The endpoint is the path the Test Request calls (verify requires a spec to call its own endpoint).
const listSpec = (pathName: string, tokenType: string): string => `---
endpoint: "GET ${pathName}"
tokens: [${tokenType}]
status: draft
---

## Test Request

\`\`\`yaml
steps:
  - id: list
    method: GET
    path: "${pathName}"
    expect:
      status: [200]
\`\`\`
`;

function secrets(): string[] {
  const values = [sandbox.env.SANDBOX_OAUTH_CLIENT_SECRET!, sandbox.env.SANDBOX_LOGIN_PASSWORD!];
  return values.flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url')]);
}

async function outputs(dir: string): Promise<string> {
  const names = ['r.json', 'r.xml', 'r.md', 'r.html'];
  return (await Promise.all(names.map((n) => readFile(path.join(dir, 'out', n), 'utf8')))).join('\n');
}

const REPORTERS = ['json:out/r.json', 'junit:out/r.xml', 'markdown:out/r.md', 'html:out/r.html'].flatMap((r) => ['--reporter', r]);

describe('docs: tokens that fetch themselves', () => {
  it('client credentials example: fetches a token, verifies, shows the provider, leaks nothing', async () => {
    const work = await scratch();
    try {
      await writeFile(path.join(work.dir, 'verify.config.yaml'), docBlocks[0]!);
      await mkdir(path.join(work.dir, 'specs'));
      for (let i = 0; i < 5; i++) await writeFile(path.join(work.dir, 'specs', `list-${i}.md`), listSpec('/api/v2/conversations', 'user'));
      const env = {
        CONVERSATIONS_BASE_URL: `${sandbox.url}/v2`,
        AUTH_URL: sandbox.url,
        CONV_CLIENT_ID: sandbox.env.SANDBOX_OAUTH_CLIENT_ID!,
        CONV_CLIENT_SECRET: sandbox.env.SANDBOX_OAUTH_CLIENT_SECRET!,
      };
      const before = sandbox.counts['POST /oauth/token']?.requests ?? 0;
      const run = await runCli(['verify', '--verbose', '--reporter', 'console', ...REPORTERS], { cwd: work.dir, env });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('5 verified');
      expect(run.stdout).toContain(`conversations user: oauth2 client_credentials at ${sandbox.url}/oauth/token, fetched once`);
      expect((sandbox.counts['POST /oauth/token']?.requests ?? 0) - before).toBe(1);
      const dry = await runCli(['verify', '--dry-run'], { cwd: work.dir, env });
      // The dry run prints the request the run would send, whose credential header is masked whole.
      expect(dry.stdout).toContain("-H 'Authorization: Bearer ***'");
      expect(dry.stdout).toContain(`# user token: would be fetched from oauth2 client_credentials at ${sandbox.url}/oauth/token`);
      const all = [run.stdout, run.stderr, dry.stdout, dry.stderr, await outputs(work.dir)].join('\n');
      for (const s of secrets()) expect(all).not.toContain(s);
    } finally {
      await work.cleanup();
    }
  });

  it('login spec example: runs the login, sends its token', async () => {
    const work = await scratch();
    try {
      await writeFile(path.join(work.dir, 'verify.config.yaml'), docBlocks[1]!);
      await mkdir(path.join(work.dir, 'auth'));
      await writeFile(path.join(work.dir, 'auth', 'login-staff.md'), docBlocks[2]!);
      await mkdir(path.join(work.dir, 'specs'));
      // The sandbox serves the login at /auth/login and Conversations v2 under /v2: the "platform" here is its root.
      await writeFile(path.join(work.dir, 'specs', 'list.md'), listSpec('/v2/api/v2/conversations', 'staff'));
      const env = { PLATFORM_BASE_URL: sandbox.url, STAFF_USERNAME: sandbox.env.SANDBOX_LOGIN_USERNAME!, STAFF_PASSWORD: sandbox.env.SANDBOX_LOGIN_PASSWORD! };
      const run = await runCli(['verify', 'specs', '--verbose', '--reporter', 'console', ...REPORTERS], { cwd: work.dir, env });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('platform staff: login spec auth/login-staff.md, fetched once');
      const all = [run.stdout, run.stderr, await outputs(work.dir)].join('\n');
      for (const s of secrets()) expect(all).not.toContain(s);

      // Wrong password: the login's own failure, the spec is error (exit 3) and its file untouched.
      const specFile = path.join(work.dir, 'specs', 'list.md');
      const bytes = await readFile(specFile);
      const bad = await runCli(['verify', 'specs'], { cwd: work.dir, env: { ...env, STAFF_PASSWORD: 'not-the-password' } });
      expect(bad.code).toBe(3);
      expect(bad.stdout).toContain('auth/login-staff.md is failing: login failed');
      expect((await readFile(specFile)).equals(bytes)).toBe(true);
    } finally {
      await work.cleanup();
    }
  });

  it('token endpoint down: error naming provider and URL, exit 3, spec file untouched', async () => {
    const work = await scratch();
    try {
      await writeFile(path.join(work.dir, 'verify.config.yaml'), docBlocks[0]!);
      await mkdir(path.join(work.dir, 'specs'));
      const file = path.join(work.dir, 'specs', 'list.md');
      await writeFile(file, listSpec('/api/v2/conversations', 'user'));
      const bytes = await readFile(file);
      const env = { CONVERSATIONS_BASE_URL: `${sandbox.url}/v2`, AUTH_URL: 'http://127.0.0.1:1', CONV_CLIENT_ID: 'x', CONV_CLIENT_SECRET: 'client-secret-canary-42' };
      const run = await runCli(['verify'], { cwd: work.dir, env });
      expect(run.code).toBe(3);
      expect(run.stdout).toContain('token provider oauth2 client_credentials at http://127.0.0.1:1/oauth/token');
      expect(run.stdout).toContain('unreachable');
      expect(run.stdout).not.toContain('client-secret-canary-42');
      expect((await readFile(file)).equals(bytes)).toBe(true);
    } finally {
      await work.cleanup();
    }
  });
});
