import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * A small `.env` reader: `KEY=VALUE`, an optional `export ` prefix, single,
 * double or backtick quotes (double quotes understand \n, \r, \t, \", \\ and
 * may span lines), `#` comments (whole line, or after whitespace in an
 * unquoted value). Hand-written rather than util.parseEnv because that one
 * silently glues a malformed line onto the next key; here a bad line is a
 * warning with its line number and the rest of the file still loads.
 * Values never appear in diagnostics: they are often tokens.
 */
export function parseDotEnv(text: string, file: string): { values: Record<string, string>; diagnostics: Diagnostic[] } {
  const values: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s?(.*)$/.exec(line);
    if (!m) {
      diagnostics.push(
        diag('warning', 'config-dotenv', 'this .env line is not KEY=VALUE and was ignored', {
          span: { file, line: lineNo, col: 1 },
          hint: 'write NAME=value (quote values with spaces or #)',
        }),
      );
      continue;
    }
    const key = m[1]!;
    let rest = (m[2] ?? '').trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // A quoted value may continue over the following lines until its closing quote.
      let body = rest.slice(1);
      let end = findClosing(body, quote);
      let j = i;
      while (end === -1 && j + 1 < lines.length) {
        j++;
        body += '\n' + (lines[j] ?? '');
        end = findClosing(body, quote);
      }
      if (end === -1) {
        diagnostics.push(
          diag('warning', 'config-dotenv', `the value of ${key} has no closing ${quote} and was ignored`, {
            span: { file, line: lineNo, col: 1 },
            hint: `close the quote, or drop it`,
          }),
        );
        continue;
      }
      i = j;
      const inner = body.slice(0, end);
      values[key] = quote === '"' ? unescapeDouble(inner) : inner;
      continue;
    }
    const hash = rest.search(/\s#/);
    if (hash !== -1) rest = rest.slice(0, hash);
    values[key] = rest.trim();
  }
  return { values, diagnostics };
}

function findClosing(body: string, quote: string): number {
  for (let k = 0; k < body.length; k++) {
    const c = body[k];
    if (c === '\\' && quote === '"') {
      k++;
      continue;
    }
    if (c === quote) return k;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

/**
 * Loads `<dir>/.env` for each folder in order into `env`; a variable that is
 * already set (by the shell, or by an earlier file) is never overridden.
 */
export function loadDotEnvFiles(dirs: string[], env: Record<string, string | undefined>, displayFrom: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const file = path.join(dir, '.env');
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const display = path.relative(displayFrom, file) || '.env';
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push(diag('warning', 'config-dotenv', `${display} could not be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}`));
      continue;
    }
    const parsed = parseDotEnv(text, display);
    diagnostics.push(...parsed.diagnostics);
    for (const [k, v] of Object.entries(parsed.values)) if (env[k] === undefined) env[k] = v;
  }
  return diagnostics;
}
