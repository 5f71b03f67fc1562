import path from 'node:path';
import type { RunEvent, RunResult } from '../run/result.js';
import { writeReportFile } from './write-file.js';

export interface Reporter {
  onEvent?(e: RunEvent): void;
  finish(result: RunResult): Promise<void>;
}

export interface ReporterOptions {
  stdout: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  /** Whether colour is wanted (NO_COLOR, FORCE_COLOR); escape codes also need a terminal. */
  color: boolean;
  quiet: boolean;
  verbose: boolean;
  /**
   * Shared with whoever else writes to the terminal during the run (diagnostics on stderr): the
   * console reporter sets `clear` to take its progress line off the screen first.
   */
  terminal?: { clear?: () => void };
  /** The text of a spec file, to show the failing step's source line. */
  sources(file: string): string | undefined;
  now?: () => number;
}

/** A `--reporter` value the CLI cannot use; its message is one line for the user. */
export class ReporterSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReporterSpecError';
  }
}

const FILE_KINDS = ['json', 'junit', 'markdown', 'html'] as const;
type FileKind = (typeof FILE_KINDS)[number];
export const REPORTER_KINDS = ['console', ...FILE_KINDS] as const;

export interface ParsedReporterSpec {
  kind: (typeof REPORTER_KINDS)[number];
  /** Absolute path, for the file reporters. */
  file?: string;
}

/** "json:out/report.json" to { kind, file }; throws ReporterSpecError on anything else. */
export function parseReporterSpec(spec: string, cwd: string): ParsedReporterSpec {
  const colon = spec.indexOf(':');
  const kind = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  const file = colon === -1 ? '' : spec.slice(colon + 1).trim();
  if (kind === 'console') {
    if (file) throw new ReporterSpecError(`reporter "console" takes no file (got "${spec}")`);
    return { kind };
  }
  if (!(FILE_KINDS as readonly string[]).includes(kind)) {
    throw new ReporterSpecError(`unknown reporter "${kind}" in "${spec}"; use ${REPORTER_KINDS.map((k) => (k === 'console' ? k : `${k}:<file>`)).join(', ')}`);
  }
  if (!file) throw new ReporterSpecError(`reporter "${kind}" needs a file: --reporter ${kind}:<file>`);
  return { kind: kind as FileKind, file: path.resolve(cwd, file) };
}

/**
 * Builds the reporters for `--reporter` values, validating all of them before
 * anything runs. Renderers are loaded only when asked for (the HTML one is big).
 */
export async function createReporters(specs: string[], opts: ReporterOptions): Promise<Reporter[]> {
  const parsed = specs.map((s) => parseReporterSpec(s, opts.cwd));
  const files = new Map<string, string>();
  for (const [i, p] of parsed.entries()) {
    if (!p.file) continue;
    const other = files.get(p.file);
    if (other !== undefined) throw new ReporterSpecError(`reporters "${other}" and "${specs[i]}" write the same file`);
    files.set(p.file, specs[i] ?? '');
  }
  const reporters: Reporter[] = [];
  for (const p of parsed) {
    if (p.kind === 'console') {
      const { ConsoleReporter } = await import('./console.js');
      reporters.push(new ConsoleReporter(opts));
    } else {
      reporters.push(fileReporter(p.file ?? '', await renderer(p.kind, opts)));
    }
  }
  return reporters;
}

type Render = (result: RunResult) => string;

async function renderer(kind: FileKind, opts: ReporterOptions): Promise<Render> {
  switch (kind) {
    case 'json':
      return (await import('./json.js')).renderJson;
    case 'junit':
      return (await import('./junit.js')).junitReport;
    case 'markdown':
      return (await import('./markdown.js')).markdownReport;
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
    const mod = (await import('./html.js')) as Partial<HtmlModule>;
    if (typeof mod.renderHtml === 'function') return mod as HtmlModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  throw new ReporterSpecError('reporter "html" is not available in this build');
}

function fileReporter(file: string, render: Render): Reporter {
  return {
    async finish(result) {
      await writeReportFile(file, render(result));
    },
  };
}
