import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTable } from 'micromark-extension-gfm-table';
import type { Root } from 'mdast';

/**
 * Markdown with source positions, through micromark (CommonMark) and its GFM table extension:
 * every node has `position.start.offset` / `position.end.offset`, character offsets into the text
 * given, so owned tables are edited by offsets and nothing outside them moves.
 * The YAML front-matter is blanked first (same length, line breaks kept) so its lines are never
 * read as Markdown (a `---` pair would be a setext heading) and offsets stay those of the file.
 */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(blankFrontMatter(text), { extensions: [gfmTable()], mdastExtensions: [gfmTableFromMarkdown()] });
}

/** The text with the front-matter block (first line `---` to the next `---`/`...` line) replaced by spaces. */
export function blankFrontMatter(text: string): string {
  const m = /^---[ \t]*\r?\n/.exec(text);
  if (!m) return text;
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  close.lastIndex = 0;
  const rest = text.slice(m[0].length);
  const end = close.exec(rest);
  if (!end) return text;
  const stop = m[0].length + end.index + end[0].length;
  return text.slice(0, stop).replace(/[^\r\n]/g, ' ') + text.slice(stop);
}

/** The line break the file uses (CRLF when its first break is one). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
