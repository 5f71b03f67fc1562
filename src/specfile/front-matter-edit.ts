import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LineIndex } from '../source/span.js';
import { OWNED_KEYS, type SpecStatus } from './model.js';
import { formatTimestamp, NEW_FILE_STYLE, timestampStyle, type TimestampStyle } from './timestamp-style.js';
import { fastLoadYaml } from '../yaml/fast.js';
import { yamlLib } from '../yaml/lib.js';

/**
 * Byte-preserving edits of the keys a run owns. Only the value of an owned
 * key changes (its quoting style and trailing comment kept); a missing key is
 * appended as the last front-matter line, with the file's own line ending.
 * Everything else (comments, order, other keys, CRLF, the body) is untouched.
 */

export interface OwnedValues {
  status?: SpecStatus;
  verifiedAt?: string;
  timesReused?: number;
  useFallbackApi?: boolean;
}

type OwnedKey = (typeof OWNED_KEYS)[number];

interface Located {
  /** Offset where the front-matter YAML starts and where the closing fence line starts. */
  yamlStart: number;
  closeStart: number;
  eol: string;
  /** Owned key -> its value node's range and style in the whole text. */
  values: Map<OwnedKey, { start: number; end: number; type?: string; source: string; value: unknown; lineStart: number; lineEnd: number }>;
}

// Write-back asks for the values and then the edit of the same text: read it once.
let last: { text: string; result: Located | Diagnostic } | undefined;

function locate(text: string): Located | Diagnostic {
  if (last?.text === text) return last.result;
  const result = locateUncached(text);
  last = { text, result };
  return result;
}

function locateUncached(text: string): Located | Diagnostic {
  const { isMap, isScalar, parseDocument } = yamlLib();
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const open = /^---[ \t]*(\r?\n)/.exec(text.slice(bom));
  if (!open) return diag('error', 'write-back-no-front-matter', 'the file has no front-matter to update', { hint: 'start the file with a --- line' });
  const eol = open[1]!;
  const yamlStart = bom + open[0].length;
  const close = /^(---|\.\.\.)[ \t]*\r?$/m;
  const rest = text.slice(yamlStart);
  let closeStart = -1;
  if (/^(---|\.\.\.)[ \t]*(\r?\n|$)/.test(rest)) closeStart = yamlStart;
  else {
    const m = new RegExp(`\\n${close.source.slice(1)}`, 'm').exec(rest);
    if (m) closeStart = yamlStart + m.index + 1;
  }
  if (closeStart === -1) return diag('error', 'write-back-no-front-matter', 'the front-matter has no closing --- line', { hint: 'add a --- line after the front-matter' });
  const yamlText = text.slice(yamlStart, closeStart);
  const fast = locateFast(text, yamlStart, yamlText);
  if (fast) return { yamlStart, closeStart, eol, values: fast };
  const doc = parseDocument(yamlText, { uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length) return diag('error', 'write-back-unsupported', 'the front-matter YAML does not parse; nothing was written', { hint: 'run endpoint-verify lint on the file' });
  const values: Located['values'] = new Map();
  if (doc.contents !== null && !isMap(doc.contents)) return diag('error', 'write-back-unsupported', 'the front-matter is not a mapping');
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (!(OWNED_KEYS as readonly string[]).includes(key)) continue;
    const v = pair.value;
    const keyRange = pair.key.range!;
    if (!isScalar(v) || !v.range) return unsupported(key);
    const start = yamlStart + v.range[0];
    const end = yamlStart + v.range[1];
    const lineStart = text.lastIndexOf('\n', yamlStart + keyRange[0] - 1) + 1;
    const nl = text.indexOf('\n', end);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const source = text.slice(start, end);
    const type = v.type;
    // A value on another line than its key, or spread over lines, is not a one-line edit.
    if (source.includes('\n') || text.slice(yamlStart + keyRange[0], start).includes('\n') || (type !== undefined && !['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'].includes(type))) {
      return unsupported(key);
    }
    values.set(key as OwnedKey, { start, end, ...(type ? { type } : {}), source, value: v.value, lineStart, lineEnd });
  }
  return { yamlStart, closeStart, eol, values };
}

function unsupported(key: string): Diagnostic {
  return diag('error', 'write-back-unsupported', `"${key}" is not a one-line value, so it cannot be updated without rewriting other lines`, {
    hint: `write it as "${key}: <value>" on one line`,
  });
}

function render(value: string | number | boolean, type: string | undefined): string {
  if (typeof value !== 'string') return String(value);
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  return value;
}

/** A timestamp's style and quoting as the file writes it. */
interface WrittenStyle {
  style: TimestampStyle;
  type: string | undefined;
}

/** The front-matter's `savedAt`, when it is a one-line timestamp: the file's style for a verifiedAt it lacks. */
function savedAtStyle(text: string, loc: Located): WrittenStyle | undefined {
  const m = /^savedAt:[ \t]*(?:"([^"\\\n]*)"|'([^'\n]*)'|([^\s#'"][^\n#]*?))[ \t]*(?:#.*)?\r?$/m.exec(text.slice(loc.yamlStart, loc.closeStart));
  if (!m) return undefined;
  const style = timestampStyle(m[1] ?? m[2] ?? m[3] ?? '');
  if (!style) return undefined;
  return { style, type: m[1] !== undefined ? 'QUOTE_DOUBLE' : m[2] !== undefined ? 'QUOTE_SINGLE' : 'PLAIN' };
}

