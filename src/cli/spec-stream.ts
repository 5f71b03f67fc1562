import { readSpecSync, type LoadedSpec } from '../spec/parse.js';

/**
 * The specs of a `verify` run, parsed while earlier ones are in flight
 * instead of all before the first request: parsing fills the time spent
 * waiting for the server, and only the specs running or read ahead are held
 * in memory, however large the corpus.
 *
 * A worker asking for the next spec gets one read ahead if there is one, or
 * has it parsed on the spot; after each ask, more are parsed in later turns of
 * the event loop (one per turn, so responses that arrive meanwhile are not
 * kept waiting), up to `readAhead`. Specs with errors never reach the run:
 * they go to `onBroken` as they are found.
 */
export interface SpecStreamOptions {
  /** Absolute paths, in report order. */
  files: readonly string[];
  displayPath(absPath: string): string;
  readAhead: number;
  onBroken(spec: LoadedSpec): void;
  /** Every spec handed to the run, when it is handed over. */
  onSpec?(spec: LoadedSpec): void;
}

export function streamSpecs(opts: SpecStreamOptions): AsyncIterable<LoadedSpec> {
  return { [Symbol.asyncIterator]: () => new SpecStream(opts) };
}

class SpecStream implements AsyncIterator<LoadedSpec> {
  readonly #o: SpecStreamOptions;
  #next = 0;
  readonly #ready: LoadedSpec[] = [];
  #scheduled = false;

  constructor(opts: SpecStreamOptions) {
    this.#o = opts;
  }

  next(): Promise<IteratorResult<LoadedSpec>> {
    const spec = this.#ready.shift() ?? this.#parseNext();
    this.#fill();
    if (!spec) return Promise.resolve({ done: true, value: undefined });
    this.#o.onSpec?.(spec);
    return Promise.resolve({ done: false, value: spec });
  }

  /** The next spec without errors, or undefined at the end. */
  #parseNext(): LoadedSpec | undefined {
    while (this.#next < this.#o.files.length) {
      const abs = this.#o.files[this.#next++]!;
      const spec = readSpecSync(abs, this.#o.displayPath(abs));
      if (spec.diagnostics.some((d) => d.severity === 'error')) this.#o.onBroken(spec);
      else return spec;
    }
    return undefined;
  }

  #fill(): void {
    if (this.#scheduled || this.#ready.length >= this.#o.readAhead || this.#next >= this.#o.files.length) return;
    this.#scheduled = true;
    // Two turns later, not one: undici sends a queued request from an immediate of its own, and
    // the request that just started should be on the wire before this parse takes the thread.
    setImmediate(() =>
      setImmediate(() => {
        this.#scheduled = false;
        const spec = this.#parseNext();
        if (spec) this.#ready.push(spec);
        this.#fill();
      }),
    );
  }
}
