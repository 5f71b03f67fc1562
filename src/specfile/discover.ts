import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadTinyglobby } from '../lazy.js';
import { globBase, isGlob } from './glob.js';

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
    const abs = path.resolve(cwd, p);
    const st = await stat(abs).catch(() => undefined);
    // A path that exists is that path, even when its name has glob characters ("[draft] a.md").
    if (!st && isGlob(p)) {
      const found = await expandGlob(p, cwd);
      if (found.length === 0) diagnostics.push(missing(p, `no files match "${p}"`));
      for (const f of found) files.add(f);
      continue;
    }
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
    hint: `check the path (relative to the current folder); with no path named, the config's specs: folders are used, else "specs"${isGlob(p) ? '; quote globs so the shell does not expand them' : ''}`,
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

/**
 * A glob's matches, by tinyglobby: files, and folders standing for their spec files (as a folder
 * named on its own does). The same folders stay out as in a folder scan (node_modules, dot-folders;
 * symlinked folders are not followed). A pattern whose last part names an extension ("*.txt")
 * takes files of any name; otherwise only spec names (*.md, not README.md).
 */
async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const norm = pattern.split(path.sep).join('/');
  const { base, rest } = globBase(norm);
  const baseDir = path.resolve(cwd, base === '' ? (norm.startsWith('/') ? '/' : '.') : base);
  const anyExtension = /\.[^*?/{}[\]]+$/.test(rest.split('/').pop() ?? '');
  const { glob } = await loadTinyglobby();
  const matches = await glob(rest, {
    cwd: baseDir,
    absolute: true,
    onlyFiles: false,
    dot: false,
    followSymbolicLinks: false,
    expandDirectories: false,
    ignore: ['**/node_modules/**'],
  });
  const found: string[] = [];
  for (const m of matches) {
    const abs = path.resolve(m);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) {
      if ((await lstat(abs)).isSymbolicLink()) continue;
      found.push(...(await walk(abs)));
    } else if (st?.isFile() && (anyExtension || isSpecName(path.basename(abs)))) found.push(abs);
  }
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
