import type { AssertionResult } from '../../src/result/result.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratch } from './run-cli.js';

/**
 * Issue 16's numbered cases, each through the CLI against a local server,
 * each asserting the value that must come out (or go in): RFC 9535
 * JSONPath, exact big integers, templating by context, empty encoded bodies,
 * OpenAPI writeOnly, and the timestamp style of write-back.
 */

interface Seen {
  method: string;
  url: string;
  body: string;
}

const seen: Seen[] = [];
const DEEP = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

const ROUTES: Record<string, { status?: number; headers?: Record<string, string>; body: string }> = {
  '/items': { body: '{"items":[1,2,3]}' },
  '/person': { body: '{"first":"Jo","last":"Doe"}' },
  '/false': { body: 'false' },
  '/ids': { body: '[{"id":4}]' },
  '/empty-list': { body: '[]' },
  '/tickets': { body: '{"data":[{"id":"t1","status":"open"},{"id":"t2","status":"closed"},{"id":"t3","status":"open"}]}' },
  '/orders': { body: '{"id":9007199254740993}' },
  '/me': { body: '{"name":"Jo \\"JD\\" Doe"}' },
  '/br-empty': { headers: { 'content-encoding': 'br', 'content-length': '0' }, body: '' },
  '/users/1': { body: '{"id":"u1","name":"Ada"}' },
  '/deep': { body: DEEP },
};

let server: Server;
let base = '';
let work: Awaited<ReturnType<typeof scratch>>;

const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'users', version: '1' },
  paths: {
    '/users/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'a user',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'name', 'password'],
                  properties: { id: { type: 'string' }, name: { type: 'string' }, password: { type: 'string', writeOnly: true } },
                },
              },
            },
          },
        },
      },
    },
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      const route = ROUTES[new URL(req.url ?? '/', 'http://x').pathname];
      if (!route) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers }).end(route.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  work = await scratch();
  await mkdir(path.join(work.dir, 'specs'));
  await writeFile(
    path.join(work.dir, 'verify.config.yaml'),
    `default: t\nvars:\n  page_size: 25\napis:\n  a: { specs: specs }\nenvironments:\n  t:\n    apis:\n      a: { baseUrl: "${base}" }\n`,
  );
  await writeFile(path.join(work.dir, 'specs', 'users.openapi.json'), JSON.stringify(OPENAPI));
}, 30_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await work.cleanup();
});

function spec(name: string, steps: string, frontMatter = ''): Promise<string> {
  const file = path.join(work.dir, 'specs', `${name}.md`);
  // The Test Request must call the spec's own endpoint (verify refuses it otherwise): the first step's.
  const first = /method: (\w+)\n\s+path: (\S+)/.exec(steps);
  const endpoint = frontMatter.includes('endpoint:') ? '' : `endpoint: ${first ? `${first[1]} ${first[2]}` : 'GET /x'}\n`;
  const text = `---\n${endpoint}${frontMatter}---\n# ${name}\n\n## Test Request\n\n\`\`\`yaml\nsteps:\n${steps}\`\`\`\n`;
  return writeFile(file, text).then(() => file);
}

type Assertion = AssertionResult;
interface Report {
  specs: { file: string; verdict: string; steps: { id: string; assertions: Assertion[]; extracted: Record<string, string>; error?: { message: string } }[] }[];
}

async function verify(name: string, extra: string[] = []): Promise<{ code: number | null; report: Report; output: string }> {
  const out = path.join(work.dir, `${name}.json`);
  const r = await runCli(['verify', `specs/${name}.md`, '--no-write', '--reporter', `json:${out}`, ...extra], { cwd: work.dir });
  const report = JSON.parse(await readFile(out, 'utf8')) as Report;
  return { code: r.code, report, output: r.stdout + r.stderr };
}

function bodyAssertions(report: Report): Assertion[] {
  return report.specs.flatMap((s) => s.steps.flatMap((st) => st.assertions.filter((a) => a.kind === 'body')));
}

