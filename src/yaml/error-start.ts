/**
 * Where a YAML syntax error starts, for the errors the `yaml` parser reports where it gives up
 * rather than where the problem is: an unclosed quote is found at the end of the block, an
 * unclosed `[` or `{` at the next line. Returns the offset (in `text`) of the opening quote or
 * bracket, or undefined when the error is of another kind or no opener is found (then the
 * parser's own position stands).
 *
 * A quote opens a quoted scalar only where a value can start (after indentation, `- `, `: `,
 * `[`, `{` or `,`), as in YAML 1.2 (chapter 7, flow scalar styles); `#` starts a comment only
 * after whitespace or at a line start, outside quotes.
 */
export function yamlErrorStart(text: string, errorOffset: number, message: string): number | undefined {
  const quote = /Missing closing (["'])quote/.exec(message)?.[1];
  const flow = /flow (sequence|mapping)|end with a [\]}]/i.test(message);
  if (!quote && !flow) return undefined;
  let inQuote: { ch: string; at: number } | undefined;
  const stack: number[] = [];
  let valueStart = true;
  const end = Math.min(errorOffset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (inQuote) {
      if (inQuote.ch === '"' && c === '\\') i++;
      else if (inQuote.ch === "'" && c === "'" && text[i + 1] === "'") i++;
      else if (c === inQuote.ch) inQuote = undefined;
      continue;
    }
    if (c === '\n') {
      valueStart = true;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = (nl === -1 ? text.length : nl) - 1;
      continue;
    }
    if ((c === '"' || c === "'") && valueStart) {
      inQuote = { ch: c, at: i };
      continue;
    }
    if ((c === '[' || c === '{') && valueStart) {
      stack.push(i);
      continue;
    }
    if ((c === ']' || c === '}') && stack.length > 0) {
      stack.pop();
      valueStart = false;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    if (c === ',' && stack.length > 0) {
      valueStart = true;
      continue;
    }
    if ((c === ':' || c === '-') && (text[i + 1] === ' ' || text[i + 1] === '\n' || text[i + 1] === undefined)) {
      valueStart = true;
      continue;
    }
    valueStart = false;
  }
  if (quote) return inQuote && inQuote.ch === quote ? inQuote.at : undefined;
  return stack[0];
}
