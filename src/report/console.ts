import type { RunEvent, RunResult, SpecResult, StepResult, Verdict } from '../result/result.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { failedWriteBacks } from '../result/write-back-failures.js';
import { LineIndex } from '../source/span.js';
import { ProgressLine } from './console-progress.js';
import { describeAssertion, failingStep, formatDuration, needsAttention, oneLine, pointerLines, specReason, stripEscapes, truncate, VERDICT_SYMBOL } from './format.js';
import type { Reporter, ReporterOptions } from './reporter.js';

const STYLE = {
  green: '\u001b[32m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  magenta: '\u001b[35m',
  gray: '\u001b[90m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;
type Style = keyof typeof STYLE;

const VERDICT_STYLE: Record<Verdict, Style> = { verified: 'green', failing: 'red', blocked: 'yellow', error: 'magenta', invalid: 'red', skipped: 'gray' };
const STEP_SYMBOL: Record<StepResult['outcome'], string> = { passed: '✓', failed: '✗', skipped: '-' };
const SNIPPET_LINES = 8;
/** Characters of a body line the console shows for a failure; with -v. */
const EXCERPT = 200;
const VERBOSE_EXCERPT = 4000;

/**
 * The console reporter. Escape codes (colour, the live progress line) only on
 * a terminal with colour on; anywhere else plain lines, so logs stay readable.
 */
export class ConsoleReporter implements Reporter {
  readonly label = 'console report';
  readonly #o: ReporterOptions;
  readonly #ansi: boolean;
  readonly #live: boolean;
  readonly #now: () => number;
  readonly #printed = new Set<string>();
  readonly #sources = new Map<string, LineIndex | undefined>();
  #progress: ProgressLine | undefined;
  #counts = { done: 0, total: 0, passed: 0, failed: 0 };

  constructor(opts: ReporterOptions) {
    this.#o = opts;
    // Colour wherever it is wanted (FORCE_COLOR / --color in CI logs); the live line only on a terminal.
    this.#ansi = opts.color;
    this.#live = opts.color && opts.stdout.isTTY === true;
    this.#now = opts.now ?? Date.now;
  }

  onEvent(e: RunEvent): void {
    if (e.type === 'run-start') {
      this.#counts.total = e.total;
      if (this.#live && !this.#o.quiet) {
        const progress = new ProgressLine(this.#o.stdout, this.#now);
        this.#progress = progress;
        if (this.#o.terminal) this.#o.terminal.clear = () => progress.hide();
        progress.update(this.#counts);
      }
    } else if (e.type === 'spec-end') {
      const v = e.result.verdict;
      this.#counts.done++;
      if (v === 'verified') this.#counts.passed++;
      if (needsAttention(v)) this.#counts.failed++;
      this.#progress?.update(this.#counts);
      if (!this.#o.quiet) this.#printSpec(e.result);
    }
  }

  async finish(result: RunResult): Promise<void> {
    this.#progress?.stop();
    this.#progress = undefined;
    if (!this.#o.quiet) for (const spec of result.specs) if (!this.#printed.has(key(spec))) this.#printSpec(spec);

    const bad = result.specs.filter((s) => needsAttention(s.verdict));
    if (bad.length > 0) {
      this.#line('');
      this.#line(this.#c('bold', bad.length === 1 ? 'Failure:' : `Failures (${bad.length}):`));
      for (const spec of bad) this.#printFailure(spec);
    }
    if (!this.#o.quiet) this.#printTokenMatrix(result);
    if (!this.#o.quiet) this.#printFindings(result);
    this.#printWriteBacks(result);
    if (!this.#o.quiet) this.#printTokenProviders(result);
    this.#line('');
    this.#line(this.#summary(result));
  }

  #printSpec(spec: SpecResult): void {
    this.#printed.add(key(spec));
    const via = spec.gateway === 'fallback' ? `  via fallback gateway` : '';
    const token = spec.tokenType && (this.#o.verbose || spec.tokenMatrix) ? `  as ${oneLine(spec.tokenType)}` : '';
    // The one-line reason for outcomes that have no failure section of their own below.
    const why = (spec.verdict === 'skipped' || spec.verdict === 'error' || spec.verdict === 'invalid') && spec.reason ? `  (${truncate(oneLine(spec.reason), 160)})` : '';
    const head = this.#c(VERDICT_STYLE[spec.verdict], `${VERDICT_SYMBOL[spec.verdict]} ${spec.verdict.padEnd(8)}`);
    this.#println(`${head} ${oneLine(spec.endpoint)}  ${this.#c('gray', oneLine(spec.file))}  ${formatDuration(spec.durationMs)}${via}${token}${why}`);
    if (!this.#o.verbose) return;
    for (const g of spec.gatewayAttempts ?? []) this.#println(`    ${g.gateway} gateway: ${g.verdict}${g.reason ? ` (${oneLine(g.reason)})` : ''}`);
    for (const step of spec.steps) this.#println(`    ${this.#stepLine(step)}`);
  }

  /** --token-matrix: one row per token type the spec lists, for every spec that ran with it. */
  #printTokenMatrix(result: RunResult): void {
    const specs = result.specs.filter((s) => (s.tokenMatrix?.length ?? 0) > 0);
    if (specs.length === 0) return;
    this.#line('');
    this.#line(this.#c('bold', 'Token matrix:'));
    const width = Math.max(...specs.flatMap((s) => s.tokenMatrix!.map((t) => t.tokenType.length)));
    for (const spec of specs) {
      this.#line(`  ${oneLine(spec.endpoint)}  ${this.#c('gray', oneLine(spec.file))}`);
      for (const t of spec.tokenMatrix!) {
        const verdict = t.verdict === 'unavailable' ? this.#c('gray', 'unavailable') : this.#c(VERDICT_STYLE[t.verdict], t.verdict);
        this.#line(`    ${oneLine(t.tokenType).padEnd(width)}  ${verdict}${t.reason ? `  ${oneLine(t.reason)}` : ''}`);
      }
    }
  }

  #stepLine(step: StepResult): string {
    const sym = this.#c(step.outcome === 'passed' ? 'green' : step.outcome === 'failed' ? 'red' : 'gray', STEP_SYMBOL[step.outcome]);
    const name = `${sym} ${step.phase} ${oneLine(step.id)}`;
    if (step.outcome === 'skipped') return `${name}  skipped${step.skipReason ? `: ${oneLine(step.skipReason)}` : ''}`;
    const status = step.status !== undefined ? `  ${step.status}` : '';
    const err = step.error ? `  ${step.error.code}: ${oneLine(step.error.message)}` : '';
    return `${name}  ${step.method} ${oneLine(step.url)}${status}  ${formatDuration(step.durationMs)}${err}`;
  }

  #printFailure(spec: SpecResult): void {
    const o = this.#o;
    this.#line('');
    this.#line(`${this.#c(VERDICT_STYLE[spec.verdict], `${VERDICT_SYMBOL[spec.verdict]} ${spec.verdict}`)} ${this.#c('bold', oneLine(spec.endpoint || spec.file))}`);
    const step = failingStep(spec);
    if (spec.diagnostics?.length) {
      // The diagnostics are the reason; each once, through the one diagnostic renderer (hurl-style).
      for (const d of spec.diagnostics) {
        for (const l of renderDiagnostic(d, { source: d.span ? this.#o.sources(d.span.file) : undefined, color: this.#ansi }).split('\n')) this.#line(`  ${l}`);
      }
      return;
    }
    const reason = specReason(spec);
    this.#line(`  ${reason}`);
    if (step) {
      const failed = step.assertions.filter((x) => !x.passed);
      const pointers = failed.map((a) => (a.span ? pointerLines(a, this.#sourceLine(spec.file, a.span.line)) : []));
      this.#line(`  --> ${oneLine(spec.file)}:${step.span.line}  step ${oneLine(step.id)} (${step.phase})`);
      // The step's own line only when no expectation line says more.
      const source = pointers.some((p) => p.length > 0) ? undefined : this.#sourceLine(spec.file, step.span.line);
      if (source !== undefined) {
        const gutter = String(step.span.line);
        this.#line(`  ${this.#c('gray', `${gutter} |`)} ${source}`);
      }
      const status = step.status !== undefined ? ` -> ${step.status}` : ' -> no response';
      const attempts = step.attempts > 1 ? ` (${step.attempts} attempts)` : '';
      this.#line(`  request: ${step.method} ${oneLine(step.url)}${status}${attempts}  ${formatDuration(step.durationMs)}`);
      for (const [i, a] of failed.entries()) {
        this.#line(`  ${this.#c('red', '✗')} ${describeAssertion(a)}`);
        for (const l of pointers[i] ?? []) this.#line(`    ${l.startsWith('-->') ? l : this.#c('gray', l.slice(0, l.indexOf('|') + 1)) + l.slice(l.indexOf('|') + 1)}`);
      }
      // The error line only when the reason above does not already say it.
      if (step.error && !reason.includes(oneLine(step.error.message))) this.#line(`  ${this.#c('red', 'error')} (${step.error.code}): ${oneLine(step.error.message)}`);
      // The reports keep the whole (capped) bodies; the console shows an excerpt, a longer one with -v.
      const excerpt = this.#o.verbose ? VERBOSE_EXCERPT : EXCERPT;
      if (step.requestBody && this.#o.verbose) this.#line(`  request body: ${truncate(oneLine(step.requestBody), excerpt)}`);
      if (step.responseSnippet) {
        const lines = stripEscapes(step.responseSnippet).split(/\r\n|\r|\n/);
        this.#line(`  response${step.responseContentType ? ` (${oneLine(step.responseContentType)})` : ''}:`);
        for (const l of lines.slice(0, SNIPPET_LINES)) this.#line(`    ${truncate(l, excerpt)}`);
        if (lines.length > SNIPPET_LINES) this.#line('    …');
      }
    } else {
      this.#line(`  --> ${oneLine(spec.file)}`);
    }
    for (const g of spec.gatewayAttempts ?? []) this.#line(`  ${g.gateway} gateway: ${g.verdict}${g.reason ? ` (${oneLine(g.reason)})` : ''}`);
  }

  #printFindings(result: RunResult): void {
    const specs = result.specs.filter((s) => s.findings.length > 0);
    if (specs.length === 0) return;
    this.#line('');
    this.#line(this.#c('bold', 'OpenAPI findings:'));
    for (const spec of specs) {
      for (const f of spec.findings) {
        const step = spec.steps.find((s) => s.id === f.stepId);
        const where = step ? `${spec.file}:${step.span.line}` : spec.file;
        const label = this.#c(f.severity === 'error' ? 'red' : 'yellow', f.severity);
        this.#line(`${label}: ${oneLine(spec.endpoint)} (${oneLine(where)}) ${f.aspect}: documented ${oneLine(f.documented)}; actual ${oneLine(f.actual)}`);
        if (f.evidence) this.#line(`  evidence${f.pointer ? ` at ${oneLine(f.pointer)}` : ''}: ${truncate(oneLine(f.evidence), 200)}`);
      }
    }
  }

  #printWriteBacks(result: RunResult): void {
    const problems = failedWriteBacks(result);
    if (problems.length === 0) return;
    this.#line('');
    this.#line(this.#c('bold', `Front-matter not updated (${problems.length} ${problems.length === 1 ? 'file' : 'files'}):`));
    for (const p of problems) this.#line(`${this.#c('yellow', `! ${p.outcome}`)} ${oneLine(p.file)}: ${oneLine(p.message)}`);
  }

  /** One line per token type a provider fetched: how often, and why again. */
  #printTokenProviders(result: RunResult): void {
    const rows = result.tokenProviders ?? [];
    if (rows.length === 0) return;
    this.#line('');
    this.#line(this.#c('bold', 'Tokens fetched:'));
    for (const t of rows) {
      const why = [t.beforeExpiry > 0 ? `${t.beforeExpiry} before expiry` : '', t.after401 > 0 ? `${t.after401} after a 401` : ''].filter(Boolean);
      const again = t.fetches > 1 ? ` (refreshed ${why.join(', ')})` : '';
      this.#line(`  ${oneLine(t.api)} ${oneLine(t.tokenType)}: ${oneLine(t.provider)}, fetched ${t.fetches === 1 ? 'once' : `${t.fetches} times`}${again}`);
    }
  }

  #summary(result: RunResult): string {
    const s = result.summary;
    const parts = [
      this.#c(s.verified > 0 ? 'green' : 'gray', `${s.verified} verified`),
      this.#c(s.failing > 0 ? 'red' : 'gray', `${s.failing} failing`),
      this.#c(s.blocked > 0 ? 'yellow' : 'gray', `${s.blocked} blocked`),
      // Outcomes that are rare in a healthy run are named only when they occur.
      ...(s.error > 0 ? [this.#c('magenta', `${s.error} error`)] : []),
      ...(s.invalid > 0 ? [this.#c('red', `${s.invalid} invalid`)] : []),
      ...(s.skipped > 0 ? [`${s.skipped} skipped`] : []),
    ];
    let line = `${parts.join(', ')} (${s.total} spec${s.total === 1 ? '' : 's'}) in ${formatDuration(s.durationMs)}`;
    const fallback = result.specs.filter((x) => x.verdict === 'verified' && x.gateway === 'fallback').length;
    if (fallback > 0) line += `; ${fallback} verified via the fallback gateway`;
    if (result.interrupted) line += `; ${this.#c('yellow', 'interrupted')}, not every spec ran`;
    const unwritten = failedWriteBacks(result).length;
    if (unwritten > 0) line += `; ${this.#c('yellow', `${unwritten} write-back${unwritten === 1 ? '' : 's'} failed`)}`;
    return line;
  }

  #sourceLine(file: string, line: number): string | undefined {
    if (!this.#sources.has(file)) {
      const text = this.#o.sources(file);
      this.#sources.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    const index = this.#sources.get(file);
    if (!index || line < 1 || line > index.lineCount) return undefined;
    return oneLine(index.lineText(line));
  }

  #c(style: Style, s: string): string {
    return this.#ansi ? `${STYLE[style]}${s}${STYLE.reset}` : s;
  }

  /** A line printed while the run goes (above the progress line). */
  #println(s: string): void {
    if (this.#progress) this.#progress.println(s);
    else this.#o.stdout.write(`${s}\n`);
  }

  #line(s: string): void {
    this.#o.stdout.write(`${s}\n`);
  }
}

function key(spec: SpecResult): string {
  return `${spec.file}\u0000${spec.endpoint}\u0000${spec.tokenType ?? ''}`;
}

