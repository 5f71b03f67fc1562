import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, scratch } from '../cli/run-cli.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * docs/getting-started.md, run as written: every `sh` block's `export` and `npx endpoint-verify`
 * lines, in order, in a fresh folder holding only an OpenAPI document, against a local server that
 * stands in for https://staging.example.com/api. If the guide's commands stop working, this fails.
 */

const GUIDE = path.join(REPO, 'docs/getting-started.md');
const TOKEN = 'guide-token-0123456789';

const OPENAPI = `openapi: 3.0.3
info: { title: Catalog, version: "1.0" }
paths:
  /v1/items:
    get:
      summary: List the items of a shop
      operationId: listItems
      parameters:
        - { name: shop, in: query, required: true, schema: { type: string } }
      security: [{ bearer: [] }]
      responses:
        "200":
          description: The items
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: { type: array, items: { type: object, properties: { id: { type: string } } } }
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
`;

/** The command lines of the guide's ```sh blocks, in order. */
function shellLines(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const line of m[1]!.split('\n')) if (line.trim() && !line.trim().startsWith('#')) out.push(line.replace(/\s+#.*$/, '').trim());
  }
  return out;
}

/** Words of a command line: whitespace-separated, "double quotes" kept together. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server.on('GET', '/api/v1/items', (r) =>
    r.headers.authorization === `Bearer ${TOKEN}` && r.query.shop === 's1' ? { body: { items: [{ id: 'i1' }] } } : { status: 401, body: { error: 'unauthorized' } },
  );
});
afterAll(async () => {
  await server.close();
});

describe('docs/getting-started.md', () => {
  it('its commands, run in order in a fresh folder, scaffold, verify with no config, init, lint and verify', async () => {
    const guide = await readFile(GUIDE, 'utf8');
    const lines = shellLines(guide);
    expect(lines.filter((l) => l.startsWith('npx endpoint-verify ')).map((l) => words(l)[2])).toEqual(['new', 'verify', 'init', 'lint', 'verify']);
    const { dir, cleanup } = await scratch();
    try {
      await writeFile(path.join(dir, 'openapi.yaml'), OPENAPI);
      const env: Record<string, string> = {};
      const local = (s: string): string => s.replaceAll('https://staging.example.com/api', `${server.url}/api`).replaceAll('your-staging-token', TOKEN);
      const outputs: string[] = [];
      for (const line of lines) {
        const exported = /^export ([A-Z0-9_]+)=(.*)$/.exec(line);
        if (exported) {
          env[exported[1]!] = local(exported[2]!);
          continue;
        }
        expect(line.startsWith('npx endpoint-verify '), `a guide command the test does not know: ${line}`).toBe(true);
        const r = await runCli(words(local(line)).slice(2), { cwd: dir, env });
        expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
        outputs.push(r.stdout);
      }
      expect(outputs[1]).toContain('1 verified');
      // init names exactly the variables the guide then exports.
      for (const name of Object.keys(env).filter((n) => n.startsWith('CATALOG_'))) expect(outputs[2]).toContain(`  ${name}\n`);
      expect(outputs[3]).toContain('1 file checked: 0 errors, 0 warnings');
      expect(outputs[4]).toContain('1 verified');
      expect(await readFile(path.join(dir, 'specs/catalog/list-items.md'), 'utf8')).toMatch(/^status: verified$/m);
      expect(server.requests.length).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
