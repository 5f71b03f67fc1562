import type { SandboxFault } from './knobs.js';

export interface SandboxLogEntry {
  /** Also sent as the x-sandbox-request-id response header. */
  id: number;
  method: string;
  /** Path as received, without the query string. */
  path: string;
  /** 0 when the socket was reset without an answer. */
  status: number;
  fault?: SandboxFault;
}

export interface PathCounts {
  requests: number;
  byStatus: Record<string, number>;
  faults: Partial<Record<SandboxFault, number>>;
}

/**
 * The log keeps the most recent entries only, so a long soak cannot grow it
 * without bound; the per-path counts are never trimmed and stay exact.
 */
export class RequestLog {
  readonly entries: SandboxLogEntry[] = [];
  readonly counts: Record<string, PathCounts> = Object.create(null) as Record<string, PathCounts>;

  constructor(
    private readonly keep: boolean,
    private readonly limit: number,
  ) {}

  record(entry: SandboxLogEntry): void {
    const key = `${entry.method} ${entry.path}`;
    const c = (this.counts[key] ??= { requests: 0, byStatus: {}, faults: {} });
    c.requests++;
    c.byStatus[entry.status] = (c.byStatus[entry.status] ?? 0) + 1;
    if (entry.fault) c.faults[entry.fault] = (c.faults[entry.fault] ?? 0) + 1;
    if (!this.keep) return;
    this.entries.push(entry);
    // shift() on a large array is a cheap left-trim in V8, so the bound can be exact.
    while (this.entries.length > this.limit) this.entries.shift();
  }
}
