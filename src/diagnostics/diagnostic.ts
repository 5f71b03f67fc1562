import type { Span } from '../source/span.js';
import type { DiagnosticCode } from './codes.js';

export type { DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning';

/**
 * One problem found in user input, at parse, lint, config or run time. The
 * same shape everywhere, so one renderer prints them all (hurl-style).
 * `code` is one of the closed list in codes.ts (documented in
 * docs/diagnostics.md), stable so users and tests can match on it;
 * `message` says what is wrong and `hint` what to do.
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span?: Span;
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function diag(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  extra: { span?: Span | undefined; hint?: string | undefined } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity, message };
  if (extra.span) d.span = extra.span;
  if (extra.hint) d.hint = extra.hint;
  return d;
}
