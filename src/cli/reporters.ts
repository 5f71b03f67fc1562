import path from 'node:path';
import type { RunResult } from '../result/result.js';
import { fail, ok, type Result } from '../result/ok.js';
import { fileReporter, parseReporterEntry, type FileKind, type ParsedReporterEntry, type Reporter, type ReporterOptions } from '../report/reporter.js';

/**
 * Builds the reporters for the reporter entries (`--reporter` values), validating all of them
 * before anything runs. Renderers are loaded only when asked for (the HTML one is big), which is
 * why this lives in cli/: import() of our own modules is the CLI's alone. An entry the CLI cannot
 * use fails with a one-line message for the user (the CLI exits 2).
 */
export async function createReporters(entries: string[], opts: ReporterOptions): Promise<Result<Reporter[], string>> {
  const parsed: ParsedReporterEntry[] = [];
  for (const e of entries) {
    const p = parseReporterEntry(e, opts.cwd);
    if (!p.ok) return p;
    parsed.push(p.value);
  }
  const files = new Map<string, string>();
  for (const [i, p] of parsed.entries()) {
    if (!p.file) continue;
    const other = files.get(p.file);
    if (other !== undefined) return fail(`reporters "${other}" and "${entries[i]}" write the same file`);
    files.set(p.file, entries[i] ?? '');
  }
  const reporters: Reporter[] = [];
  for (const p of parsed) {
    if (p.kind === 'console') {
      const { ConsoleReporter } = await import('../report/console.js');
      reporters.push(new ConsoleReporter(opts));
    } else {
      const render = await renderer(p.kind, opts);
      if (!render.ok) return render;
      reporters.push(fileReporter(p.file ?? '', render.value, `${KIND_LABEL[p.kind]} report ${path.relative(opts.cwd, p.file ?? '') || p.file}`));
    }
  }
  return ok(reporters);
}

type Render = (result: RunResult) => string;

async function renderer(kind: FileKind, opts: ReporterOptions): Promise<Result<Render, string>> {
  switch (kind) {
    case 'json':
      return ok((await import('../report/json.js')).renderJson);
    case 'junit':
      return ok((await import('../report/junit.js')).junitReport);
    case 'markdown':
      return ok((await import('../report/markdown.js')).markdownReport);
    case 'html': {
      const html = await loadHtml();
      if (!html) return fail('reporter "html" is not available in this build');
      return ok((result: RunResult) => html.renderHtml(result, opts));
    }
  }
}

interface HtmlModule {
  renderHtml(result: RunResult, opts: ReporterOptions): string;
}

/** The HTML renderer, or undefined when this build does not ship it. */
async function loadHtml(): Promise<HtmlModule | undefined> {
  try {
    const mod = (await import('../report/html/render.js')) as Partial<HtmlModule>;
    if (typeof mod.renderHtml === 'function') return mod as HtmlModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  return undefined;
}

const KIND_LABEL: Record<FileKind, string> = { json: 'JSON', junit: 'JUnit', markdown: 'Markdown', html: 'HTML' };
