import type { AssertionResult, SpecResult, StepResult, Verdict } from '../result/result.js';

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

/** How long ago, coarsely: "3d", "5h", "12m" ("in the future" for a negative age). */
export function formatAge(ms: number): string {
  if (ms < 0) return 'in the future';
  const days = Math.floor(ms / 86_400_000);
  if (days >= 1) return `${days}d`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 1) return `${hours}h`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m`;
}

export const VERDICT_SYMBOL: Record<Verdict, string> = {
  verified: '✓',
  failing: '✗',
  blocked: '!',
  error: '⚠',
  invalid: '✎',
  skipped: '-',
};

export const VERDICTS: readonly Verdict[] = ['verified', 'failing', 'blocked', 'error', 'invalid', 'skipped'];

/** Verdicts a reader has to act on: everything but verified and skipped. */
export function needsAttention(v: Verdict): boolean {
  return v === 'failing' || v === 'blocked' || v === 'error' || v === 'invalid';
}

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

/**
 * "file:line" of what is to blame: the first diagnostic of an invalid spec, the failing
 * step (of an answer or of an error), or the file alone.
 */
export function failureLocation(spec: SpecResult): { file: string; line?: number; text: string } {
  const span = spec.diagnostics?.find((d) => d.span && d.span.file === spec.file)?.span;
  if (span) return { file: spec.file, line: span.line, text: `${spec.file}:${span.line}` };
  const step = failingStep(spec);
  if (!step) return { file: spec.file, text: spec.file };
  return { file: spec.file, line: step.span.line, text: `${spec.file}:${step.span.line}` };
}

/**
 * One sentence for a failing assertion: "status in: expected [200], got 500". The assertion's
 * message is added only where it says more than expected/got (a status or time message would
 * only repeat them: "expected [200], got 422 (status 422, expected 200)").
 */
export function describeAssertion(a: { kind: string; target?: string; op: string; expected: unknown; actual: unknown; message?: string }): string {
  const what = [a.kind, a.target, a.op].filter((x) => x !== undefined && x !== '').join(' ');
  const base = `${what}: expected ${formatValue(a.expected)}, got ${formatValue(a.actual)}`;
  const repeats = a.kind === 'status' || a.kind === 'maxMs';
  return a.message && !repeats ? `${base} (${oneLine(a.message)})` : base;
}

/**
 * Hurl-style pointer at the spec line an assertion comes from: the location, the line itself,
 * and a caret under the expectation with what came back.
 *
 *   --> specs/x.md:12:7
 *      |
 *   12 |       status: [200]
 *      |       ^^^^^^^^^^^^^ actual: 422
 *
 * Empty when the assertion has no span or the line is not available.
 */
export function pointerLines(a: AssertionResult, sourceLine: string | undefined): string[] {
  if (!a.span || sourceLine === undefined) return [];
  const { span } = a;
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  const line = oneLine(sourceLine);
  const start = Math.max(1, span.col);
  const end = span.endLine === span.line && span.endCol !== undefined && span.endCol > start ? span.endCol : line.trimEnd().length + 1;
  const width = Math.max(1, Math.min(end, line.length + 1) - start);
  const actual = a.actual === undefined && a.message ? oneLine(a.message) : formatValue(a.actual);
  return [
    `--> ${span.file}:${span.line}:${span.col}`,
    `${pad} |`,
    `${gutter} | ${line}`,
    `${pad} | ${' '.repeat(start - 1)}${'^'.repeat(width)} actual: ${actual}`,
  ];
}

/** One line per diagnostic of an invalid spec: "file:line:col: error[code]: message (hint: ...)". */
export function diagnosticLines(spec: SpecResult): string[] {
  return (spec.diagnostics ?? []).map((d) => {
    const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : '';
    return `${where}${d.severity}[${d.code}]: ${oneLine(d.message)}${d.hint ? ` (hint: ${oneLine(d.hint)})` : ''}`;
  });
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
