import { yamlErrorStart } from './error-start.js';
import type { Document, Node as YamlNode } from 'yaml';
import { diag, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import type { Span } from '../source/span.js';
import { fastLoadYaml } from './fast.js';
import type { LoadContext, Located } from './located.js';
import { yamlLib } from './lib.js';

/** Deeper than this is refused: no spec needs it, and it guards every recursive consumer. */
export const MAX_DEPTH = 64;
/** Alias expansions per YAML text; a few are legitimate, thousands are a "billion laughs". */
export const MAX_ALIASES = 100;

const ALLOWED_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

/**
 * Parses YAML with the `yaml` package and converts it to plain data while
 * recording where every key and value came from. The conversion is ours
 * (not toJS) so that aliases are counted, nesting is bounded, unknown tags,
 * merge keys and `__proto__` are refused, and nothing is ever evaluated.
 * Returns undefined when the YAML has errors (already reported).
 */
export function loadYaml(yamlText: string, ctx: LoadContext): Located | undefined {
  // Most spec YAML is plain: the fast reader gives the same result much sooner, or declines.
  if (!ctx.noFastPath) {
    const fast = fastLoadYaml(yamlText, ctx);
    if (fast) return fast;
  }
  let doc;
  try {
    doc = yamlLib().parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false, intAsBigInt: true });
  } catch (e) {
    ctx.diagnostics.push(diag('error', 'yaml-syntax', `YAML could not be read: ${(e as Error).message}`, { span: spanAt(ctx, 0) }));
    return undefined;
  }
  const before = ctx.diagnostics.length;
  const seen = new Set<string>();
  for (const e of doc.errors) {
    // The parser repeats some errors (e.g. stack exhaustion once per level): one per kind is enough.
    if (seen.has(e.code)) continue;
    seen.add(e.code);
    const code = e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : e.code === 'RESOURCE_EXHAUSTION' ? 'yaml-too-deep' : 'yaml-syntax';
    const message = e.code === 'DUPLICATE_KEY' ? 'duplicate key' : e.code === 'RESOURCE_EXHAUSTION' ? 'YAML nested too deeply' : `YAML syntax error: ${firstLine(e.message)}`;
    const hint =
      code === 'duplicate-key'
        ? 'each key may appear once in a mapping; remove or rename one of them'
        : code === 'yaml-too-deep'
          ? `keep nesting under ${MAX_DEPTH} levels`
          : 'check indentation, quoting and brackets around this position';
    // An unclosed quote or bracket is reported where it opens, not where the parser gave up.
    const start = code === 'yaml-syntax' ? yamlErrorStart(yamlText, e.pos[0], e.message) : undefined;
    const span = start !== undefined ? spanAt(ctx, start, start + 1) : spanAt(ctx, e.pos[0], e.pos[1]);
    const where = start !== undefined ? `this ${yamlText[start]} is never closed: add its closing ${CLOSER[yamlText[start]!] ?? ''}` : hint;
    ctx.diagnostics.push(diag('error', code, message, { span, hint: where }));
  }
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') {
      ctx.diagnostics.push(
        diag('error', 'yaml-unknown-tag', `unknown YAML tag: ${firstLine(w.message).replace(/^Unresolved tag: /, '')}`, {
          span: spanAt(ctx, w.pos[0], w.pos[1]),
          hint: 'spec files are plain data: remove the tag (only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq are allowed)',
        }),
      );
    }
  }
  if (ctx.diagnostics.length > before) return undefined;

  const out: Located = { value: undefined, keySpans: new Map(), valueSpans: new Map(), strings: [] };
  const walker = new Walker(ctx, out, doc);
  out.value = walker.walk(doc.contents, '', 0);
  return walker.failed ? undefined : out;
}

const CLOSER: Record<string, string> = { '"': '"', "'": "'", '[': ']', '{': '}' };

class Walker {
  failed = false;
  #aliases = 0;
  /** Set once the alias budget is spent: the rest of the document is not expanded (or reported) any further. */
  #stopped = false;
  readonly #ctx: LoadContext;
  readonly #out: Located;
  readonly #doc: Document;

