import { unlinkSync } from 'node:fs';
import { holdsLock, inspectLock, type LockOwner } from './file-lock.js';

/**
 * The temp files and locks this process has created or is about to create. A path is registered
 * before the call that creates it, so a signal arriving between creation and registration cannot
 * leave it behind; on exit each is removed (a lock only if it still holds this process's id, or
 * is still empty while this process is creating it).
 * Kept apart from write-back.ts so that bin.ts can install the exit cleanup at startup without
 * loading the write-back code.
 */

/** A temp file, or a lock with its owner; `creating` until its owner has been written into it. */
export type Owned = 'temp' | { owner: LockOwner; creating: boolean };

const owned = new Map<string, Owned>();

export function registerOwned(file: string, what: Owned): void {
  owned.set(file, what);
}

export function unregisterOwned(file: string): void {
  owned.delete(file);
}

export function isOwned(file: string): boolean {
  return owned.has(file);
}

/** Removes this process's temp files and locks (synchronous: safe in an exit handler). */
export function cleanupOwned(): void {
  for (const [p, what] of owned) {
    try {
      if (what === 'temp' || holdsLock(p, what.owner) || (what.creating && inspectLock(p).kind === 'creating')) unlinkSync(p);
    } catch {
      // already renamed or gone
    }
  }
  owned.clear();
}

let installed = false;
/** On exit (including process.exit from a signal handler), nothing this process registered is left. */
export function installExitCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupOwned);
}
