import path from 'node:path';
import type { Verdict } from '../result/result.js';

/**
 * `use:` bookkeeping for one run. A spec's chain is evaluated at most once per
 * run, whoever asks first (the scheduler for a selected spec, or another
 * spec's `use:` step); everyone else awaits the same promise. Cycles are found
 * on the live wait-for graph, so a cycle through an evaluation that is already
 * in progress is caught instead of deadlocking.
 */

/** `verdict`: the used spec's verdict when it did not verify (`invalid` for a cycle or a file with errors). */
export type UseOutcome = { ok: true; vars: Record<string, unknown> } | { ok: false; reason: string; verdict?: Verdict };

export interface SpecLike {
  absPath: string;
  file: string;
}

export interface UseRegistryOptions<S extends SpecLike, E> {
  /** Specs already loaded (the run's selection), by absolute path. */
  known: ReadonlyMap<string, S>;
  /** Loads a spec that is only used, never selected. */
  load(absPath: string): Promise<S | { error: string }>;
  /** Runs a spec's chain (with its own API, gateway and token). Must not throw. */
  evaluate(spec: S): Promise<E>;
  /** What a using spec gets from an evaluation. */
  outcome(evaluation: E, spec: S): UseOutcome;
  /** Whether the used spec actually ran (a use counts toward timesReused only then). */
  ran(evaluation: E): boolean;
  /** What an entry keeps after `settle`; without it, everything is kept. */
  settle?(spec: S, evaluation: E): { spec: S; evaluation: E };
}

export interface UseCount<S> {
  spec: S;
  /** Distinct specs that used it. */
  users: Set<string>;
}

interface Entry<S, E> {
  promise: Promise<{ spec: S; evaluation: E } | { error: string }>;
}

export class UseRegistry<S extends SpecLike, E> {
  readonly #opts: UseRegistryOptions<S, E>;
  readonly #entries = new Map<string, Entry<S, E>>();
  /** caller absPath -> the absPath it is waiting on right now (a chain runs one step at a time). */
  readonly #waitingOn = new Map<string, string>();
  readonly #counts = new Map<string, UseCount<S>>();
  /** absPath -> display path, for naming a cycle. */
  readonly #names = new Map<string, string>();

  constructor(opts: UseRegistryOptions<S, E>) {
    this.#opts = opts;
  }

  /** The evaluation of a spec, started now or shared if already started. */
  evaluation(spec: S): Promise<E> {
    return this.#entry(spec.absPath, spec).promise.then((r) => {
      // A known spec is never loaded, so there is no load error to see here.
      if ('error' in r) throw new Error(r.error);
      return r.evaluation;
    });
  }

  /**
   * The caller is done with this spec's full evaluation: a later `use:` still gets the same
   * outcome, from what `settle` keeps.
   */
  settle(absPath: string): void {
    const entry = this.#entries.get(absPath);
    const slim = this.#opts.settle;
    if (!entry || !slim) return;
    entry.promise = entry.promise.then((r) => ('error' in r ? r : slim(r.spec, r.evaluation)));
  }

  /** Whether an evaluation of this spec has been started (by a use or by the scheduler). */
  started(absPath: string): boolean {
    return this.#entries.has(absPath);
  }

  /**
   * A `use:` step of `caller` asks for `usePath` (absolute, or relative to the
   * caller's folder). Resolves to the used spec's extracted variables, or a
   * reason the using spec is blocked.
   */
  async use(caller: SpecLike, usePath: string): Promise<UseOutcome> {
    const target = path.isAbsolute(usePath) ? path.normalize(usePath) : path.resolve(path.dirname(caller.absPath), usePath);
    this.#names.set(caller.absPath, caller.file);
    const cycle = this.#cycle(caller.absPath, target);
    if (cycle) return { ok: false, verdict: 'invalid', reason: `use cycle: ${cycle.map((p) => this.#display(p)).join(' -> ')}` };

    this.#waitingOn.set(caller.absPath, target);
    let loaded: { spec: S; evaluation: E } | { error: string };
    try {
      loaded = await this.#entry(target, this.#opts.known.get(target)).promise;
    } finally {
      this.#waitingOn.delete(caller.absPath);
    }
    if ('error' in loaded) return { ok: false, verdict: 'invalid', reason: loaded.error };

    if (this.#opts.ran(loaded.evaluation)) {
      const count = this.#counts.get(target) ?? { spec: loaded.spec, users: new Set<string>() };
      count.users.add(caller.absPath);
      this.#counts.set(target, count);
    }
    return this.#opts.outcome(loaded.evaluation, loaded.spec);
  }

  /** Every spec used during the run, with who used it. */
  counts(): UseCount<S>[] {
    return [...this.#counts.values()];
  }

  #entry(absPath: string, known: S | undefined): Entry<S, E> {
    let entry = this.#entries.get(absPath);
    if (!entry) {
      entry = { promise: this.#start(absPath, known) };
      this.#entries.set(absPath, entry);
    }
    return entry;
  }

  async #start(absPath: string, known: S | undefined): Promise<{ spec: S; evaluation: E } | { error: string }> {
    let spec = known;
    if (!spec) {
      const loaded = await this.#opts.load(absPath).catch((err: unknown) => ({
        error: `cannot read ${absPath}: ${err instanceof Error ? err.message : String(err)}`,
      }));
      if ('error' in loaded) return loaded;
      spec = loaded;
    }
    this.#names.set(absPath, spec.file);
    return { spec, evaluation: await this.#opts.evaluate(spec) };
  }

  #display(absPath: string): string {
    return this.#names.get(absPath) ?? this.#opts.known.get(absPath)?.file ?? absPath;
  }

  /** The cycle `caller -> target -> ... -> caller` if waiting on target would close one. */
  #cycle(caller: string, target: string): string[] | undefined {
    const chain = [caller, target];
    let current = target;
    while (current !== caller) {
      const next = this.#waitingOn.get(current);
      if (next === undefined) return undefined;
      chain.push(next);
      current = next;
      // The graph has one out-edge per node, so a walk longer than the node count is a cycle not through caller.
      if (chain.length > this.#waitingOn.size + 2) return undefined;
    }
    return chain;
  }
}
