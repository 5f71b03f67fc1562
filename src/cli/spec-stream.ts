import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { drain, readSpecInStages, type LoadedSpec, type Stages } from '../specfile/parse.js';

/**
 * The specs of a `verify` run, parsed while earlier ones are in flight
 * instead of all before the first request: parsing fills the time spent
 * waiting for the server, and only the specs running or read ahead are held
 * in memory, however large the corpus.
 *
 * A worker asking for the next spec gets one read ahead if there is one, or
 * has it parsed on the spot; after each ask, more are parsed in later turns of
 * the event loop, up to `readAhead`. Each turn does one stage of a spec (the
 * read and front-matter, or one step block), so a response that arrives
 * meanwhile waits for a stage, not a whole spec, and the parse spreads over
 * every request's wait rather than filling only the first. Specs with errors
 * go to `onBroken` as they are found and are still handed on, in order, so the
 * run reports them as `invalid` where they belong.
 */
export interface SpecStreamOptions {
  /** Absolute paths, in report order. */
  files: readonly string[];
  displayPath(absPath: string): string;
  readAhead: number;
  onBroken(spec: LoadedSpec): void;
  /** Checks beyond the parse (e.g. lint rules a run enforces); their diagnostics are added to the spec's. */
  check?(spec: LoadedSpec): Diagnostic[];
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
  /** The spec being parsed in the background, between two of its stages. */
  #partial: Stages<LoadedSpec> | undefined;
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

  /** The next spec, parsed now (finishing one begun in the background), or undefined at the end. */
  #parseNext(): LoadedSpec | undefined {
    const stages = this.#partial ?? this.#start();
    if (!stages) return undefined;
    this.#partial = undefined;
    return this.#checked(drain(stages));
  }

  #start(): Stages<LoadedSpec> | undefined {
    if (this.#next >= this.#o.files.length) return undefined;
    const abs = this.#o.files[this.#next++]!;
    return readSpecInStages(abs, this.#o.displayPath(abs));
  }

  #checked(spec: LoadedSpec): LoadedSpec {
    if (!spec.diagnostics.some((d) => d.severity === 'error') && this.#o.check) spec.diagnostics.push(...this.#o.check(spec));
    if (spec.diagnostics.some((d) => d.severity === 'error')) this.#o.onBroken(spec);
    return spec;
  }

  /** One stage of background parsing. */
  #stage(): void {
    const stages = this.#partial ?? this.#start();
    if (!stages) return;
    const r = stages.next();
    if (!r.done) {
      this.#partial = stages;
      return;
    }
    this.#partial = undefined;
    this.#ready.push(this.#checked(r.value));
  }

  #fill(): void {
    if (this.#scheduled || this.#ready.length >= this.#o.readAhead) return;
    if (!this.#partial && this.#next >= this.#o.files.length) return;
    this.#scheduled = true;
    // Two turns later, not one: undici sends a queued request from an immediate of its own, and
    // the request that just started should be on the wire before this parse takes the thread.
    setImmediate(() =>
      setImmediate(() => {
        this.#scheduled = false;
        this.#stage();
        this.#fill();
      }),
    );
  }
}
