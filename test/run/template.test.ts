import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runChain } from '../../src/run/chain/run-chain.js';
import { builtins, isJsonMediaType, renderBody, renderHeader, renderPath, renderString, renderValue, type Lookup, type TemplateProblem } from '../../src/run/template.js';
import type { Result } from '../../src/result/ok.js';
import { chainContext, loadSpec, specText } from '../helpers/chain-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const vars = (o: Record<string, unknown>): Lookup => (name) => o[name];

function templateError(r: Result<unknown, TemplateProblem>): TemplateProblem {
  if (r.ok) throw new Error(`expected a template problem, got ${String(r.value)}`);
  return r.error;
}

function value<T>(r: Result<T, TemplateProblem>): T {
  if (!r.ok) throw new Error(`expected a value, got: ${r.error.message}`);
  return r.value;
}

describe('path values', () => {
  it('each substituted value becomes one percent-encoded segment', () => {
    const cases: [string, string][] = [
      ['../admin', '..%2Fadmin'],
      ['a/b', 'a%2Fb'],
      ['?x=1', '%3Fx%3D1'],
      ['#f', '%23f'],
      ['cli 001', 'cli%20001'],
      ['ünï', '%C3%BCn%C3%AF'],
    ];
    for (const [raw, encoded] of cases) expect(value(renderPath('/clients/{{id}}/x', vars({ id: raw })))).toBe(`/clients/${encoded}/x`);
    expect(value(renderPath('/n/{{ n }}', vars({ n: 42 })))).toBe('/n/42');
  });

  it('refuses ".", "..", CR, LF, NUL and empty values, naming the variable', () => {
    for (const bad of ['.', '..', 'a\rb', 'a\nb', 'a\0b', '']) {
      const e = templateError(renderPath('/c/{{id}}', vars({ id: bad })));
      expect(e.variable).toBe('id');
      expect(e.at).toBe('path');
      expect(e.message).toContain('{{id}}');
    }
  });

  it('an undefined variable or an object where a string is needed is an error naming it and where it is', () => {
    const undef = templateError(renderPath('/c/{{client_id}}', vars({})));
    expect(undef.message).toMatch(/\{\{client_id\}\} is not defined \(in the path\)/);
    const obj = templateError(renderString('x-{{o}}', vars({ o: { a: 1 } }), 'params.q'));
    expect(obj.message).toBe('{{o}} is an object, but query parameter q needs a string');
    expect(templateError(renderString('{{l}}', vars({ l: [1] }), 'headers.X-L')).message).toMatch(/is a list, but header X-L/);
    expect(templateError(renderString('{{n}}', vars({ n: null }), 'path')).message).toMatch(/is null/);
  });

  it('header values refuse line breaks that would add headers', () => {
    expect(value(renderHeader('Bearer {{t}}', vars({ t: 'abc' }), 'headers.Authorization'))).toBe('Bearer abc');
    expect(templateError(renderHeader('{{t}}', vars({ t: 'a\r\nX-Evil: 1' }), 'headers.X-T')).variable).toBe('t');
  });
});

describe('body values', () => {
  it('a string that is exactly "{{x}}" keeps x\'s JSON type; other strings are substituted', () => {
    const lookup = vars({ n: 5, ok: false, obj: { a: [1, 2] }, s: 'str' });
    const out = value(renderValue({ n: '{{n}}', ok: '{{ ok }}', obj: '{{obj}}', label: 'id-{{n}}', list: ['{{s}}', 3], nested: { s: '{{s}}' } }, lookup));
    expect(out).toEqual({ n: 5, ok: false, obj: { a: [1, 2] }, label: 'id-5', list: ['str', 3], nested: { s: 'str' } });
  });

  it('errors carry the location inside the body', () => {
    const e = templateError(renderValue({ a: [{ b: '{{missing}}' }] }, vars({})));
    expect(e.at).toBe('body.a.0.b');
    expect(e.message).toMatch(/\(in the body \(a\.0\.b\)\)/);
  });

  it('a "__proto__" key stays data', () => {
    const out = value(renderValue(JSON.parse('{"__proto__": {"polluted": "{{v}}"}}'), vars({ v: 'x' }))) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 'x' });
  });
});

