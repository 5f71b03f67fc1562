import type { Diagnostic } from './diagnostic.js';
import { LineIndex } from '../source/span.js';

export interface RenderOptions {
  /** The full text of the file the span points into, to show the source line. */
  source?: string | undefined;
  /** Emit ANSI colours. Callers decide (TTY and NO_COLOR); default off. */
  color?: boolean | undefined;
}

const RED = '\u001b[31;1m';
const YELLOW = '\u001b[33;1m';
const BLUE = '\u001b[34;1m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/**
 * Renders one diagnostic the way hurl does:
 *
 *   error[unknown-step-key]: unknown step key "pathh"
 *     --> specs/a.md:42:7
 *      |
 *   42 |       pathh: "/x"
 *      |       ^^^^^ did you mean "path"?
 */
export function renderDiagnostic(d: Diagnostic, opts: RenderOptions = {}): string {
  const c = (code: string, s: string): string => (opts.color ? `${code}${s}${RESET}` : s);
  const sev = d.severity === 'error' ? c(RED, 'error') : c(YELLOW, 'warning');
  const lines = [`${sev}${c(BOLD, `[${d.code}]: ${d.message}`)}`];
  if (!d.span) {
    if (d.hint) lines.push(`  ${c(BLUE, '=')} hint: ${d.hint}`);
    return lines.join('\n');
  }
  const { file, line, col } = d.span;
  const gutter = ' '.repeat(String(line).length);
  lines.push(`${gutter}${c(BLUE, '-->')} ${file}:${line}:${col}`);
  if (opts.source !== undefined) {
    const index = new LineIndex(opts.source);
    if (line <= index.lineCount) {
      const text = index.lineText(line).replace(/\t/g, ' ');
      const width =
        d.span.endLine === line && d.span.endCol !== undefined && d.span.endCol > col
          ? d.span.endCol - col
          : Math.max(1, tokenWidth(text, col - 1));
      lines.push(`${gutter} ${c(BLUE, '|')}`);
      lines.push(`${c(BLUE, `${line} |`)} ${text}`);
      const caret = `${' '.repeat(Math.max(0, col - 1))}${'^'.repeat(width)}`;
      lines.push(`${gutter} ${c(BLUE, '|')} ${c(d.severity === 'error' ? RED : YELLOW, caret)}${d.hint ? ` ${d.hint}` : ''}`);
      return lines.join('\n');
    }
  }
  if (d.hint) lines.push(`${gutter} ${c(BLUE, '=')} hint: ${d.hint}`);
  return lines.join('\n');
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: (file: string) => string | undefined,
  color = false,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, { source: d.span ? sources(d.span.file) : undefined, color })).join('\n\n');
}

/** Width of the word starting at a column, so the caret underlines a key, not one char. */
function tokenWidth(text: string, start: number): number {
  const m = /^[^\s:,]+/.exec(text.slice(start));
  return m ? m[0].length : 1;
}