  constructor(ctx: LoadContext, out: Located, doc: Document) {
    this.#ctx = ctx;
    this.#out = out;
    this.#doc = doc;
  }

  walk(node: unknown, at: string, depth: number): unknown {
    if (node === null || node === undefined || this.#stopped) return null;
    const n = node as YamlNode;
    if (depth > MAX_DEPTH) return this.#fail(n, 'yaml-too-deep', `YAML nested deeper than ${MAX_DEPTH} levels`, `keep nesting under ${MAX_DEPTH} levels`);
    const { isAlias, isMap, isScalar, isSeq } = yamlLib();
    if (isAlias(n)) {
      if (++this.#aliases > MAX_ALIASES) {
        this.#stopped = true;
        return this.#fail(n, 'yaml-alias', `more than ${MAX_ALIASES} YAML alias expansions`, 'write the values out instead of using many anchors and aliases (*name)');
      }
      const target = n.resolve(this.#doc);
      if (!target) return this.#fail(n, 'yaml-alias', `unknown YAML alias *${n.source}`, 'define the anchor (&name) before using it');
      return this.walk(target, at, depth + 1);
    }
    const tag = (n as { tag?: string }).tag;
    if (tag && !ALLOWED_TAGS.has(tag)) {
      return this.#fail(n, 'yaml-unknown-tag', `unknown YAML tag: ${tag}`, 'spec files are plain data: remove the tag');
    }
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'string' && n.range) {
        this.#out.strings.push({ at, value: v, start: this.#ctx.base + n.range[0], end: this.#ctx.base + n.range[1] });
      }
      // Integers beyond 2^53 stay exact (an `equals: 9007199254740993` must not mean ...992).
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v;
      return v instanceof Uint8Array || v instanceof Date ? String(n.source ?? '') : v;
    }
    if (isSeq(n)) {
      const arr: unknown[] = [];
      n.items.forEach((item, i) => {
        const p = join(at, String(i));
        this.#record(p, item as YamlNode, item as YamlNode);
        arr.push(this.walk(item, p, depth + 1));
      });
      return arr;
    }
    if (isMap(n)) {
      const obj: Record<string, unknown> = {};
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          this.#fail(keyNode ?? n, 'yaml-complex-key', 'only plain keys are allowed', 'use a plain string as the key');
          continue;
        }
        if (key === '<<') {
          this.#fail(keyNode as YamlNode, 'yaml-merge-key', 'YAML merge keys (<<) are not supported', 'write the keys out in this mapping');
          continue;
        }
        if (key === '__proto__') {
          this.#fail(keyNode as YamlNode, 'forbidden-key', 'the key "__proto__" is not allowed', 'rename the key');
          continue;
        }
        const p = join(at, key);
        this.#record(p, keyNode as YamlNode, (pair.value as YamlNode | null) ?? (keyNode as YamlNode));
        obj[key] = this.walk(pair.value, p, depth + 1);
      }
      return obj;
    }
    return null;
  }

  #record(path: string, from: YamlNode, to: YamlNode): void {
    const a = from.range?.[0];
    const b = to.range?.[1];
    if (a !== undefined) {
      this.#out.keySpans.set(path, this.#ctx.index.span(this.#ctx.file, this.#ctx.base + a, this.#ctx.base + (b ?? a)));
    }
    if (to.range) this.#out.valueSpans.set(path, this.#ctx.index.span(this.#ctx.file, this.#ctx.base + to.range[0], this.#ctx.base + to.range[1]));
  }

  #fail(n: YamlNode, code: DiagnosticCode, message: string, hint: string): null {
    this.failed = true;
    this.#ctx.diagnostics.push(diag('error', code, message, { span: spanAt(this.#ctx, n.range?.[0] ?? 0, n.range?.[1]), hint }));
    return null;
  }
}

function join(at: string, key: string): string {
  return at === '' ? key : `${at}.${key}`;
}

function spanAt(ctx: LoadContext, start: number, end?: number): Span {
  return ctx.index.span(ctx.file, ctx.base + start, end === undefined ? undefined : ctx.base + end);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