describe('issue 16, through the CLI', () => {
  it('1. $.items[-1] selects the last item, and lint accepts what the run evaluates', async () => {
    await spec('c1', `  - id: last\n    method: GET\n    path: /items\n    extract:\n      last: "$.items[-1]"\n    expect:\n      body:\n        $.items[-1]: { equals: 3 }\n  - id: get\n    method: GET\n    path: /items/{{last}}\n`);
    const { code, report } = await verify('c1');
    expect(bodyAssertions(report)).toMatchObject([{ op: 'equals', actual: 3, passed: true }]);
    expect(report.specs[0]?.steps[0]?.extracted).toEqual({ last: '3' });
    expect(seen.some((s) => s.url === '/items/3')).toBe(true);
    expect(code).toBe(0);
  });

  it("2. $['first','last'] is the list of both values", async () => {
    await spec('c2', `  - id: names\n    method: GET\n    path: /person\n    expect:\n      body:\n        "$['first','last']": { equals: [Jo, Doe] }\n`);
    const { code, report } = await verify('c2');
    expect(bodyAssertions(report)).toMatchObject([{ op: 'equals', actual: ['Jo', 'Doe'], passed: true }]);
    expect(code).toBe(0);
  });

  it('3. a body that is just false is the value false', async () => {
    await spec('c3', `  - id: f\n    method: GET\n    path: /false\n    expect:\n      body:\n        $: { equals: false }\n`);
    const { code, report } = await verify('c3');
    expect(bodyAssertions(report)).toMatchObject([{ op: 'equals', actual: false, passed: true }]);
    expect(code).toBe(0);
  });

  it('4. $[*].id on one item is a list that contains it; $[*] on [] has length 0', async () => {
    await spec(
      'c4',
      `  - id: ids\n    method: GET\n    path: /ids\n    expect:\n      body:\n        "$[*].id": { contains: 4 }\n  - id: none\n    method: GET\n    path: /empty-list\n    expect:\n      body:\n        "$[*]": { length: 0 }\n`,
    );
    const { code, report } = await verify('c4');
    expect(bodyAssertions(report)).toMatchObject([
      { op: 'contains', actual: [4], passed: true },
      { op: 'length', actual: 0, passed: true },
    ]);
    expect(code).toBe(0);
  });

  it('5. filters, in the RFC form and the older parenthesized one, pass lint and select', async () => {
    await spec(
      'c5',
      `  - id: open\n    method: GET\n    path: /tickets\n    extract:\n      first_open: "$.data[?@.status=='open'].id"\n    expect:\n      body:\n        "$.data[?@.status=='open'].id": { equals: [t1, t3] }\n        "$.data[?(@.status=='open')].id": { length: 2 }\n        "$.data[?length(@.id) == 2 && search(@.status, 'clo')].id": { equals: [t2] }\n`,
      'endpoint: GET /tickets\n',
    );
    const lint = await runCli(['lint', 'specs/c5.md'], { cwd: work.dir });
    expect(lint.stdout + lint.stderr).not.toContain('bad-jsonpath');
    expect(lint.code).toBe(0);
    const { code, report } = await verify('c5');
    expect(bodyAssertions(report)).toMatchObject([
      { op: 'equals', actual: ['t1', 't3'], passed: true },
      { op: 'length', actual: 2, passed: true },
      { op: 'equals', actual: ['t2'], passed: true },
    ]);
    expect(report.specs[0]?.steps[0]?.extracted).toEqual({ first_open: '["t1","t3"]' });
    expect(code).toBe(0);
  });

  it('lint gives the column inside a bad path', async () => {
    await spec('lint-bad', `  - id: x\n    method: GET\n    path: /items\n    expect:\n      body:\n        "$.items[?@.a ==]": { exists: true }\n`);
    const lint = await runCli(['lint', 'specs/lint-bad.md'], { cwd: work.dir });
    expect(lint.stdout + lint.stderr).toMatch(/JSONPath "\$\.items\[\?@\.a ==\]": .*\(at character 16\)/);
    expect(lint.code).not.toBe(0);
  });

  it('6. an id beyond 2^53 is extracted, templated into the next path and compared exactly', async () => {
    seen.length = 0;
    await spec(
      'c6',
      `  - id: create\n    method: GET\n    path: /orders\n    extract:\n      order_id: "$.id"\n    expect:\n      body:\n        $.id: { equals: 9007199254740993 }\n  - id: get\n    method: GET\n    path: /orders/{{order_id}}\n    params: { ref: "{{order_id}}" }\n    body: { id: "{{order_id}}" }\n`,
    );
    const { code, report } = await verify('c6');
    expect(bodyAssertions(report)).toMatchObject([{ op: 'equals', expected: '9007199254740993', actual: '9007199254740993', passed: true }]);
    const get = seen.find((s) => s.url.startsWith('/orders/'));
    expect(get?.url).toBe('/orders/9007199254740993?ref=9007199254740993');
    expect(get?.body).toBe('{"id":9007199254740993}');
    expect(code).toBe(0);

    await spec('c6-wrong', `  - id: create\n    method: GET\n    path: /orders\n    expect:\n      body:\n        $.id: { equals: 9007199254740992 }\n`);
    const wrong = await verify('c6-wrong');
    expect(bodyAssertions(wrong.report)).toMatchObject([{ op: 'equals', actual: '9007199254740993', passed: false }]);
    expect(wrong.code).toBe(1);
  });

  it('7. a value with quotes templated into a JSON text body is JSON-escaped', async () => {
    seen.length = 0;
    await spec(
      'c7',
      `  - id: me\n    method: GET\n    path: /me\n    extract:\n      name: "$.name"\n  - id: order\n    method: POST\n    path: /customers\n    body: |\n      {"customer": "{{name}}"}\n`,
    );
    const { code } = await verify('c7');
    const post = seen.find((s) => s.method === 'POST');
    expect(JSON.parse(post?.body ?? '')).toEqual({ customer: 'Jo "JD" Doe' });
    expect(code).toBe(0);
  });

  it('8. "{{x}}" alone keeps the type of a config var and of --var name:=<JSON>', async () => {
    seen.length = 0;
    await spec('c8', `  - id: page\n    method: POST\n    path: /search\n    body: { limit: "{{page_size}}", offset: "{{offset}}", label: "{{label}}" }\n`);
    const { code } = await verify('c8', ['--var', 'offset:=50', '--var', 'label=50']);
    expect(JSON.parse(seen.find((s) => s.method === 'POST')?.body ?? '')).toEqual({ limit: 25, offset: 50, label: '50' });
    expect(code).toBe(0);
  });

  it('9. an empty body under Content-Encoding br is an empty body', async () => {
    await spec('c9', `  - id: br\n    method: GET\n    path: /br-empty\n    expect:\n      status: [200]\n`);
    const { code, report, output } = await verify('c9');
    expect(report.specs[0]?.verdict, output).toBe('verified');
    expect(code).toBe(0);
  });

  it('10. a writeOnly property is not required in a response (OpenAPI 3.0)', async () => {
    await spec('c10', `  - id: user\n    method: GET\n    path: /users/1\n`, 'swagger: "users.openapi.json"\n');
    const out = path.join(work.dir, 'c10.json');
    const r = await runCli(['verify', 'specs/c10.md', '--no-write', '--conformance', 'error', '--reporter', `json:${out}`], { cwd: work.dir });
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain('password');
    expect((JSON.parse(text) as Report).specs[0]?.verdict).toBe('verified');
    expect(r.code).toBe(0);
  });

  it('11. write-back keeps a verifiedAt written in whole seconds with Z', async () => {
    const file = await spec('c11', `  - id: ok\n    method: GET\n    path: /items\n`, 'status: draft\nverifiedAt: 2026-01-05T09:00:00Z\n');
    const r = await runCli(['verify', 'specs/c11.md'], { cwd: work.dir });
    expect(r.code).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^verifiedAt: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(text).toContain('status: verified\n');
  });

  it('a body 10,000 deep: a descending query fails with its own message, exists: false never passes, the report stays small', async () => {
    await spec('deep', `  - id: deep\n    method: GET\n    path: /deep\n    expect:\n      body:\n        $..b: { exists: false }\n        $.a.a.a: { exists: true }\n`);
    const { code, report } = await verify('deep');
    const [descend, plain] = bodyAssertions(report);
    expect(descend).toMatchObject({ op: 'evaluate', passed: false });
    expect(descend?.message).toMatch(/could not evaluate \$\.\.b: the body is nested deeper than 1000 levels/);
    expect(plain).toMatchObject({ op: 'exists', passed: true });
    expect(JSON.stringify(plain?.actual).length).toBeLessThan(200);
    expect(report.specs[0]?.verdict).toBe('failing');
    expect(code).toBe(1);
  });
});
