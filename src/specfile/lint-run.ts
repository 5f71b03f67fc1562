import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverSpecFiles, displayPath } from './discover.js';
import { lintSpec } from './lint.js';
import { parseSpec, readSpecSync } from './parse.js';
import { createOpenApiLinter } from './lint-openapi.js';

export interface LintPathsOptions {
  paths: string[];
  cwd: string;
  knownVars: ReadonlySet<string>;
  mayComeFromEnv: boolean;
}

export interface LintedFile {
  /** Display path, relative to cwd. */
  file: string;
  source: string;
  /** Parse and lint findings. */
  diagnostics: Diagnostic[];
}

/** Discovers, parses and lints; what `endpoint-verify lint` prints. Never throws on user input. */
export async function lintPaths(opts: LintPathsOptions): Promise<{ diagnostics: Diagnostic[]; files: LintedFile[] }> {
  const paths = opts.paths.length > 0 ? opts.paths : ['specs'];
  const found = await discoverSpecFiles(paths, opts.cwd);
  const files: LintedFile[] = [];
  const fileExists = (abs: string): boolean => {
    try {
      return existsSync(abs) && statSync(abs).isFile();
    } catch {
      return false;
    }
  };
  const openApi = createOpenApiLinter();
  const exportsOf = createExportsReader();
  for (const abs of found.files) {
    const spec = readSpecSync(abs, displayPath(opts.cwd, abs));
    const diagnostics = [...spec.diagnostics];
    // A file whose YAML or Markdown structure did not read has nothing reliable to lint;
    // type errors in single values still leave the rest worth checking.
    if (!diagnostics.some((d) => d.severity === 'error' && STRUCTURAL.test(d.code))) {
      diagnostics.push(...lintSpec(spec.doc, { knownVars: opts.knownVars, mayComeFromEnv: opts.mayComeFromEnv, fileExists, specDir: path.dirname(spec.absPath), exportsOf }));
      diagnostics.push(...(await openApi(spec.doc, spec.absPath)));
    }
    files.push({ file: spec.file, source: spec.doc.text, diagnostics: sortByPosition(diagnostics) });
  }
  return { diagnostics: found.diagnostics, files };
}

const STRUCTURAL = /^(yaml-|front-matter-|missing-front-matter$|unclosed-front-matter$|invalid-utf8$|empty-file$|read-error$|steps-not-list$|duplicate-key$|forbidden-key$)/;

function sortByPosition(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.line ?? 0) - (b.d.span?.line ?? 0) || (a.d.span?.col ?? 0) - (b.d.span?.col ?? 0) || a.i - b.i)
    .map((x) => x.d);
}

/** What a `use:` target exports: its extracts and, recursively, its own uses' (cycles stop). */
export function createExportsReader(): (absPath: string) => ReadonlySet<string> | undefined {
  const cache = new Map<string, Set<string> | undefined>();
  const read = (absPath: string, seen: Set<string>): Set<string> | undefined => {
    if (cache.has(absPath)) return cache.get(absPath);
    if (seen.has(absPath)) return new Set();
    seen.add(absPath);
    let text: string;
    try {
      text = readFileSync(absPath, 'utf8');
    } catch {
      cache.set(absPath, undefined);
      return undefined;
    }
    const { doc } = parseSpec(text.replace(/^\uFEFF/, ''), absPath);
    const out = new Set<string>();
    for (const s of doc.steps) {
      for (const name of Object.keys(s.step.extract ?? {})) out.add(name);
      if (typeof s.step.use === 'string') {
        const inner = read(path.resolve(path.dirname(absPath), s.step.use), seen);
        if (!inner) {
          cache.set(absPath, undefined);
          return undefined;
        }
        for (const n of inner) out.add(n);
      }
    }
    cache.set(absPath, out);
    return out;
  };
  return (absPath) => read(absPath, new Set());
}
