import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { globBase, globToRegExp, isGlob } from './glob.js';

const SKIP_DIRS = new Set(['node_modules']);

/**
 * Spec files for the given paths: folders are scanned for *.md (recursively,
 * skipping node_modules, dot-folders and README.md), files named explicitly are taken
 * whatever their extension, globs are expanded. Absolute, sorted, unique.
 */
export async function discoverSpecFiles(paths: string[], cwd: string): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    if (isGlob(p)) {
      const found = await expandGlob(p, cwd);
      if (found.length === 0) diagnostics.push(missing(p, `no files match "${p}"`));
      for (const f of found) files.add(f);
      continue;
    }
    const abs = path.resolve(cwd, p);
    const st = await stat(abs).catch(() => undefined);
    if (!st) diagnostics.push(missing(p, `no such file or folder: ${p}`));
    else if (st.isDirectory()) for (const f of await walk(abs)) files.add(f);
    else files.add(abs);
  }
  return { files: [...files].sort(), diagnostics };
}

/** A folder's README.md documents the folder; it is not a spec (name it explicitly to lint it anyway). */
function isSpecName(name: string): boolean {
  return name.endsWith('.md') && name.toLowerCase() !== 'readme.md';
}

function missing(p: string, message: string): Diagnostic {
  return diag('error', 'no-such-path', message, {
    hint: `check the path (relative to the current folder); the default is "specs"${isGlob(p) ? '; quote globs so the shell does not expand them' : ''}`,
  });
}

/** Every *.md under a folder. Symlinked folders are not followed (no loops); symlinked files are. */
async function walk(dir: string, match?: (abs: string, isDir: boolean) => boolean): Promise<string[]> {
  const out: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const abs = path.join(current, e.name);
      if (e.isDirectory()) {
        if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
        pending.push(abs);
        if (match?.(abs, true)) out.push(abs);
      } else if (e.isFile() || (e.isSymbolicLink() && (await stat(abs).catch(() => undefined))?.isFile())) {
        if (match ? match(abs, false) : isSpecName(e.name)) out.push(abs);
      }
    }
  }
  return out;
}

async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const norm = pattern.split(path.sep).join('/');
  const absPattern = path.isAbsolute(norm) ? norm : `${cwd.split(path.sep).join('/')}/${norm}`;
  const { base, rest } = globBase(absPattern);
  const baseDir = base === '' ? '/' : base;
  const re = globToRegExp(rest);
  const lastSeg = rest.split('/').pop() ?? '';
  // "specs/*" should not pull in README.txt; "specs/*.txt" asks for .txt explicitly.
  const anyExtension = /\.[^*?/]+$/.test(lastSeg);
  const dirs: string[] = [];
  const found = await walk(baseDir, (abs, isDir) => {
    const rel = path.relative(baseDir, abs).split(path.sep).join('/');
    if (!re.test(rel)) return false;
    if (isDir) {
      dirs.push(abs);
      return false;
    }
    return anyExtension || isSpecName(path.basename(abs));
  });
  for (const d of dirs) found.push(...(await walk(d)));
  return found;
}

/** How a spec file is named in output: relative to cwd with "/" separators, absolute when outside it. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

/** Whether an absolute path is a folder itself or lies inside it. */
export function isInside(dir: string, file: string): boolean {
  // The common case without path.relative, which normalizes both paths on every call.
  if (file.startsWith(dir) && file[dir.length] === path.sep && !file.includes(`${path.sep}..${path.sep}`)) return true;
  const rel = path.relative(dir, file);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
