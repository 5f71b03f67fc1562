import type { RunSummary } from '../result/result.js';

/** Documented in README ("Exit codes") and docs/results.md ("Outcomes"); CI jobs branch on these. */
export const EXIT = {
  /** Every selected spec verified (or nothing selected, with a warning). */
  ok: 0,
  /** Any spec failing or blocked; lint found problems. */
  failed: 1,
  /** Usage, config or spec errors (a spec `invalid`). */
  usage: 2,
  /** Runtime errors: nothing learned about a doc (an `error` outcome), or write-backs / report files not written. */
  runtime: 3,
  /** Interrupted by Ctrl-C / SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * The exit code of a run, when several kinds of trouble occur at once: 130 > 2 > 3 > 1 > 0.
 * An interrupted run says so first; a broken spec or config is the user's to fix before
 * anything else means much; an outage hides whatever it did not let us check, so it outranks
 * failing and blocked specs, which are the answer a run exists to give.
 * `usage`: a usage or config problem found outside the specs (a path that does not exist).
 * `runtime`: a runtime problem outside the specs' verdicts (a report or write-back not written).
 */
export function exitCodeFor(
  run: { summary: Pick<RunSummary, 'failing' | 'blocked' | 'error' | 'invalid'>; interrupted: boolean },
  extra: { usage?: boolean; runtime?: boolean } = {},
): ExitCode {
  const s = run.summary;
  if (run.interrupted) return EXIT.interrupted;
  if (extra.usage || s.invalid > 0) return EXIT.usage;
  if (extra.runtime || s.error > 0) return EXIT.runtime;
  if (s.failing > 0 || s.blocked > 0) return EXIT.failed;
  return EXIT.ok;
}

/** Thrown by command wiring for a user mistake: printed as one line, exit 2, no stack. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
