import type { SpecResult, StepResult, Verdict } from '../run/result.js';

/** Helpers every reporter shares, so a duration or a verdict reads the same everywhere. */

/** "340 ms" below a second, "1.2 s" below a minute, "2 min 5 s" above. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const s = ms / 1000;
    return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  }
  const total = Math.round(ms / 1000);
  return `${Math.floor(total / 60)} min ${total % 60} s`;
}

export const VERDICT_SYMBOL: Record<Verdict, string> = {
  verified: '✓',
  failing: '✗',
  blocked: '!',
  error: 'E',
  invalid: '?',
  skipped: '-',
};

export const VERDICTS: readonly Verdict[] = ['verified', 'failing', 'blocked', 'error', 'invalid', 'skipped'];

/** Cuts to `max` characters (code points), marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

// CSI/OSC sequences first (so their parameters go too), then any lone control character.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[\u009b][0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Server-controlled text (response snippets, error messages, header values)
 * must not be able to drive the terminal: escape sequences are removed and any
 * other control character is shown as a visible code. Tabs and newlines stay.
 */
export function stripEscapes(s: string): string {
  return s.replace(ANSI_SEQUENCE, '').replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Like stripEscapes, and newlines too: for text that must stay on one line. */
export function oneLine(s: string): string {
  return stripEscapes(s.replace(/\r\n|\r|\n/g, ' ').replace(/\t/g, ' '));
}

/** Compact rendering of an expected/actual value. */
export function formatValue(v: unknown, max = 200): string {
  if (v === undefined) return '(nothing)';
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v);
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return truncate(oneLine(s), max);
}

/**
 * The step a failing or blocked verdict comes from: the first failed step of
 * the phase that decided it (a blocked spec is decided by its prerequisites),
 * else the first failed step at all.
 */
export function failingStep(spec: SpecResult): StepResult | undefined {
  const failed = spec.steps.filter((s) => s.outcome === 'failed');
  if (spec.verdict === 'blocked') return failed.find((s) => s.phase === 'prerequisites') ?? failed[0];
  return failed.find((s) => s.phase === 'test') ?? failed[0];
}

/** "file:line" of the failing step, or the file alone when no step is to blame. */
export function failureLocation(spec: SpecResult): { file: string; line?: number; text: string } {
  const step = failingStep(spec);
  if (!step) return { file: spec.file, text: spec.file };
  return { file: spec.file, line: step.span.line, text: `${spec.file}:${step.span.line}` };
}

/** One sentence for a failing assertion: "status in: expected [200], got 500". */
export function describeAssertion(a: { kind: string; target?: string; op: string; expected: unknown; actual: unknown; message?: string }): string {
  const what = [a.kind, a.target, a.op].filter((x) => x !== undefined && x !== '').join(' ');
  const base = `${what}: expected ${formatValue(a.expected)}, got ${formatValue(a.actual)}`;
  return a.message ? `${base} (${oneLine(a.message)})` : base;
}

/** The reason a spec did not verify, with a fallback built from its failing step. */
export function specReason(spec: SpecResult): string {
  if (spec.reason) return oneLine(spec.reason);
  const step = failingStep(spec);
  if (!step) return spec.verdict;
  if (step.error) return `${step.id}: ${oneLine(step.error.message)}`;
  const a = step.assertions.find((x) => !x.passed);
  return a ? `${step.id}: ${describeAssertion(a)}` : `${step.id} failed`;
}
