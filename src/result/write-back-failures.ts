import type { RunResult, WriteBackResult } from './result.js';

/**
 * The write-backs that did not record a verdict the run meant to record: `conflict` (the file
 * changed during the run), `refused` (read-only, a symlink out of the spec folders) and `error`
 * (I/O: a full disk, a lock that could not be had). `written`, `unchanged` and `skipped` (nothing
 * to record, e.g. the run itself failed) are not failures. One owner of the rule: the exit code
 * (3 when any) and every reporter's count use it.
 */
export interface FailedWriteBack {
  file: string;
  outcome: 'conflict' | 'refused' | 'error';
  message: string;
}

export function isFailedWriteBack(w: WriteBackResult | undefined): boolean {
  return w !== undefined && (w.outcome === 'conflict' || w.outcome === 'refused' || w.outcome === 'error');
}

export function failedWriteBacks(result: Pick<RunResult, 'specs' | 'reuseWrites'>): FailedWriteBack[] {
  const out: FailedWriteBack[] = [];
  const add = (file: string, w: WriteBackResult | undefined): void => {
    if (w && isFailedWriteBack(w)) out.push({ file, outcome: w.outcome as FailedWriteBack['outcome'], message: w.message ?? 'not written' });
  };
  for (const s of result.specs) add(s.file, s.writeBack);
  for (const r of result.reuseWrites ?? []) add(r.file, r.writeBack);
  return out;
}
