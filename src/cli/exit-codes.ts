/** Documented in README ("Exit codes"); CI jobs branch on these. */
export const EXIT = {
  /** Every selected spec verified (or nothing selected, with a warning). */
  ok: 0,
  /** Any spec failing or blocked; lint found problems. */
  failed: 1,
  /** Usage, config or parse error. */
  usage: 2,
  /** Runtime errors: `error` outcomes (nothing learned about the doc). */
  runtime: 3,
  /** Interrupted by Ctrl-C / SIGTERM. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by command wiring for a user mistake: printed as one line, exit 2, no stack. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
