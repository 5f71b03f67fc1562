import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { discoverSpecFiles } from '../spec/discover.js';
import { readSpec, type LoadedSpec } from '../spec/parse.js';
import type { OutStream } from './io.js';

export interface LoadedSet {
  specs: LoadedSpec[];
  /** Specs that parsed with errors: reported, not run. */
  broken: LoadedSpec[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel.split(path.sep).join('/');
}

/** Discover, read and parse every spec; never throws for user input. */
export async function loadSpecs(paths: string[], cwd: string): Promise<LoadedSet> {
  const found = await discoverSpecFiles(paths, cwd);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const specs: LoadedSpec[] = [];
  const broken: LoadedSpec[] = [];
  const sources = new Map<string, string>();
  // Reading in parallel batches: thousands of small files are I/O-latency bound.
  const batch = 64;
  for (let i = 0; i < found.files.length; i += batch) {
    const loaded = await Promise.all(found.files.slice(i, i + batch).map((abs) => readSpec(abs, displayPath(cwd, abs))));
    for (const spec of loaded) {
      sources.set(spec.file, spec.doc.text);
      diagnostics.push(...spec.diagnostics);
      if (spec.diagnostics.some((d) => d.severity === 'error')) broken.push(spec);
      else specs.push(spec);
    }
  }
  return { specs, broken, diagnostics, sources };
}

export function printDiagnostics(
  out: OutStream,
  diagnostics: readonly Diagnostic[],
  opts: { sources: Map<string, string>; color: boolean; warnings?: boolean },
): void {
  for (const d of diagnostics) {
    if (d.severity === 'warning' && opts.warnings === false) continue;
    const source = d.span ? opts.sources.get(d.span.file) : undefined;
    out.write(`${renderDiagnostic(d, { source, color: opts.color })}\n\n`);
  }
}
