import path from 'node:path';
import type { RunEvent, RunResult } from '../result/result.js';
import { writeReportFile } from './write-file.js';
import { fail, ok, type Result } from '../result/ok.js';

export interface Reporter {
  /** What it writes, for messages: "JSON report out/report.json". */
  label?: string;
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

const FILE_KINDS = ['json', 'junit', 'markdown', 'html'] as const;
export type FileKind = (typeof FILE_KINDS)[number];
export const REPORTER_KINDS = ['console', ...FILE_KINDS] as const;

export interface ParsedReporterEntry {
  kind: (typeof REPORTER_KINDS)[number];
  /** Absolute path, for the file reporters. */
  file?: string;
}

/**
 * One reporter entry, the value of one `--reporter` (`name` or `name:file`): "json:out/report.json"
 * to { kind, file }; anything else fails with a one-line message for the user.
 */
export function parseReporterEntry(entry: string, cwd: string): Result<ParsedReporterEntry, string> {
  const colon = entry.indexOf(':');
  const kind = (colon === -1 ? entry : entry.slice(0, colon)).trim();
  const file = colon === -1 ? '' : entry.slice(colon + 1).trim();
  if (kind === 'console') {
    if (file) return fail(`reporter "console" takes no file (got "${entry}")`);
    return ok({ kind });
  }
  if (!(FILE_KINDS as readonly string[]).includes(kind)) {
    return fail(`unknown reporter "${kind}" in "${entry}"; use ${REPORTER_KINDS.map((k) => (k === 'console' ? k : `${k}:<file>`)).join(', ')}`);
  }
  if (!file) return fail(`reporter "${kind}" needs a file: --reporter ${kind}:<file>`);
  return ok({ kind: kind as FileKind, file: path.resolve(cwd, file) });
}

/** A reporter that renders the finished run into one file (`label` is for messages). */
export function fileReporter(file: string, render: (result: RunResult) => string, label: string): Reporter {
  return {
    label,
    async finish(result) {
      await writeReportFile(file, render(result));
    },
  };
}

export interface ReporterFailure {
  /** The reporter's label ("JSON report out/r.json"). */
  label: string;
  message: string;
}

/**
 * Finishes every reporter, each on its own: one that throws (a full disk, a path that is a
 * folder) does not stop the others. `broken` holds reporters that already threw during the run
 * (in onEvent); they are reported, not called. Returns the failures, for the caller to print.
 */
export async function finishReporters(reporters: readonly Reporter[], result: RunResult, broken: ReadonlyMap<Reporter, unknown> = new Map()): Promise<ReporterFailure[]> {
  const failures: ReporterFailure[] = [];
  for (const r of reporters) {
    try {
      if (broken.has(r)) throw broken.get(r);
      await r.finish(result);
    } catch (err) {
      failures.push({ label: r.label ?? 'reporter', message: describeWriteError(err) });
    }
  }
  return failures;
}

/** One line saying why a report file could not be written ("disk full"), no stack. */
export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOSPC':
      return 'disk full';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${e.path ?? ''})`;
    case 'EISDIR':
      return 'the path is a folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'read-only file system';
    default:
      return e?.code ? `${e.code}: ${e.message}` : String((err as Error)?.message ?? err);
  }
}

