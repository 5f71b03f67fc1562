import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Phase } from './model.js';

/** The YAML between the opening and closing `---` lines. */
export interface FrontMatterPart {
  /** The YAML text (without the `---` lines). */
  text: string;
  /** Offset of `text` in the file text. */
  offset: number;
  /** 1-based lines of the `---` delimiters. */
  openLine: number;
  closeLine: number;
}

/** A fenced block of the Markdown body. */
export interface FencedBlock {
  /** First word of the info string, lower-cased ("" when none). */
  lang: string;
  fenceLine: number;
  text: string;
  offset: number;
  /** The nearest heading above, if any. */
  heading?: { text: string; line: number; phase?: Phase };
}

export interface SplitResult {
  frontMatter?: FrontMatterPart;
  blocks: FencedBlock[];
  diagnostics: Diagnostic[];
}

interface Line {
  /** Content without the line break. */
  text: string;
  start: number;
  /** Offset just past the line break. */
  next: number;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  const n = text.length;
  if (!text.includes('\r')) {
    // The usual file: only \n breaks, found without a character loop.
    while (start < n) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? n : nl;
      const next = nl === -1 ? n : nl + 1;
      out.push({ text: text.slice(start, end), start, next });
      start = next;
    }
    return out;
  }
  while (start < n) {
    let i = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    let next = i;
    if (i < n) next = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    out.push({ text: text.slice(start, i), start, next });
    start = next;
  }
  return out;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

/** Heading text to a phase: "Prerequisites", "Test Request", "Cleanup" (case, emphasis and a trailing colon ignored). */
export function phaseOfHeading(heading: string): Phase | undefined {
  const t = heading
    .replace(/[*_`]/g, '')
    .replace(/:\s*$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  if (t === 'prerequisites' || t === 'prerequisite') return 'prerequisites';
  if (t === 'test request' || t === 'test requests' || t === 'test') return 'test';
  if (t === 'cleanup' || t === 'clean up' || t === 'clean-up') return 'cleanup';
  return undefined;
}

/**
 * Splits a spec file into its front-matter and its fenced blocks (each with
 * the nearest heading above it). Only Markdown structure is looked at here;
 * no YAML is parsed, so this part cannot fail on odd content.
 */
export function splitSpec(text: string, file: string): SplitResult {
  const all = lines(text);
  const diagnostics: Diagnostic[] = [];
  let bodyFrom = 0;
  let frontMatter: FrontMatterPart | undefined;

  const first = all[0];
  if (!first || !first.text.startsWith('---')) {
    diagnostics.push(
      diag('error', 'missing-front-matter', 'the file does not start with YAML front-matter', {
        span: { file, line: 1, col: 1 },
        hint: 'start the file with a line "---", the keys (at least endpoint: "GET /path"), and a closing "---"',
      }),
    );
  } else if (first.text.trimEnd() !== '---') {
    const lang = first.text.slice(3).trim();
    diagnostics.push(
      diag('error', 'front-matter-language', `front-matter language "${lang}" is not supported; only YAML is read (never evaluated)`, {
        span: { file, line: 1, col: 4, endLine: 1, endCol: 4 + first.text.slice(3).length },
        hint: 'write the front-matter in YAML and open it with a bare "---" line',
      }),
    );
    bodyFrom = closingLine(all, 1) + 1;
  } else {
    const close = closingLine(all, 1);
    if (close >= all.length) {
      diagnostics.push(
        diag('error', 'unclosed-front-matter', 'the front-matter has no closing "---" line', {
          span: { file, line: 1, col: 1 },
          hint: 'end the front-matter with a line that is exactly "---"',
        }),
      );
      return { blocks: [], diagnostics };
    }
    const start = first.next;
    const end = all[close]?.start ?? text.length;
    frontMatter = { text: text.slice(start, end), offset: start, openLine: 1, closeLine: close + 1 };
    bodyFrom = close + 1;
  }

  return { ...(frontMatter ? { frontMatter } : {}), blocks: scanBody(text, all, bodyFrom), diagnostics };
}

/** Index of the closing `---` (or `...`) line, or all.length when there is none. */
function closingLine(all: Line[], from: number): number {
  for (let i = from; i < all.length; i++) {
    const t = (all[i]?.text ?? '').trimEnd();
    if (t === '---' || t === '...') return i;
  }
  return all.length;
}

function scanBody(text: string, all: Line[], from: number): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let heading: FencedBlock['heading'];
  let prevParagraph: { text: string; line: number } | undefined;
  for (let i = from; i < all.length; i++) {
    const line = all[i] as Line;
    // Most lines are prose: the first character after up to three spaces rules out every regex below.
    const lead = leadChar(line.text);
    const open = lead === '`' || lead === '~' ? FENCE_OPEN.exec(line.text) : null;
    // A backtick fence whose info string has a backtick is inline code, not a fence (CommonMark).
    if (open && !(open[1]?.startsWith('`') && (open[2] ?? '').includes('`'))) {
      const fence = open[1] as string;
      const lang = ((open[2] ?? '').trim().split(/\s+/)[0] ?? '').toLowerCase().replace(/^\{\.?|\}$/g, '');
      let j = i + 1;
      while (j < all.length && !isClosingFence((all[j] as Line).text, fence)) j++;
      const contentStart = line.next;
      const contentEnd = j < all.length ? (all[j] as Line).start : text.length;
      blocks.push({
        lang,
        fenceLine: i + 1,
        text: text.slice(contentStart, Math.max(contentStart, contentEnd)),
        offset: contentStart,
        ...(heading ? { heading } : {}),
      });
      i = j;
      prevParagraph = undefined;
      continue;
    }
    const atx = lead === '#' ? ATX.exec(line.text) : null;
    if (atx) {
      heading = withPhase((atx[2] ?? '').trim(), i + 1);
      prevParagraph = undefined;
      continue;
    }
    if (prevParagraph && (lead === '=' || lead === '-') && SETEXT.test(line.text) && !prevParagraph.text.trimStart().startsWith('|')) {
      heading = withPhase(prevParagraph.text.trim(), prevParagraph.line);
      prevParagraph = undefined;
      continue;
    }
    prevParagraph = line.text.trim() === '' ? undefined : { text: line.text, line: i + 1 };
  }
  return blocks;
}

/** The first character after at most three leading spaces ("" for a blank line). */
function leadChar(text: string): string {
  let i = 0;
  while (i < 3 && text.charCodeAt(i) === 32) i++;
  return text.charAt(i);
}

function withPhase(text: string, line: number): NonNullable<FencedBlock['heading']> {
  const phase = phaseOfHeading(text);
  return phase ? { text, line, phase } : { text, line };
}

function isClosingFence(text: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  return !!m && (m[1] as string)[0] === fence[0] && (m[1] as string).length >= fence.length;
}

