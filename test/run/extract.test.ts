import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/run/chain/types.js';
import { extractValue, ResponseView, runExtractions } from '../../src/run/extract.js';
import { createRedactor } from '../../src/secret/index.js';

function view(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, status = 200, redact = createRedactor()): ResponseView {
  const response: HttpResponse = { status, headers, bodyText: body, bodyBytes: Buffer.byteLength(body), finalUrl: 'http://127.0.0.1/x' };
  return new ResponseView(response, redact);
}

const CLIENTS = JSON.stringify({ data: { clients: [{ id: 'cli_001', n: 3, tags: ['a'] }] } });

describe('short form (a JSONPath on the JSON body)', () => {
  it('a singular query gives its value, keeping its JSON type; any other query the list (RFC 9535 nodelist)', () => {
    const v = view(CLIENTS);
    expect(extractValue('$.data.clients[0].id', v)).toEqual({ ok: true, value: 'cli_001' });
    expect(extractValue('$.data.clients[0].n', v)).toEqual({ ok: true, value: 3 });
    expect(extractValue('$.data.clients[0].tags', v)).toEqual({ ok: true, value: ['a'] });
    expect(extractValue('$..id', v)).toEqual({ ok: true, value: ['cli_001'] });
    expect(extractValue('$.data.clients[-1].id', v)).toEqual({ ok: true, value: 'cli_001' });
  });

  it('an integer beyond 2^53 is extracted exactly', () => {
    expect(extractValue('$.id', view('{"id":9007199254740993}'))).toEqual({ ok: true, value: 9007199254740993n });
  });

  it('a query that cannot be evaluated is its own failure, not "no match"', () => {
    const deep = `${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}`;
    const x = extractValue('$..b', view(deep));
    expect(x.ok).toBe(false);
    expect(!x.ok && x.message).toMatch(/could not evaluate \$\.\.b: the body is nested deeper than/);
  });

  it('zero matches says what came back', () => {
    expect(extractValue('$.data[0].id', view('{"data":[]}'))).toEqual({ ok: false, message: 'no match for $.data[0].id in {"data":[]}' });
  });

  it('a non-JSON body says which content type came back', () => {
    const html = extractValue('$.id', view('<html><body>maintenance</body></html>', { 'content-type': 'text/html; charset=utf-8' }));
    expect(html.ok).toBe(false);
    expect(!html.ok && html.message).toMatch(/^expected JSON, got text\/html: <html>/);
    const empty = extractValue('$.id', view('', {}));
    expect(!empty.ok && empty.message).toBe('expected JSON, got an empty body');
    const broken = extractValue('$.id', view('{"id":', { 'content-type': 'application/json' }));
    expect(!broken.ok && broken.message).toMatch(/^expected JSON, got application\/json that does not parse/);
  });

  it('a script filter selects nothing instead of running', () => {
    const r = extractValue('$..[?(@.constructor.constructor("return process")().exit())]', view(CLIENTS));
    expect(r.ok).toBe(false);
  });
});

describe('long form', () => {
  it('from header (case-insensitive name), with an optional regex and group', () => {
    const v = view('{}', { 'content-type': 'application/json', location: '/clients/cli_9/x', 'x-rate': 'limit=10, remaining=7' });
    expect(extractValue({ from: 'header', header: 'Location' }, v)).toEqual({ ok: true, value: '/clients/cli_9/x' });
    expect(extractValue({ from: 'header', header: 'location', regex: '/clients/([^/]+)' }, v)).toEqual({ ok: true, value: 'cli_9' });
    expect(extractValue({ from: 'header', header: 'X-Rate', regex: 'limit=(\\d+), remaining=(\\d+)', group: 2 }, v)).toEqual({ ok: true, value: '7' });
    expect(extractValue({ from: 'header', header: 'X-Missing' }, v)).toEqual({ ok: false, message: 'no X-Missing header in the response' });
  });

  it('from status', () => {
    expect(extractValue({ from: 'status' }, view('', {}, 204))).toEqual({ ok: true, value: 204 });
  });

  it('from body: a path, a regex over the text (whole match without groups), or a regex over a selected value', () => {
    const v = view('{"msg":"order ord_42 created","id":7}');
    expect(extractValue({ from: 'body', path: '$.id' }, v)).toEqual({ ok: true, value: 7 });
    expect(extractValue({ from: 'body', regex: 'ord_\\d+' }, v)).toEqual({ ok: true, value: 'ord_42' });
    expect(extractValue({ from: 'body', path: '$.msg', regex: 'order (\\w+)' }, v)).toEqual({ ok: true, value: 'ord_42' });
    const text = view('id=abc123', { 'content-type': 'text/plain' });
    expect(extractValue({ from: 'body', regex: 'id=(\\w+)' }, text)).toEqual({ ok: true, value: 'abc123' });
  });

  it('a regex that does not match or does not compile says so', () => {
    const v = view('{"msg":"nothing here"}');
    const miss = extractValue({ from: 'body', path: '$.msg', regex: 'ord_(\\d+)' }, v);
    expect(!miss.ok && miss.message).toBe('regex ord_(\\d+) did not match $.msg: nothing here');
    const bad = extractValue({ from: 'body', regex: '(' }, v);
    expect(!bad.ok && bad.message).toBe('the regex ( does not compile');
  });
});

describe('runExtractions', () => {
  it('records one extract assertion per rule, found or not', () => {
    const x = runExtractions({ client_id: '$.data.clients[0].id', missing: '$.nope' }, view(CLIENTS), createRedactor());
    expect(x.vars).toEqual([['client_id', 'cli_001']]);
    expect(x.shown).toEqual({ client_id: 'cli_001' });
    expect(x.assertions).toEqual([
      { kind: 'extract', target: 'client_id', op: 'found', expected: '$.data.clients[0].id', actual: 'cli_001', passed: true },
      { kind: 'extract', target: 'missing', op: 'found', expected: '$.nope', actual: undefined, passed: false, message: expect.stringMatching(/^no match for \$\.nope in /) },
    ]);
  });

  it('a secret-looking name is registered with the redactor and shown as ***', () => {
    const redact = createRedactor();
    const secret = 'sess-9d8c7b6a5f4e';
    const v = view(JSON.stringify({ session_token: secret, echo: `your token is ${secret}` }), { 'content-type': 'application/json' }, 200, redact);
    const x = runExtractions({ session_token: '$.session_token', echo: '$.echo' }, v, redact);
    expect(x.vars[0]).toEqual(['session_token', secret]);
    expect(x.shown).toEqual({ session_token: '***', echo: 'your token is ***' });
    expect(JSON.stringify(x.assertions)).not.toContain(secret);
    expect(redact(`x ${secret} y`)).toBe('x *** y');
    expect(v.snippet()).not.toContain(secret);
  });

  it('a no-match message shows a redacted snippet of what came back', () => {
    const redact = createRedactor(['canary-token-123456']);
    const x = runExtractions({ id: '$.id' }, view('{"error":"bad canary-token-123456"}', { 'content-type': 'application/json' }, 200, redact), redact);
    expect(x.assertions[0]!.message).toBe('no match for $.id in {"error":"bad ***"}');
  });
});
