/**
 * Which forms a secret takes, and which secrets a credential brings. The redactor
 * (redactor.ts) searches for these patterns in the text as it is and in its decodings
 * (normalise.ts), so escaped forms (percent, JSON `\uXXXX`, HTML references) need no pattern
 * of their own. What is left are the forms escaping cannot produce: the raw value, the value
 * with spaces as `+` (form encoding), and its base64 and base64url encodings, whole and as the
 * three fragments that stay fixed inside a longer base64 run (Basic auth's base64(user:pass)).
 * Character classes let one pattern cover several forms (a space or "+", base64 or base64url,
 * padded or not), so a token needs at most 5 patterns.
 *
 * Sources: WHATWG URL application/x-www-form-urlencoded (spaces as `+`), RFC 4648 §4–5
 * (base64, base64url), RFC 7617 (Basic: base64 of user-id ":" password).
 */

/** Shorter values would shred ordinary text ("id", "en", "1"). */
export const MIN_SECRET_LENGTH = 4;
/** A base64 fragment this short is too likely to occur by chance. */
const MIN_FRAGMENT_LENGTH = 8;

/** One pattern: a RegExp source, and the length of the shortest text it matches (longer patterns are tried first). */
export interface SecretPattern {
  source: string;
  length: number;
}

/**
 * The patterns searched for one secret (see the module comment), as RegExp sources:
 * - the raw value, each space also matching "+" (form encoding);
 * - its percent-encoding, when it differs (see below);
 * - base64: the three fragments that stay fixed whatever bytes surround the value, each
 *   character class matching base64 and base64url alike ("+" or "-", "/" or "_"); the first
 *   also takes the final character and "=" padding of the value's own encoding, so it is the
 *   whole base64(value), padded or not. A value too short for fragments gets its whole encoding.
 * Escaped forms (percent, JSON, HTML) are found through normalisation, not listed. At most 5
 * per secret (4 without a percent form); empty for values too short to redact safely.
 */
export function secretPatterns(value: string): SecretPattern[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  // JSON escapes are found by decoding, except where a stray backslash just before the secret's
  // escaped form makes the decoder read its first character as another escape (backslash +
  // 'b  \\" ' read as a backspace): there, and only there, the raw pattern takes the form as it is.
  const json = JSON.stringify(value).slice(1, -1);
  const raw = escapeRegExp(value).replace(/ /g, '[ +]');
  const out: SecretPattern[] = [{ source: json === value ? raw : `(?:${raw}|(?<=\\\\)${escapeRegExp(json)})`, length: value.length }];
  // Percent-encoded escapes are found by decoding, except where a stray "%" just before the
  // secret makes the decoder read its first two characters as one escape ("%" + "00%20…").
  const pct = percentEncoded(value);
  if (pct !== undefined && pct !== value) out.push({ source: escapeRegExp(pct), length: pct.length });
  out.push(...base64Patterns(Buffer.from(value, 'utf8')));
  return out;
}

/**
 * The part of the value's base64 that is fixed whatever precedes it, at each of the three byte
 * alignments, so the value is found inside base64("user:" + value) without knowing the user.
 */
function base64Patterns(bytes: Buffer): SecretPattern[] {
  const out: SecretPattern[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const fragment = padded.slice(start, end);
    if (fragment.length >= MIN_FRAGMENT_LENGTH) {
      // Aligned at the start, the value's own encoding is this fragment plus at most one character and padding.
      out.push({ source: base64Class(fragment) + (shift === 0 ? `(?:${B64_CHAR}={0,2})?` : ''), length: fragment.length });
    } else if (shift === 0) {
      // Too short to look for inside other base64: only the value's own encoding, whole.
      const whole = bytes.toString('base64').replace(/=+$/, '');
      if (whole.length >= MIN_SECRET_LENGTH) out.push({ source: `${base64Class(whole)}={0,2}`, length: whole.length });
    }
  }
  return out;
}

/** Any base64 or base64url alphabet character (RFC 4648 §4, §5). */
const B64_CHAR = '[A-Za-z0-9+/_-]';

/** A base64 text as a RegExp source that matches it in base64url too. */
function base64Class(b64: string): string {
  return b64.replace(/\+/g, '[+-]').replace(/\//g, '[/_]');
}

/** encodeURIComponent, or undefined for text it cannot encode (a lone surrogate). */
function percentEncoded(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
