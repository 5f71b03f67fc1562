import type { LineIndex } from '../source/span.js';
import type { TemplateRef } from './model.js';
import type { StringSite } from '../yaml/located.js';

/** Same syntax the runner substitutes: `{{name}}`, spaces inside the braces allowed. */
const TEMPLATE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export const BUILTIN_VARS: ReadonlySet<string> = new Set(['$uuid', '$timestamp', '$isoTimestamp', '$randomInt']);

function names(s: string): { name: string; index: number; length: number }[] {
  const out: { name: string; index: number; length: number }[] = [];
  for (const m of s.matchAll(TEMPLATE)) out.push({ name: m[1] as string, index: m.index, length: m[0].length });
  return out;
}

/**
 * Every `{{name}}` in the given string values, positioned at its `{{` in the
 * file. The value's own text is searched in the scalar's source; when the
 * source differs (escapes, folding changed the text) each template falls
 * back to the start of the scalar, so a position is never invented.
 */
export function findTemplates(opts: { sites: StringSite[]; text: string; file: string; index: LineIndex; stripPrefix?: string }): TemplateRef[] {
  const out: TemplateRef[] = [];
  for (const site of opts.sites) {
    if (!site.value.includes('{{')) continue;
    const inValue = names(site.value);
    if (inValue.length === 0) continue;
    const inSource = names(opts.text.slice(site.start, site.end));
    const exact = inSource.length === inValue.length && inSource.every((s, i) => s.name === inValue[i]?.name);
    const at = opts.stripPrefix && site.at.startsWith(opts.stripPrefix) ? site.at.slice(opts.stripPrefix.length) : site.at;
    inValue.forEach((t, i) => {
      const src = exact ? inSource[i] : undefined;
      const start = src ? site.start + src.index : site.start;
      const span = opts.index.span(opts.file, start, src ? start + src.length : site.end);
      out.push({ name: t.name, at, span });
    });
  }
  return out;
}
