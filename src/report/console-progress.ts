import { formatDuration, truncate } from './format.js';

export interface ProgressStream {
  write(s: string): unknown;
  columns?: number;
}

export interface ProgressCounts {
  done: number;
  total: number;
  passed: number;
  failed: number;
}

const CLEAR_LINE = '\r\u001b[2K';
/** At most ten redraws a second: a fast run must not spend its time repainting. */
const MIN_INTERVAL_MS = 100;

/**
 * The live line at the bottom of a terminal ("12/40 ✓ 10 ✗ 2 3.4 s"), redrawn
 * in place. Callers print permanent lines through `println` so the progress
 * line is cleared first and drawn again below them.
 */
export class ProgressLine {
  readonly #out: ProgressStream;
  readonly #now: () => number;
  readonly #started: number;
  #counts: ProgressCounts = { done: 0, total: 0, passed: 0, failed: 0 };
  #visible = false;
  #lastDraw = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(out: ProgressStream, now: () => number) {
    this.#out = out;
    this.#now = now;
    this.#started = now();
    // The elapsed time keeps moving even while a slow spec runs.
    this.#ticker = setInterval(() => this.update(), 1000);
    this.#ticker.unref();
  }

  update(counts?: Partial<ProgressCounts>): void {
    if (this.#stopped) return;
    if (counts) this.#counts = { ...this.#counts, ...counts };
    const wait = this.#lastDraw + MIN_INTERVAL_MS - this.#now();
    if (wait <= 0) {
      this.#draw();
      return;
    }
    if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (!this.#stopped) this.#draw();
      }, wait);
      this.#timer.unref();
    }
  }

  /** A permanent line above the progress line. */
  println(line: string): void {
    this.#out.write(`${this.#visible ? CLEAR_LINE : ''}${line}\n`);
    this.#visible = false;
    this.update();
  }

  /** Takes the line off the screen until the next update (before something else writes to the terminal). */
  hide(): void {
    if (this.#visible) this.#out.write(CLEAR_LINE);
    this.#visible = false;
  }

  /** Removes the line for good (before the final report is printed). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ticker) clearInterval(this.#ticker);
    this.#timer = undefined;
    this.#ticker = undefined;
    if (this.#visible) this.#out.write(CLEAR_LINE);
    this.#visible = false;
  }

  #draw(): void {
    const c = this.#counts;
    const elapsed = formatDuration(this.#now() - this.#started);
    const text = `${c.done}/${c.total} \u001b[32m✓ ${c.passed}\u001b[0m \u001b[31m✗ ${c.failed}\u001b[0m ${elapsed}`;
    const plainWidth = `${c.done}/${c.total} ✓ ${c.passed} ✗ ${c.failed} ${elapsed}`.length;
    // A line wider than the terminal wraps, and \r would then redraw only its last row.
    const cols = this.#out.columns ?? 80;
    const line = plainWidth < cols ? text : truncate(`${c.done}/${c.total} ✓${c.passed} ✗${c.failed}`, Math.max(1, cols - 1));
    this.#out.write(`${CLEAR_LINE}${line}`);
    this.#visible = true;
    this.#lastDraw = this.#now();
  }
}
