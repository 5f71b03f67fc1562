import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/config/types.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import { readSpec } from '../../src/specfile/parse.js';

/**
 * 1,000 failing steps (500s and refused connections) in one run: every spec
 * gets the verdict of its kind (failing on a 500, error on a refused connection), and when the run returns
 * no connection to the server is left open.
 */

let server: ReturnType<typeof createHttpServer>;
let base = '';
const open = new Set<Socket>();
let dir: string;
let closedPort = 0;

beforeAll(async () => {
  server = createHttpServer((_req, res) => void res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"boom"}'));
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was free a moment ago: connections to it are refused.
  const probe: Server = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  dir = await mkdtemp(path.join(tmpdir(), 'ev-many-'));
  for (let i = 0; i < 1000; i++) {
    await writeFile(
      path.join(dir, `s${i}.md`),
      `---\nendpoint: GET /x\napi: ${i % 2 ? 'refused' : 'broken'}\n---\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: s\n    method: GET\n    path: /x/${i}\n\`\`\`\n`,
    );
  }
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('a run of 1,000 failing steps', () => {
  it('gives each spec the verdict of its kind and leaves no socket open', async () => {
    const auth = { header: 'Authorization', scheme: 'Bearer' };
    const environment: Environment = {
      name: 't',
      sandbox: false,
      vars: {},
      apis: [
        { name: 'broken', baseUrl: base, auth, tokens: {}, vars: {} },
        { name: 'refused', baseUrl: `http://127.0.0.1:${closedPort}`, auth, tokens: {}, vars: {} },
      ],
    };
    const specs = await Promise.all(Array.from({ length: 1000 }, (_, i) => readSpec(path.join(dir, `s${i}.md`), `s${i}.md`)));
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    // The CLI's Ctrl-C signal: 32 requests in flight listen on it, which must not warn of a leak.
    const controller = new AbortController();
    const r = await runSpecs({ specs, environment, env: {}, loadSpec: (abs) => readSpec(abs, abs), concurrency: 32, signal: controller.signal });
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
    expect(r.summary).toMatchObject({ total: 1000, failing: 500, error: 500, verified: 0 });
    const byKind = (i: number): string => {
      const step = r.specs[i]!.steps[0]!;
      return step.error?.code ?? (step.assertions[0]?.passed === false ? `status ${String(step.assertions[0].actual)}` : 'passed');
    };
    for (let i = 0; i < 1000; i++) expect(byKind(i)).toBe(i % 2 ? 'network' : 'status 500');
    // Server side: the client closed its keep-alive pool when the run ended.
    await new Promise((res) => setTimeout(res, 100));
    expect(open.size).toBe(0);
  });
});