describe('built-ins', () => {
  it('$timestamp (unix seconds, a number), $isoTimestamp, $uuid and $randomInt', () => {
    const b = builtins(() => new Date('2026-02-04T08:30:00.000Z'));
    expect(b('$timestamp')).toBe(1770193800);
    expect(b('$isoTimestamp')).toBe('2026-02-04T08:30:00.000Z');
    expect(b('$uuid')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b('$uuid')).not.toBe(b('$uuid'));
    expect(Number.isInteger(b('$randomInt'))).toBe(true);
    expect(b('$nope')).toBeUndefined();
    expect(value(renderValue({ at: '{{$timestamp}}', s: 't={{$timestamp}}' }, b))).toEqual({ at: 1770193800, s: 't=1770193800' });
  });
});

describe('templating through a chain against a server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('an injected ../admin arrives encoded as one segment', async () => {
    server.on('GET', '/apigw/platform/v1/clients', { body: { data: { clients: [{ id: '../admin' }] } } });
    server.on('GET', /^\/apigw\/platform\/v1\/clients\/[^/]+\/conversations$/, { body: { ok: true } });
    const spec = loadSpec(
      specText({
        prereq: '  - id: get_client\n    method: GET\n    path: /platform/v1/clients\n    extract: { client_id: "$.data.clients[0].id" }',
        test: '  - id: conv\n    method: GET\n    path: /platform/v1/clients/{{client_id}}/conversations',
      }),
    );
    const ctx = chainContext(server);
    const r = await runChain(spec, ctx);
    await ctx.http.close();
    expect(r.verdict).toBe('verified');
    expect(server.requests.map((q) => q.rawUrl)).toEqual(['/apigw/platform/v1/clients', '/apigw/platform/v1/clients/..%2Fadmin/conversations']);
  });

  it('"..", a line break or an undefined variable fails before any request, naming the variable and its line', async () => {
    const text = specText({ test: '  - id: t\n    method: GET\n    path: /c/{{id}}/x\n    params: { q: "{{other}}" }' });
    const spec = loadSpec(text, 'tpl.md');
    const line = text.split('\n').findIndex((l) => l.includes('path: /c/{{id}}')) + 1;
    const qLine = text.split('\n').findIndex((l) => l.includes('{{other}}')) + 1;
    for (const [cliVars, code, re] of [
      [{ id: '..', other: 'x' }, 'template', /\{\{id\}\} is "\.\."/],
      [{ id: 'a\r\nb', other: 'x' }, 'template', /\{\{id\}\} contains a line break/],
      [{ other: 'x' }, 'template', /\{\{id\}\} is not defined/],
    ] as const) {
      const ctx = chainContext(server, { cliVars });
      const r = await runChain(spec, ctx);
      await ctx.http.close();
      // A request the spec cannot produce is a broken spec, not a wrong doc.
      expect(r.verdict).toBe('invalid');
      expect(r.steps[0]!.error?.code).toBe(code);
      expect(r.steps[0]!.error?.message).toMatch(re);
      expect(r.steps[0]!.error?.message).toContain(`tpl.md:${line}:`);
    }
    const ctx = chainContext(server, { cliVars: { id: 'ok' } });
    const r = await runChain(spec, ctx);
    await ctx.http.close();
    expect(r.steps[0]!.error?.message).toMatch(new RegExp(`\\{\\{other\\}\\} is not defined \\(in query parameter q\\).*tpl\\.md:${qLine}:`));
    expect(server.requests).toEqual([]);
  });

  it('a body "{{x}}" keeps its JSON type on the wire', async () => {
    server.on('GET', '/apigw/count', { body: { n: 7, obj: { a: [1] } } });
    server.on('POST', '/apigw/items', { status: 201, body: { ok: true } });
    const spec = loadSpec(
      specText({
        prereq: '  - id: count\n    method: GET\n    path: /count\n    extract: { n: "$.n", obj: "$.obj" }',
        test: '  - id: p\n    method: POST\n    path: /items\n    body: { count: "{{n}}", obj: "{{obj}}", tag: "n-{{n}}", when: "{{$timestamp}}" }',
      }),
    );
    const ctx = chainContext(server, { now: () => new Date(1_000_000_000_000) });
    const r = await runChain(spec, ctx);
    await ctx.http.close();
    expect(r.verdict).toBe('verified');
    const sent = server.requests[1]!;
    expect(JSON.parse(sent.body)).toEqual({ count: 7, obj: { a: [1] }, tag: 'n-7', when: 1_000_000_000 });
    expect(sent.headers['content-type']).toBe('application/json');
  });

  it('a query value is form-encoded, a text body with its own content type is sent as written', async () => {
    server.on('GET', '/apigw/who', { body: { name: 'Jo & "Co"' } });
    server.on('POST', '/apigw/notes', { body: { ok: true } });
    const spec = loadSpec(
      specText({
        prereq: '  - id: who\n    method: GET\n    path: /who\n    extract: { name: "$.name" }',
        test: '  - id: p\n    method: POST\n    path: /notes\n    params: { q: "{{name}}" }\n    headers: { Content-Type: text/plain }\n    body: "note: {{name}}"',
      }),
    );
    const ctx = chainContext(server);
    const r = await runChain(spec, ctx);
    await ctx.http.close();
    expect(r.verdict).toBe('verified');
    const sent = server.requests[1]!;
    expect(sent.rawUrl).toBe('/apigw/notes?q=Jo+%26+%22Co%22');
    expect(sent.body).toBe('note: Jo & "Co"');
    expect(sent.headers['content-type']).toBe('text/plain');
  });
});

