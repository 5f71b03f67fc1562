import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote, toCurl } from '../../src/run/curl.js';

/** What sh turns a quoted word into: the proof the quoting is right, not a re-statement of it. */
function shWords(script: string): string[] {
  const out = execFileSync('sh', ['-c', `for a in ${script}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

/** Parses a curl command line the way sh would, returning curl's argv. */
function curlArgv(command: string): string[] {
  const out = execFileSync('sh', ['-c', `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it.each([
    "it's",
    "''",
    'a b',
    '$HOME `id` $(id) \\n "x"',
    'line1\nline2',
    '*?[a]{b,c}~',
    '',
    '-v',
    '!event',
  ])('round-trips %j through sh', (value) => {
    expect(shWords(shellQuote(value))).toEqual([value]);
  });

  it('leaves plain words bare', () => {
    expect(shellQuote('https://h/x')).toBe('https://h/x');
  });
});

describe('toCurl', () => {
  it('a plain GET is just the URL', () => {
    expect(toCurl({ method: 'GET', url: 'https://h/apigw/platform/v1/clients?business_id=biz_001&per_page=1' })).toBe(
      "curl 'https://h/apigw/platform/v1/clients?business_id=biz_001&per_page=1'",
    );
  });

  it('gives curl exactly the method, headers and body, even with quotes and shell syntax in them', () => {
    const body = { name: "O'Brien $(rm -rf /)", n: 1 };
    const cmd = toCurl({ method: 'PATCH', url: 'https://h/x/1', headers: { Authorization: 'Bearer ***', 'X-Note': "it's `ok`" }, body });
    expect(curlArgv(cmd)).toEqual([
      'https://h/x/1',
      '-X',
      'PATCH',
      '-H',
      'Authorization: Bearer ***',
      '-H',
      "X-Note: it's `ok`",
      '-H',
      'Content-Type: application/json',
      '--data-raw',
      JSON.stringify(body),
    ]);
  });

  it('does not add -X for a POST with a body, keeps a given content type, and sends string bodies as they are', () => {
    const cmd = toCurl({ method: 'post', url: 'https://h/x', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(curlArgv(cmd)).toEqual(['https://h/x', '-H', 'content-type: text/plain', '--data-raw', 'hello']);
  });

  it('uses --head for HEAD and -X for a DELETE without a body', () => {
    expect(curlArgv(toCurl({ method: 'HEAD', url: 'https://h/x' }))).toEqual(['https://h/x', '--head']);
    expect(curlArgv(toCurl({ method: 'DELETE', url: 'https://h/x' }))).toEqual(['https://h/x', '-X', 'DELETE']);
  });

  it('turns off curl URL globbing when the URL has brackets or braces', () => {
    expect(curlArgv(toCurl({ method: 'GET', url: 'https://h/x?filter[status]=open' }))).toEqual(['https://h/x?filter[status]=open', '--globoff']);
  });
});
