import type { CST, Document } from 'yaml';
import { yamlLib } from './lib.js';

/** How a scalar is written, in the `yaml` package's terms. */
export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

/** A key of the top-level mapping, as written. */
export interface TopLevelEntry {
  key: string;
  /**
   * The value as the YAML 1.2 core schema resolves it (string, number,
   * boolean, null), when it is a scalar; undefined for a collection or alias.
   */
  value: unknown;
  /** How the value is written; undefined when nothing is written after the colon. */
  style?: ScalarStyle;
  /**
   * A one-line plain or quoted scalar (or nothing) on its key's line: `set`
   * can change it without touching another line.
   */
  editable: boolean;
  /** Offsets in the YAML text: start of the key's line, and just past the line break after the value. */
  lineStart: number;
  lineEnd: number;
}

/** Why a text cannot be edited: it does not parse, or its top level is not a block mapping. */
export type OpenError = 'syntax' | 'not-a-block-mapping';

type Token = CST.Token;
type Item = CST.BlockMap['items'][number];

/**
 * Edits the top-level scalars of a YAML block mapping through the `yaml`
 * package's concrete syntax tree (CST), which holds every byte of the source:
 * only the edited value's characters change; its quoting style, trailing
 * comment, line break (CRLF or LF), the key order and every other line stay
 * as they were. One parse gives the values, their positions and the tree the
 * edits are made in.
 */
export class TopLevelEditor {
  readonly #tokens: Token[];
  readonly #items = new Map<string, { entry: TopLevelEntry; item: Item }>();
  readonly #indent: number;
  readonly #eol: string;
  readonly #appended: string[] = [];

  private constructor(tokens: Token[], indent: number, eol: string) {
    this.#tokens = tokens;
    this.#indent = indent;
    this.#eol = eol;
  }

