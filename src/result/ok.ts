/**
 * The one success/failure convention for a function that can fail on user
 * input (or on the world outside: a file, a server): it returns
 * `{ ok: true, value }` or `{ ok: false, error }`, and callers test `ok`.
 * The error type says what a failure carries: `Diagnostic[]` for problems in
 * user files (docs/diagnostics.md), `StepError` for a step that could not
 * run, a message string where nothing more is known. Exceptions are kept for
 * bugs; no expected failure is thrown and caught.
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
