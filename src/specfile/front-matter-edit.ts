import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { OWNED_KEYS, type SpecStatus } from './model.js';
import { formatTimestamp, NEW_FILE_STYLE, timestampStyle, type TimestampStyle } from './timestamp-style.js';
import { TopLevelEditor, type ScalarStyle } from '../yaml/edit.js';

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

interface Located {
  /** Offset where the front-matter YAML starts and where the closing fence line starts. */
  yamlStart: number;
  closeStart: number;
  /** The front-matter's top-level keys, parsed once (values, styles, positions and the tree edits are made in). */
  editor: TopLevelEditor;
}

// Write-back asks for the values and then the edit of the same text: read it once. An edit
// changes the editor's tree, so editFrontMatter takes the cached one and leaves none behind.
let last: { text: string; result: Located | Diagnostic } | undefined;

function locate(text: string, forEdit = false): Located | Diagnostic {
  const result = last?.text === text ? last.result : locateUncached(text);
  last = forEdit && !('code' in result) ? undefined : { text, result };
  return result;
}

function locateUncached(text: string): Located | Diagnostic {
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
  const editor = TopLevelEditor.open(text.slice(yamlStart, closeStart), eol);
  if (editor === 'syntax') return diag('error', 'write-back-unsupported', 'the front-matter YAML does not parse; nothing was written', { hint: 'run endpoint-verify lint on the file' });
  if (editor === 'not-a-block-mapping') {
    return diag('error', 'write-back-unsupported', 'the front-matter is not a block mapping (key: value lines), so keys cannot be updated or added', {
      hint: 'write the front-matter as one "key: value" line per key',
    });
  }
  for (const key of OWNED_KEYS) if (editor.get(key)?.editable === false) return unsupported(key);
  return { yamlStart, closeStart, editor };
}

function unsupported(key: string): Diagnostic {
  return diag('error', 'write-back-unsupported', `"${key}" is not a one-line value, so it cannot be updated without rewriting other lines`, {
    hint: `write it as "${key}: <value>" on one line`,
  });
}

/** A timestamp's style and quoting as the file writes it. */
interface WrittenStyle {
  style: TimestampStyle;
  type: ScalarStyle;
}

/** The front-matter's `savedAt`, when it is a one-line timestamp: the file's style for a verifiedAt it lacks. */
function savedAtStyle(loc: Located): WrittenStyle | undefined {
  const saved = loc.editor.get('savedAt');
  if (!saved?.editable || saved.style === undefined || typeof saved.value !== 'string') return undefined;
  const style = timestampStyle(saved.value);
  return style ? { style, type: saved.style } : undefined;
}

/**
 * verifiedAt written the way the file writes it: its own timestamp's style
 * and quoting; for a key that is missing, empty or null, savedAt's; in a file
 * with neither, the style `new` writes (double-quoted, UTC, milliseconds).
 */
function styledVerifiedAt(value: string, loc: Located): { value: string; type: ScalarStyle | undefined } {
  const at = loc.editor.get('verifiedAt');
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return { value, type: at?.style };
  const written = at?.style !== undefined && at.value !== null;
  const own = written ? timestampStyle(String(at.value)) : undefined;
  if (own) return { value: formatTimestamp(instant, own), type: at?.style };
  if (written) return { value, type: at?.style };
  const style = savedAtStyle(loc) ?? { style: NEW_FILE_STYLE, type: 'QUOTE_DOUBLE' };
  return { value: formatTimestamp(instant, style.style), type: style.type };
}

/**
 * Sets the owned keys given in `values` in a spec file's text (decoded, BOM
 * and CRLF kept), through the `yaml` package's CST (yaml/edit.ts): only the
 * changed values' characters differ in the result. Returns `{ error }`, with
 * a `write-back-*` diagnostic, when the file has no front-matter, it does not
 * parse, it is not a block mapping, or an owned key's value is not a one-line
 * scalar.
 */
export function editFrontMatter(text: string, values: OwnedValues): { text: string } | { error: Diagnostic } {
  const loc = locate(text, true);
  if ('code' in loc) return { error: loc };
  let changed = false;
  for (const key of OWNED_KEYS) {
    let value = values[key];
    if (value === undefined) continue;
    const at = loc.editor.get(key);
    let type = at === undefined || at.value === null ? undefined : at.style;
    if (key === 'verifiedAt' && typeof value === 'string') {
      const styled = styledVerifiedAt(value, loc);
      value = styled.value;
      type = styled.type;
    }
    if (at && at.value === value) continue;
    loc.editor.set(key, value, type ?? 'PLAIN');
    changed = true;
  }
  if (!changed) return { text };
  return { text: text.slice(0, loc.yamlStart) + loc.editor.toString() + text.slice(loc.closeStart) };
}

/** The owned keys' current values. */
export function ownedValues(text: string): OwnedValues {
  const loc = locate(text);
  if ('code' in loc) return {};
  const out: OwnedValues = {};
  for (const key of OWNED_KEYS) {
    const v = loc.editor.get(key)?.value;
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
  const lines = OWNED_KEYS.flatMap((key) => {
    const at = loc.editor.get(key);
    return at ? [{ start: loc.yamlStart + at.lineStart, end: loc.yamlStart + at.lineEnd }] : [];
  });
  let out = text;
  for (const l of lines.sort((a, b) => b.start - a.start)) out = out.slice(0, l.start) + out.slice(l.end);
  return out;
}