describe('JSON text bodies (body: | sent as JSON)', () => {
  it('inside a JSON string a value is JSON-escaped', () => {
    const text = value(renderBody('{"customer": "{{name}}", "note": "a \\"{{name}}\\" b"}', 'application/json', vars({ name: 'Jo "JD" Doe\n' })));
    expect(JSON.parse(text)).toEqual({ customer: 'Jo "JD" Doe\n', note: 'a "Jo "JD" Doe\n" b' });
  });

  it('outside a string a value is written as its JSON value, exact big integers included', () => {
    const text = value(renderBody('{"limit": {{n}}, "id": {{id}}, "name": {{name}}, "on": {{on}}}', 'application/json; charset=utf-8', vars({ n: 25, id: 9007199254740993n, name: 'Jo', on: true })));
    expect(text).toBe('{"limit": 25, "id": 9007199254740993, "name": "Jo", "on": true}');
  });

  it('a text body with another content type is substituted as written', () => {
    expect(value(renderBody('name={{name}}', 'text/plain', vars({ name: 'Jo "JD"' })))).toBe('name=Jo "JD"');
    expect(isJsonMediaType('application/problem+json')).toBe(true);
    expect(isJsonMediaType('text/plain')).toBe(false);
  });

  it('a structured body keeps "{{x}}" typed and serializes big integers exactly', () => {
    expect(value(renderBody({ limit: '{{n}}', id: '{{id}}', label: 'page {{n}}' }, 'application/json', vars({ n: 25, id: 9007199254740993n })))).toBe(
      '{"limit":25,"id":9007199254740993,"label":"page 25"}',
    );
  });

  it('an undefined variable is an error in every body context', () => {
    expect(templateError(renderBody('{"a": {{x}}}', 'application/json', vars({}))).variable).toBe('x');
    expect(templateError(renderBody('{"a": "{{x}}"}', 'application/json', vars({}))).variable).toBe('x');
  });
});

describe('big integers in paths and queries', () => {
  it('are written with all their digits', () => {
    expect(value(renderPath('/orders/{{id}}', vars({ id: 9007199254740993n })))).toBe('/orders/9007199254740993');
    expect(value(renderString('{{id}}', vars({ id: 9007199254740993n }), 'params.id'))).toBe('9007199254740993');
  });
});