  /**
   * Parses `text` (one YAML document: a block mapping, or nothing). `eol` is
   * the line break for appended keys (the file's own). Duplicate keys, syntax
   * errors and more than one document are `'syntax'`.
   */
  static open(text: string, eol: string): TopLevelEditor | OpenError {
    const { Composer, Parser, isMap, isScalar } = yamlLib();
    const tokens = [...new Parser().parse(text)];
    const composer = new Composer({ keepSourceTokens: true, uniqueKeys: true });
    const docs: Document.Parsed[] = [...composer.compose(tokens), ...composer.end()];
    if (docs.length > 1 || docs.some((d) => d.errors.length > 0)) return 'syntax';
    const doc = docs[0];
    const docToken = tokens.find((t): t is CST.Document => t.type === 'document');
    const map = docToken?.value;
    if (!doc || doc.contents === null || !map) return new TopLevelEditor(tokens, 0, eol);
    if (map.type !== 'block-map' || !isMap(doc.contents)) return 'not-a-block-mapping';
    const editor = new TopLevelEditor(tokens, map.indent, eol);
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const item = map.items.find((i) => i.key === pair.key!.srcToken);
      const keyToken = item?.key;
      if (!item || !keyToken) continue;
      const v = pair.value;
      const scalar = isScalar(v) ? v : undefined;
      const token = item.value;
      const empty = scalar !== undefined && token === undefined;
      const oneLine =
        empty || (token !== undefined && ONE_LINE_TYPES.has(token.type) && 'source' in token && !token.source.includes('\n') && !(item.sep ?? []).some((t) => t.type === 'newline'));
      const lineStart = text.lastIndexOf('\n', keyToken.offset - 1) + 1;
      const lineEnd = endOfLine(text, token && 'source' in token ? token.offset + token.source.length : keyToken.offset);
      editor.#items.set(String(pair.key.value), {
        item,
        entry: {
          key: String(pair.key.value),
          value: scalar ? scalar.value : undefined,
          ...(token && oneLine && !empty ? { style: STYLE_OF[token.type] } : {}),
          editable: oneLine && (empty || scalar !== undefined),
          lineStart,
          lineEnd,
        },
      });
    }
    return editor;
  }

  /** The entry for `key` in the top-level mapping, if there is one. */
  get(key: string): TopLevelEntry | undefined {
    return this.#items.get(key)?.entry;
  }

  /**
   * Sets `key`'s value, written in `style` (by default the value's own, else
   * plain; a string that the style cannot hold as that string, e.g. "true" in
   * plain style or a line break in single quotes, is double-quoted). A key
   * that is not there is appended as the mapping's last line. Returns false,
   * changing nothing, when the key's value is not editable (see TopLevelEntry).
   */
  set(key: string, value: string | number | boolean, style?: ScalarStyle): boolean {
    const found = this.#items.get(key);
    const written = typeof value === 'string' ? value : String(value);
    const type = typeof value === 'string' ? safeStyle(value, style ?? found?.entry.style ?? 'PLAIN') : 'PLAIN';
    const { CST } = yamlLib();
    if (!found) {
      const token = CST.createScalarToken(written, { indent: this.#indent, type });
      this.#appended.push(`${' '.repeat(this.#indent)}${key}: ${oneLine(token, written)}${this.#eol}`);
      return true;
    }
    if (!found.entry.editable) return false;
    const { item } = found;
    if (item.value) {
      CST.setScalarValue(item.value, written, { type });
      oneLine(item.value, written);
      return true;
    }
    // "key:" with nothing after it: the value goes after the colon and one space, before any comment and the line break.
    const sep = item.sep ?? [];
    const colon = sep.findIndex((t) => t.type === 'map-value-ind');
    const rest = sep.slice(colon + 1);
    const token = CST.createScalarToken(written, { indent: this.#indent, type, end: rest });
    oneLine(token, written);
    item.sep = [...sep.slice(0, colon + 1), { type: 'space', offset: -1, indent: this.#indent, source: ' ' }];
    item.value = token;
    return true;
  }

  /** The YAML text with the edits made. */
  toString(): string {
    const { CST } = yamlLib();
    return this.#tokens.map((t) => CST.stringify(t)).join('') + this.#appended.join('');
  }
}

const ONE_LINE_TYPES = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

const STYLE_OF: Record<string, ScalarStyle> = {
  scalar: 'PLAIN',
  'single-quoted-scalar': 'QUOTE_SINGLE',
  'double-quoted-scalar': 'QUOTE_DOUBLE',
};

/** Characters that only a double-quoted scalar holds on one line (as escapes). */
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

/**
 * `style`, unless `value` cannot be written in it on one line and read back
 * as the same string: a line break or control character needs double quotes,
 * and so does a plain value that would read as something else (true, 12, null).
 */
function safeStyle(value: string, style: ScalarStyle): ScalarStyle {
  if (NEEDS_ESCAPE.test(value)) return 'QUOTE_DOUBLE';
  if (style !== 'PLAIN') return style;
  // Read back as a document of its own: a tag (`!x`), an anchor or a number is not the plain string.
  const doc = yamlLib().parseDocument(value, { logLevel: 'silent' });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return 'QUOTE_DOUBLE';
  try {
    return doc.toJS() === value ? 'PLAIN' : 'QUOTE_DOUBLE';
  } catch {
    // An alias without its anchor (`*x`) does not even resolve.
    return 'QUOTE_DOUBLE';
  }
}

/**
 * The token's source on one line: the yaml package folds a double-quoted
 * string with line breaks over several lines; a JSON string is a valid YAML
 * 1.2 double-quoted scalar (same escapes) and stays on one.
 */
function oneLine(token: CST.FlowScalar | CST.BlockScalar | Token, value: string): string {
  if (token.type === 'double-quoted-scalar' && token.source.includes('\n')) token.source = JSON.stringify(value);
  return 'source' in token ? token.source : '';
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl + 1;
}
