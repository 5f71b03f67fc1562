import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MASK, createRedactor, isSecretName, secretPatterns } from '../../src/secret/index.js';

const CANARY = 'canary-Tok/en+42=ü"x';

function everyForm(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const b64 = Buffer.from(secret).toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    b64,
    b64.replace(/=+$/, ''),
    b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    json,
  ];
}

describe('createRedactor', () => {
  it('removes the canary in every form from text', () => {
    const redact = createRedactor([CANARY]);
    for (const form of everyForm(CANARY)) {
      const out = redact(`before ${form} after`);
      expect(out).toBe(`before ${MASK} after`);
    }
  });

  it('finds the secret inside base64 of a user:pass pair (Basic auth) without knowing the user', () => {
    const redact = createRedactor(['s3cret-password-value']);
    for (const user of ['a', 'ab', 'abc', 'alice']) {
      const header = `Basic ${Buffer.from(`${user}:s3cret-password-value`).toString('base64')}`;
      expect(redact(header)).toContain(MASK);
      // The password part is gone: decoding what is left cannot give it back.
      expect(Buffer.from(redact(header).replace('Basic ', '').replace(MASK, ''), 'base64').toString()).not.toContain('s3cret-password-value');
    }
  });

  it('redacts a secret in a JSON document built by JSON.stringify', () => {
    const redact = createRedactor([CANARY]);
    const doc = JSON.stringify({ error: `bad token ${CANARY}`, nested: { list: [CANARY] } });
    expect(redact(doc)).not.toContain('canary');
    expect(() => JSON.parse(redact(doc))).not.toThrow();
  });

  it('deep-redacts strings (and keys) in nested values without touching other types', () => {
    const redact = createRedactor();
    redact.add(CANARY);
    const input = { a: CANARY, b: [1, true, null, { c: `x${encodeURIComponent(CANARY)}y` }], [CANARY]: 'key' };
    const out = redact.value(input) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain('canary');
    expect(out['a']).toBe(MASK);
    expect(out['b']).toEqual([1, true, null, { c: `x${MASK}y` }]);
    expect(out[MASK]).toBe('key');
    // The input is left as it was.
    expect(input.a).toBe(CANARY);
  });

  it('handles cyclic values', () => {
    const redact = createRedactor(['cyclic-secret']);
    const a: Record<string, unknown> = { s: 'cyclic-secret' };
    a['self'] = a;
    const out = redact.value(a) as Record<string, unknown>;
    expect(out['s']).toBe(MASK);
    expect(out['self']).toBe(out);
  });

  it('ignores empty and very short secrets so ordinary text survives', () => {
    const redact = createRedactor(['', 'a', 'id']);
    redact.add('abc');
    expect(redact('a valid id abc')).toBe('a valid id abc');
  });

  it('replaces the longest match first', () => {
    const redact = createRedactor(['token-1234', 'token-1234-extended']);
    expect(redact('x token-1234-extended y')).toBe(`x ${MASK} y`);
  });

  it('picks up secrets added after the first use', () => {
    const redact = createRedactor(['first-secret']);
    expect(redact('first-secret later-secret')).toBe(`${MASK} later-secret`);
    redact.add('later-secret');
    expect(redact('first-secret later-secret')).toBe(`${MASK} ${MASK}`);
  });

  it('treats regex characters in secrets literally', () => {
    const redact = createRedactor(['a.b*c(d)']);
    expect(redact('aXbbbc(d) a.b*c(d)')).toBe(`aXbbbc(d) ${MASK}`);
  });

  it('stays fast with many secrets', () => {
    const secrets = Array.from({ length: 500 }, (_, i) => `secret-value-${i}-${'x'.repeat(i % 7)}`);
    const redact = createRedactor(secrets);
    const text = `${'lorem ipsum '.repeat(2000)}${secrets[499]}`;
    const out = redact(text);
    expect(out.endsWith(MASK)).toBe(true);
  });

  it('never leaves a raw or encoded secret behind (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40 }), fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (secret, pre, post) => {
        const redact = createRedactor([secret]);
        for (const form of everyForm(secret)) {
          expect(redact(`${pre}${form}${post}`)).not.toContain(form);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a secret inside a longer base64 or base64url run (any bytes before and after) cannot be decoded back (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 7, maxLength: 40 }), fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), fc.constantFrom('base64', 'base64url'), (secret, pre, post, enc) => {
        const redact = createRedactor([secret]);
        const bytes = Buffer.concat([Buffer.from(pre), Buffer.from(secret, 'utf8'), Buffer.from(post)]);
        const out = redact(`x ${bytes.toString(enc as BufferEncoding)} y`);
        expect(out).toContain(MASK);
        for (const part of out.slice(2, -2).split(MASK)) expect(Buffer.from(part, enc as BufferEncoding).toString('utf8')).not.toContain(secret);
      }),
      { numRuns: 200 },
    );
  });
});

