import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Bytes to text. UTF-8 only, decoded strictly: a file with invalid bytes is
 * refused (with the position of the first bad byte) rather than silently
 * repaired, since write-back must round-trip it byte for byte. Never throws.
 */
export function decodeSpec(bytes: Uint8Array, file: string): { text: string; bom: boolean; diagnostics: Diagnostic[] } {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    const bad = firstInvalidByte(body);
    const pos = positionOfByte(body, bad);
    return {
      text: '',
      bom,
      diagnostics: [
        diag('error', 'invalid-utf8', `the file is not valid UTF-8 (byte 0x${(body[bad] ?? 0).toString(16).padStart(2, '0')} at offset ${bad + (bom ? 3 : 0)})`, {
          span: { file, line: pos.line, col: pos.col },
          hint: 'save the file as UTF-8 (spec files are read and written as UTF-8 only)',
        }),
      ],
    };
  }
  if (text.trim().length === 0) {
    return {
      text,
      bom,
      diagnostics: [diag('error', 'empty-file', 'empty spec file', { span: { file, line: 1, col: 1 }, hint: 'a spec starts with YAML front-matter between --- lines, then Markdown with ```yaml steps: blocks' })],
    };
  }
  return { text, bom, diagnostics: [] };
}

/** Index of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] ?? 0;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
    if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += need + 1;
  }
  return Math.max(0, b.length - 1);
}

/** 1-based line/col of a byte offset; columns count UTF-16 units of the valid text before it. */
function positionOfByte(b: Uint8Array, offset: number): { line: number; col: number } {
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = b[i];
    if (c === 10 || (c === 13 && b[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const before = new TextDecoder('utf-8').decode(b.subarray(lineStart, offset));
  return { line, col: before.length + 1 };
}
