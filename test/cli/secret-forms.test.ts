import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratch } from './run-cli.js';

/**
 * Secret-named variables (an extracted `session_token`, a config var `api_key`) get every form a
 * token gets: used in a query string (form-encoded), echoed back by the server escaped the way
 * .NET and Go write JSON (\uXXXX) and as HTML entities, they appear in no output.
 */

const SESSION = 'sess tok!en*(x)~ü';
const API_KEY = "key with space&'<q>";

const u4 = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
/** The forms a server or a report could write a secret in. */
function forms(s: string): string[] {
  return [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ x: s }).toString().slice(2),
    JSON.stringify(s).slice(1, -1),
    [...s].map((c) => (/[A-Za-z0-9]/.test(c) ? c : u4(c))).join(''),
    [...s].map(u4).join(''),
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;'),
    [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
    Buffer.from(s).toString('base64'),
    Buffer.from(s).toString('base64url'),
  ];
}

let server: Server;
let work: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.endsWith('/login')) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session_token: SESSION }));
    const values = [...url.searchParams.values()];
    // Echo what arrived: the raw query, .NET-style JSON escapes, HTML entities; and fail, so details are shown.
    const dotnet = values.map((v) => [...v].map((c) => (/[A-Za-z0-9 ]/.test(c) ? c : u4(c))).join(''));
    const html = values.map((v) => [...v].map((c) => `&#${c.codePointAt(0)};`).join(''));
    res.writeHead(500, { 'content-type': 'application/json', 'x-query': url.search });
    res.end(`{"query":"${url.search}","dotnet":"${dotnet.join(',')}","html":"${html.join(',')}"}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await writeFile(path.join(work.dir, 'verify.config.yaml'), `vars:\n  api_key: ${JSON.stringify(API_KEY)}\nenvironments:\n  local:\n    apis:\n      echo:\n        baseUrl: ${base}\n`);
  await mkdir(path.join(work.dir, 'specs'));
  await writeFile(
    path.join(work.dir, 'specs', 'echo.md'),
    `---\nendpoint: GET /echo\nstatus: draft\n---\n# Echo\n## Prerequisites\n\`\`\`yaml\nsteps:\n  - id: login\n    method: POST\n    path: /login\n    extract:\n      session_token: "$.session_token"\n\`\`\`\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: echo\n    method: GET\n    path: /echo\n    params: { s: "{{session_token}}", k: "{{api_key}}" }\n    expect:\n      status: [200]\n\`\`\`\n`,
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await work?.cleanup();
});

describe('secret-named variables in every form, in every output', () => {
  it('neither the extracted session_token nor the config var api_key appears in console, JSON, JUnit, HTML or Markdown', async () => {
    const run = await runCli(
      ['verify', '--verbose', '--no-write', '--reporter', 'console', '--reporter', 'json:out/r.json', '--reporter', 'junit:out/r.xml', '--reporter', 'html:out/r.html', '--reporter', 'markdown:out/r.md'],
      { cwd: work.dir },
    );
    expect(run.code).toBe(1);
    const outputs: [string, string][] = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ];
    for (const f of await readdir(path.join(work.dir, 'out'))) outputs.push([f, await readFile(path.join(work.dir, 'out', f), 'utf8')]);
    expect(outputs.map(([n]) => n).sort()).toEqual(['r.html', 'r.json', 'r.md', 'r.xml', 'stderr', 'stdout']);
    // The run did show the request and the echo, with the secrets masked.
    expect(run.stdout).toMatch(/\*\*\*/);
    for (const [name, text] of outputs) {
      for (const secret of [SESSION, API_KEY]) {
        for (const form of forms(secret)) expect({ name, leaked: text.includes(form) ? form : '' }).toEqual({ name, leaked: '' });
        // Nor a recognisable part of it.
        expect({ name, part: text.includes('tok!en') || text.includes('tok%21en') || text.includes('with+space') }).toEqual({ name, part: false });
      }
    }
  });
});
