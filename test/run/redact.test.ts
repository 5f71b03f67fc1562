import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MASK, createRedactor, isSecretName, secretForms } from '../../src/run/redact.js';

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
});

describe('secretForms', () => {
  it('lists raw, URL-encoded, base64, base64url and JSON-escaped forms', () => {
    const forms = secretForms(CANARY);
    for (const f of everyForm(CANARY)) expect(forms).toContain(f);
  });

  it('returns nothing for values too short to redact safely', () => {
    expect(secretForms('abc')).toEqual([]);
  });
});

describe('isSecretName', () => {
  it.each(['token', 'access_token', 'clientSecret', 'PASSWORD', 'passwd', 'apiKey', 'X-API-Key', 'authorization', 'credentials', 'sessionId', 'Set-Cookie'])(
    '%s looks secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );

  it.each(['client_id', 'name', 'business_id', 'status', 'conversationId'])('%s does not', (name) => expect(isSecretName(name)).toBe(false));
});
