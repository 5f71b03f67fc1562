import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { discoverSpecFiles, displayPath } from '../specfile/discover.js';
import { readSpecSync, type LoadedSpec } from '../specfile/parse.js';
import type { OutStream } from './io.js';

export interface LoadedSet {
  specs: LoadedSpec[];
  /** Specs that parsed with errors: reported, not run. */
  broken: LoadedSpec[];
  /** Both, in discovery order. */
  all: LoadedSpec[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export { displayPath };

/** Discover, read and parse every spec; never throws for user input. */
export async function loadSpecs(paths: string[], cwd: string): Promise<LoadedSet> {
  const found = await discoverSpecFiles(paths, cwd);
  const diagnostics: Diagnostic[] = [...found.diagnostics];
  const specs: LoadedSpec[] = [];
  const broken: LoadedSpec[] = [];
  const all: LoadedSpec[] = [];
  const sources = new Map<string, string>();
  for (const abs of found.files) {
    const spec = readSpecSync(abs, displayPath(cwd, abs));
    sources.set(spec.file, spec.doc.text);
    diagnostics.push(...spec.diagnostics);
    all.push(spec);
    if (spec.diagnostics.some((d) => d.severity === 'error')) broken.push(spec);
    else specs.push(spec);
  }
  return { specs, broken, all, diagnostics, sources };
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
