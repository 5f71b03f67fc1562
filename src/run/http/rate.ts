import { sleep } from './retry.js';

/**
 * Spaces requests to one origin at most `perSecond` apart. Each caller
 * reserves the next free slot before waiting, so concurrent callers queue in
 * order instead of all waking at once.
 */
export interface OriginPacer {
  /** Waits for this origin's next slot; false when the signal aborted the wait. */
  wait(origin: string, signal?: AbortSignal): Promise<boolean>;
}

export function createOriginPacer(perSecond: number | undefined, now: () => number = Date.now): OriginPacer {
  if (perSecond === undefined || !Number.isFinite(perSecond) || perSecond <= 0) {
    return { wait: (_origin, signal) => Promise.resolve(!signal?.aborted) };
  }
  const gap = 1000 / perSecond;
  const nextFree = new Map<string, number>();
  return {
    wait(origin, signal) {
      const t = now();
      const slot = Math.max(t, nextFree.get(origin) ?? t);
      nextFree.set(origin, slot + gap);
      return sleep(slot - t, signal);
    },
  };
}
