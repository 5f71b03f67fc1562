import path from 'node:path';
import type { RunResult } from '../run/result.js';
import { fileReporter, parseReporterEntry, ReporterEntryError, type FileKind, type Reporter, type ReporterOptions } from '../report/reporter.js';

/**
 * Builds the reporters for the reporter entries (`--reporter` values), validating all of them before
 * anything runs. Renderers are loaded only when asked for (the HTML one is big), which is why
 * this lives in cli/: import() of our own modules is the CLI's alone.
 */
export async function createReporters(entries: string[], opts: ReporterOptions): Promise<Reporter[]> {
  const parsed = entries.map((e) => parseReporterEntry(e, opts.cwd));
  const files = new Map<string, string>();
  for (const [i, p] of parsed.entries()) {
    if (!p.file) continue;
    const other = files.get(p.file);
    if (other !== undefined) throw new ReporterEntryError(`reporters "${other}" and "${entries[i]}" write the same file`);
    files.set(p.file, entries[i] ?? '');
  }
  const reporters: Reporter[] = [];
  for (const p of parsed) {
    if (p.kind === 'console') {
      const { ConsoleReporter } = await import('../report/console.js');
      reporters.push(new ConsoleReporter(opts));
    } else {
      reporters.push(fileReporter(p.file ?? '', await renderer(p.kind, opts), `${KIND_LABEL[p.kind]} report ${path.relative(opts.cwd, p.file ?? '') || p.file}`));
    }
  }
  return reporters;
}

type Render = (result: RunResult) => string;

async function renderer(kind: FileKind, opts: ReporterOptions): Promise<Render> {
  switch (kind) {
    case 'json':
      return (await import('../report/json.js')).renderJson;
    case 'junit':
      return (await import('../report/junit.js')).junitReport;
    case 'markdown':
      return (await import('../report/markdown.js')).markdownReport;
    case 'html': {
      const { renderHtml } = await loadHtml();
      return (result) => renderHtml(result, opts);
    }
  }
}

interface HtmlModule {
  renderHtml(result: RunResult, opts: ReporterOptions): string;
}

async function loadHtml(): Promise<HtmlModule> {
  try {
    const mod = (await import('../report/html/render.js')) as Partial<HtmlModule>;
    if (typeof mod.renderHtml === 'function') return mod as HtmlModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  throw new ReporterEntryError('reporter "html" is not available in this build');
}

const KIND_LABEL: Record<FileKind, string> = { json: 'JSON', junit: 'JUnit', markdown: 'Markdown', html: 'HTML' };
