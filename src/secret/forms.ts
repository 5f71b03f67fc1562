/**
 * Which forms a secret takes, and which secrets a credential brings. The redactor
 * (redactor.ts) searches for these patterns in the text as it is and in its decodings
 * (normalise.ts), so escaped forms (percent, JSON `\uXXXX`, HTML references) need no pattern
 * of their own. What is left are the forms escaping cannot produce: the raw value, the value
 * with spaces as `+` (form encoding), and its base64 and base64url encodings, whole and as the
 * three fragments that stay fixed inside a longer base64 run (Basic auth's base64(user:pass)).
 *
 * Sources: WHATWG URL application/x-www-form-urlencoded (spaces as `+`), RFC 4648 §4–5
 * (base64, base64url), RFC 7617 (Basic: base64 of user-id ":" password).
 */

/** Shorter values would shred ordinary text ("id", "en", "1"). */
export const MIN_SECRET_LENGTH = 4;
/** A base64 fragment this short is too likely to occur by chance. */
const MIN_FRAGMENT_LENGTH = 8;

/**
 * The patterns searched for one secret (see the module comment): raw, spaces as "+", base64 and
 * base64url whole and as fixed fragments. Escaped forms (percent, JSON, HTML) are found through
 * normalisation, not listed. Empty for values too short to redact safely.
 */
export function secretPatterns(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([value]);
  if (value.includes(' ')) forms.add(value.replace(/ /g, '+'));
  // Percent-encoded escapes are found by decoding, except where a stray "%" just before the
  // secret makes the decoder read its first two characters as one escape ("%" + "00%20…").
  const pct = percentEncoded(value);
  if (pct !== undefined && pct !== value) forms.add(pct);
  for (const b of base64Forms(Buffer.from(value, 'utf8'))) forms.add(b);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * Base64 of the value on its own, plus the part of its encoding that is fixed
 * whatever precedes it (at each of the three byte alignments), so the value is
 * found inside base64("user:" + value) without knowing the user.
 */
function base64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  const whole = bytes.toString('base64');
  out.push(whole, whole.replace(/=+$/, ''), toUrl(whole));
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const fragment = padded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) out.push(fragment, toUrl(fragment));
  }
  return out;
}

/** encodeURIComponent, or undefined for text it cannot encode (a lone surrogate). */
function percentEncoded(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function toUrl(b64: string): string {
  return b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}


/**
 * The secret values a credential brings: the token itself and, for Basic auth (`scheme`
 * "Basic", any case), the password on its own (base64(user:pass) in the header is found through
 * the pair's base64 fragments; "Bearer t" through t). Empty for an empty value.
 */
export function tokenSecrets(value: string, auth?: { scheme: string }): readonly string[] {
  if (!value) return [];
  if (auth && auth.scheme.trim().toLowerCase() === 'basic') {
    const colon = value.indexOf(':');
    // A very short password would blank out ordinary text everywhere; it is still redacted as part of the pair.
    if (colon !== -1 && value.length - colon - 1 >= MIN_SECRET_LENGTH) return [value, value.slice(colon + 1)];
  }
  return [value];
}