/**
 * verifiedAt written the way the file writes it: its own timestamp's style
 * and quoting; for a key that is missing, empty or null, savedAt's; in a file
 * with neither, the style `new` writes (double-quoted, UTC, milliseconds).
 */
function styledVerifiedAt(value: string, text: string, loc: Located): { value: string; type: string | undefined } {
  const at = loc.values.get('verifiedAt');
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return { value, type: at?.type };
  const own = at && at.source !== '' && at.value !== null ? timestampStyle(String(at.value)) : undefined;
  if (own) return { value: formatTimestamp(instant, own), type: at?.type };
  if (at && at.source !== '' && at.value !== null) return { value, type: at.type };
  const written = savedAtStyle(text, loc) ?? { style: NEW_FILE_STYLE, type: 'QUOTE_DOUBLE' };
  return { value: formatTimestamp(instant, written.style), type: written.type };
}

export function editFrontMatter(text: string, values: OwnedValues): { text: string } | { error: Diagnostic } {
  const loc = locate(text);
  if ('code' in loc) return { error: loc };
  const edits: { start: number; end: number; text: string }[] = [];
  const appended: string[] = [];
  for (const key of OWNED_KEYS) {
    let value = values[key];
    if (value === undefined) continue;
    const at = loc.values.get(key);
    let type = at === undefined || at.source === '' || at.value === null ? undefined : at.type;
    if (key === 'verifiedAt' && typeof value === 'string') {
      const styled = styledVerifiedAt(value, text, loc);
      value = styled.value;
      type = styled.type;
    }
    if (!at) {
      appended.push(`${key}: ${render(value, type)}${loc.eol}`);
      continue;
    }
    if (at.value === value) continue;
    const rendered = render(value, type);
    // "verifiedAt:" with nothing after it: the value goes after the colon and one space.
    const prefix = at.source === '' && text[at.start - 1] === ':' ? ' ' : '';
    edits.push({ start: at.start, end: at.end, text: prefix + rendered });
  }
  let out = text;
  if (appended.length) {
    // The front-matter ends without a line break only when it is empty; then the opening line's break serves.
    out = out.slice(0, loc.closeStart) + appended.join('') + out.slice(loc.closeStart);
  }
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out };
}

/** The owned keys' current values. */
export function ownedValues(text: string): OwnedValues {
  const loc = locate(text);
  if ('code' in loc) return {};
  const out: OwnedValues = {};
  for (const [key, at] of loc.values) {
    const v = at.value;
    if (key === 'timesReused' && typeof v === 'number') out.timesReused = v;
    else if (key === 'useFallbackApi' && typeof v === 'boolean') out.useFallbackApi = v;
    else if (key === 'status' && typeof v === 'string') out.status = v as SpecStatus;
    else if (key === 'verifiedAt' && v !== null && v !== undefined) out.verifiedAt = String(v);
  }
  return out;
}

/** The text without the owned keys' lines: two texts equal under this differ only in what a run may change. */
export function maskOwnedValues(text: string): string {
  const loc = locate(text);
  if ('code' in loc) return text;
  let out = text;
  for (const at of [...loc.values.values()].sort((a, b) => b.lineStart - a.lineStart)) out = out.slice(0, at.lineStart) + out.slice(at.lineEnd);
  return out;
}

/**
 * The same answer without building a YAML document, for front-matter in the
 * plain subset the fast reader accepts (which guarantees every top-level value
 * is on its key's line). Anything else returns undefined: the full path decides.
 */
function locateFast(text: string, yamlStart: number, yamlText: string): Located['values'] | undefined {
  const loaded = fastLoadYaml(yamlText, { file: '', index: new LineIndex(yamlText), base: 0, diagnostics: [] });
  if (!loaded || typeof loaded.value !== 'object' || loaded.value === null || Array.isArray(loaded.value)) return undefined;
  const data = loaded.value as Record<string, unknown>;
  const values: Located['values'] = new Map();
  for (const key of OWNED_KEYS) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    if (typeof value === 'object' && value !== null) return undefined;
    const m = new RegExp(`^${key}:`, 'm').exec(yamlText);
    if (!m) return undefined;
    const lineStart = yamlStart + m.index;
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const line = text.slice(lineStart, nl === -1 ? text.length : nl).replace(/\r$/, '');
    let c = key.length + 1;
    while (line[c] === ' ') c++;
    const rest = line.slice(c);
    let source: string;
    let type: string | undefined;
    if (rest === '' || rest.startsWith('#')) {
      // "key:" alone: the value position is right after the colon, as the yaml package reports it.
      c = key.length + 1;
      source = '';
    } else if (rest[0] === '"' || rest[0] === "'") {
      let close = rest.indexOf(rest[0], 1);
      // '' inside a single-quoted value is an escaped quote, not the end.
      while (rest[0] === "'" && close !== -1 && rest[close + 1] === "'") close = rest.indexOf("'", close + 2);
      if (close === -1) return undefined;
      source = rest.slice(0, close + 1);
      type = rest[0] === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    } else {
      const hash = rest.indexOf(' #');
      source = (hash === -1 ? rest : rest.slice(0, hash)).trimEnd();
      type = 'PLAIN';
    }
    const start = lineStart + c;
    values.set(key, { start, end: start + source.length, ...(type ? { type } : {}), source, value, lineStart, lineEnd });
  }
  return values;
}
