import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { resolveEnvironment } from '../../src/config/resolve.js';

/** The oauth2 and login keys of a token type: validation with key paths, ${VAR} expansion, merging. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-token-provider-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(yaml: string, env: Record<string, string> = {}) {
  await writeFile(path.join(dir, 'verify.config.yaml'), yaml);
  const raw = await loadConfig({ cwd: dir, env, envName: 'e' });
  return { raw, resolved: raw.diagnostics.some((d) => d.severity === 'error') ? undefined : resolveEnvironment(raw, { env, overrides: {} }) };
}

const wrap = (tokens: string): string => `environments:
  e:
    apis:
      a:
        baseUrl: http://127.0.0.1:1/a
        tokens:
${tokens}`;

describe('token providers in the config', () => {
  it('resolves an oauth2 provider with ${VARS} expanded and secrets left as variable names', async () => {
    const { resolved } = await load(
      wrap(`          user:
            oauth2:
              tokenUrl: \${AUTH_URL}/oauth/token
              clientId: { env: CID }
              clientSecret: { env: CSECRET }
              scope: read write
              params: { resource: "\${RES}" }
          staff: { login: auth/login.md }`),
      { AUTH_URL: 'https://auth.example.com', RES: 'api://x' },
    );
    expect(resolved?.diagnostics).toEqual([]);
    const tokens = resolved!.environment!.apis[0]!.tokens;
    expect(tokens.user!.provider).toEqual({
      kind: 'oauth2',
      tokenUrl: 'https://auth.example.com/oauth/token',
      grant: 'client_credentials',
      clientAuth: 'basic',
      clientId: { env: 'CID' },
      clientSecret: { env: 'CSECRET' },
      scope: 'read write',
      params: { resource: 'api://x' },
    });
    expect(tokens.staff!.provider).toEqual({ kind: 'login', file: path.join(dir, 'auth/login.md'), shown: 'auth/login.md' });
  });

  it('reports a secret written in the config, an unknown key, a bad grant and env next to oauth2, each at its key', async () => {
    const { raw } = await load(
      wrap(`          user:
            env: USER_TOKEN
            oauth2:
              tokenUrl: https://auth.example.com/token
              grant: implicit
              clientId: c
              clientSecret: hunter2-literal
              scopes: x`),
    );
    const errors = raw.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.message, d.span?.line]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['token "user" sets env and oauth2: choose one source', 9],
        ['unknown key "scopes" in oauth2', 14],
        ['oauth2.grant must be one of client_credentials, password, refresh_token', 11],
        ['oauth2.clientSecret must be { env: NAME }: secrets are read from variables, never written in the config', 13],
      ]),
    );
    expect(raw.diagnostics.find((d) => d.message.startsWith('unknown key'))?.hint).toBe('did you mean "scope"?');
    expect(raw.diagnostics.map((d) => d.message).join('\n')).not.toContain('hunter2-literal');
  });

  it('a password grant needs username and password; a token URL must be http(s)', async () => {
    const a = await load(wrap(`          user: { oauth2: { tokenUrl: "https://x/t", grant: password, clientId: c } }`));
    expect(a.raw.diagnostics.map((d) => d.message)).toContain('oauth2 grant password needs username and password');
    const b = await load(wrap(`          user: { oauth2: { tokenUrl: "ftp://x/t", clientId: c } }`));
    expect(b.resolved?.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('oauth2.tokenUrl is not an http(s) URL')]);
  });

  it("an environment's env: replaces a shared oauth2: for that type", async () => {
    const { resolved } = await load(`apis:
  a:
    tokens:
      user: { oauth2: { tokenUrl: "https://x/t", clientId: c } }
environments:
  e:
    apis:
      a:
        baseUrl: http://127.0.0.1:1/a
        tokens:
          user: { env: USER_TOKEN }
`);
    expect(resolved!.environment!.apis[0]!.tokens.user).toEqual({ env: 'USER_TOKEN' });
  });
});