describe('secretPatterns', () => {
  it('lists raw, base64 and base64url forms, and few of them: escaped forms are found by normalising', () => {
    const patterns = secretPatterns(CANARY).map((p) => new RegExp(`^(?:${p.source})$`));
    const b64 = Buffer.from(CANARY).toString('base64');
    const listed = [...everyForm(CANARY).filter((x) => x !== JSON.stringify(CANARY).slice(1, -1)), Buffer.from(CANARY).toString('base64url'), b64.replace(/\+/g, '-').replace(/\//g, '_')];
    for (const f of listed) expect(patterns.some((p) => p.test(f)), f).toBe(true);
    // The JSON-escaped form is found by decoding, not by a pattern of its own.
    expect(patterns.some((p) => p.test(JSON.stringify(CANARY).slice(1, -1)))).toBe(false);
    expect(patterns.length).toBeLessThanOrEqual(5);
    const spaced = secretPatterns('a long secret with spaces');
    expect(spaced.length).toBeLessThanOrEqual(5);
    expect(spaced.some((p) => new RegExp(`^(?:${p.source})$`).test('a+long+secret+with+spaces'))).toBe(true);
  });

  it('returns nothing for values too short to redact safely', () => {
    expect(secretPatterns('abc')).toEqual([]);
  });
});

/** Every character as an escape of one kind: what .NET, Go, PHP and HTML writers can produce. */
const everyChar = (s: string, f: (code: number) => string): string => [...s].map((c) => f(c.codePointAt(0)!)).join('');
const u4 = (code: number): string =>
  code > 0xffff
    ? String.fromCodePoint(code)
        .split('')
        .map((h) => `\\u${h.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('')
    : `\\u${code.toString(16).padStart(4, '0')}`;

function escapedForms(secret: string): [string, string][] {
  const pct = (s: string): string => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  return [
    ['raw', secret],
    ['percent (encodeURIComponent)', encodeURIComponent(secret)],
    ['percent, every byte, lower-case hex', pct(secret)],
    ['percent, every byte, upper-case hex', pct(secret).toUpperCase()],
    ['%20 style', encodeURIComponent(secret)],
    ['form-encoded (+ for spaces, URLSearchParams)', new URLSearchParams({ x: secret }).toString().slice(2)],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(secret))],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['base64 percent-encoded', encodeURIComponent(Buffer.from(secret).toString('base64'))],
    ['JSON.stringify', JSON.stringify(secret).slice(1, -1)],
    ['JSON with \\/ (PHP)', JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/')],
    ['JSON, every character as \\uXXXX', everyChar(secret, u4)],
    ['JSON, upper-case \\uXXXX', everyChar(secret, u4).replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`)],
    [
      '.NET (System.Text.Json escapes + < > & \' " and non-ASCII)',
      [...secret].map((c) => (/[+<>&'"`]/.test(c) || c.charCodeAt(0) > 0x7e || c.charCodeAt(0) < 0x20 ? u4(c.codePointAt(0)!) : c)).join(''),
    ],
    ['Go encoding/json (escapes < > &)', JSON.stringify(secret).slice(1, -1).replace(/[<>&]/g, (c) => u4(c.charCodeAt(0)))],
    ['HTML-escaped', secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')],
    ['HTML, every character as &#N;', everyChar(secret, (c) => `&#${c};`)],
    ['HTML, every character as &#xH;', everyChar(secret, (c) => `&#x${c.toString(16).toUpperCase()};`)],
    ['JSON-escaped base64url', JSON.stringify(Buffer.from(secret).toString('base64url')).slice(1, -1)],
  ];
}

describe('one redactor, every form', () => {
  const secret = 'Tok en+/=<&>\'"ü€😀!*()~';
  it.each(escapedForms(secret))('%s', (_name, form) => {
    const redact = createRedactor([secret]);
    const out = redact(`before «${form}» after`);
    expect(out).toBe(`before «${MASK}» after`);
  });

  it('property: no escaped form of a random secret survives, and the text around it is kept', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 6, maxLength: 24 }), fc.constantFrom('x ', '{"a":"', '<p>', 'q=1&t='), (secret, pre) => {
        fc.pre(secret.trim().length >= 6);
        const redact = createRedactor([secret]);
        for (const [, form] of escapedForms(secret)) {
          const out = redact(`${pre}${form} tail`);
          expect(out.startsWith(pre.slice(0, 1))).toBe(true);
          expect(out.endsWith(' tail')).toBe(true);
          expect(out).toContain(MASK);
          for (const [, f2] of escapedForms(secret)) if (f2.length >= 6) expect(out).not.toContain(f2);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a secret holding U+FFFD is found percent-encoded too (a real replacement character is valid UTF-8)', () => {
    // Found by the property test above (fast-check seed -1455175876): "%EF%BF%BD" was taken for invalid UTF-8.
    const secret = '\uFFFD     !';
    const redact = createRedactor([secret]);
    expect(redact(`x ${encodeURIComponent(secret)} tail`)).toBe(`x ${MASK} tail`);
  });

  it('a percent-encoded secret right after a stray "%" is still found', () => {
    // Found by the property test above (fast-check seed 1201843140): "%" + "00%20%20%20%20" decoded as "\0    ".
    const redact = createRedactor(['00    ']);
    expect(redact('%00%20%20%20%20')).toBe(`%${MASK}`);
  });

  it('a JSON-escaped secret right after a stray backslash is still found', () => {
    // Found by the property test above (fast-check seed -347028528): "\\" + 'b  \\" ' decoded as backspace + '  " '.
    const redact = createRedactor(['b  " ']);
    expect(redact('\\b  \\" ')).toBe(`\\${MASK}`);
  });

  it('escapes elsewhere in the text are kept as they are', () => {
    const redact = createRedactor(['super-secret']);
    expect(redact('a%20b \\u0041 &amp; super%2Dsecret \\n')).toBe(`a%20b \\u0041 &amp; ${MASK} \\n`);
  });
});

describe('isSecretName', () => {
  it.each(['token', 'access_token', 'clientSecret', 'PASSWORD', 'passwd', 'apiKey', 'X-API-Key', 'authorization', 'credentials', 'sessionId', 'Set-Cookie'])(
    '%s looks secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it.each(['client_id', 'name', 'business_id', 'status', 'conversationId'])('%s does not', (name) => expect(isSecretName(name)).toBe(false));
});
