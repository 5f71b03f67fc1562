import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, unlinkSync, linkSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A per-file lock for write-back: a small regular file created exclusively (`O_CREAT|O_EXCL`)
 * next to the spec, holding its owner's identity: process id, the process's start time (so a
 * reused pid is not mistaken for the owner), host name and a random id unique to the lock.
 *
 * Why not age (or a library that refreshes an mtime, such as proper-lockfile): a live process
 * that is paused (SIGSTOP, a suspended laptop, a stalled VM or disk) stops refreshing, so an
 * age rule hands its lock to another run while it still intends to rename; that is how a spec
 * was once truncated to 0 bytes. Here a lock is taken over only when its owner is provably gone:
 * same host and the pid no longer runs, or runs with another start time. A live owner, however
 * slow, keeps it; a waiter gives up after a bounded wait instead.
 *
 * Everything else found at the lock path (a folder, a symlink, a FIFO, a file that is not a lock
 * of ours and is not a lock being created) is never removed or opened for reading in a way that
 * could block: the write-back reports it and moves on.
 */

export interface LockOwner {
  pid: number;
  /** Process start time as the OS reports it (Linux: clock ticks after boot), '' when unknown. */
  start: string;
  host: string;
  /** Random, unique per acquired lock; also names the owner's temp file. */
  id: string;
}

const MAGIC = 'endpoint-verify lock v1';

/** The start time of a process, '' where the OS does not tell (non-Linux). */
export function processStartTime(pid: number): string {
  try {
    const fd = openSync(`/proc/${pid}/stat`, 'r');
    try {
      const buf = Buffer.alloc(1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      const text = buf.toString('utf8', 0, n);
      // Fields after "(comm)": the command name may hold spaces and parentheses, so split after the last ')'.
      const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // starttime is field 22 of proc(5); rest[0] is field 3.
      return rest[19] ?? '';
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

let self: Omit<LockOwner, 'id'> | undefined;
/** This process as a lock owner, with a fresh id. */
export function newOwner(): LockOwner {
  self ??= { pid: process.pid, start: processStartTime(process.pid), host: hostname() };
  return { ...self, id: `${process.pid.toString(36)}-${randomBytes(6).toString('hex')}` };
}

export function serializeOwner(o: LockOwner): string {
  return `${MAGIC}\npid=${o.pid}\nstart=${o.start}\nhost=${o.host}\nid=${o.id}\n`;
}

export function parseOwner(text: string): LockOwner | undefined {
  if (!text.startsWith(`${MAGIC}\n`)) return undefined;
  const fields = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const pid = Number(fields.get('pid'));
  const id = fields.get('id');
  if (!Number.isInteger(pid) || pid <= 0 || !id) return undefined;
  return { pid, start: fields.get('start') ?? '', host: fields.get('host') ?? '', id };
}

/** 'dead' only when provably so; a lock of another host is 'unknown' and kept. */
export function ownerState(o: LockOwner): 'alive' | 'dead' | 'unknown' {
  if (o.host !== hostname()) return 'unknown';
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
    return 'alive';
  }
  if (o.start && o.pid !== process.pid) {
    const now = processStartTime(o.pid);
    if (now && now !== o.start) return 'dead'; // the pid was reused by another process
  }
  return 'alive';
}

/** What occupies a lock path: a lock of ours (with its owner), a lock being created, or something else. */
export type LockSight =
  | { kind: 'free' }
  | { kind: 'lock'; owner: LockOwner; text: string }
  | { kind: 'creating'; ageMs: number; text: string }
  | { kind: 'foreign'; what: string };

/**
 * Looks at the lock path without following links and without blocking: a FIFO or a device is
 * never opened, a regular file is opened with O_NOFOLLOW|O_NONBLOCK and checked to be the same
 * file that was looked at.
 */
export function inspectLock(lockPath: string): LockSight {
  let st;
  try {
    st = lstatSync(lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    return { kind: 'foreign', what: `something that cannot be inspected (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!st.isFile()) return { kind: 'foreign', what: describeKind(st) };
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    return { kind: 'foreign', what: `a file that cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const fst = fstatSync(fd);
    if (!fst.isFile() || fst.size > 4096) return { kind: 'foreign', what: 'a file that is not a lock of endpoint-verify' };
    const buf = Buffer.alloc(Number(fst.size));
    const n = fst.size > 0 ? readSync(fd, buf, 0, buf.length, 0) : 0;
    const text = buf.toString('utf8', 0, n);
    const owner = parseOwner(text);
    if (owner) return { kind: 'lock', owner, text };
    // Created but its owner line not yet written (a window of microseconds), or a crash in that window.
    if (text === '' || MAGIC.startsWith(text) || text.startsWith(MAGIC)) return { kind: 'creating', ageMs: Date.now() - fst.mtimeMs, text };
    return { kind: 'foreign', what: 'a file that is not a lock of endpoint-verify' };
  } finally {
    closeSync(fd);
  }
}

function describeKind(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  return 'a device or special file';
}

/** Whether the lock at `lockPath` is still exactly the one `owner` created (read without blocking). */
export function holdsLock(lockPath: string, owner: LockOwner): boolean {
  const seen = inspectLock(lockPath);
  return seen.kind === 'lock' && seen.owner.id === owner.id;
}

/**
 * Removes a dead owner's lock without ever removing a live one that replaced it meanwhile: the
 * lock is first renamed to a name only this process uses, then checked to still be the one
 * judged dead; if another run's new lock was taken instead, it is put back (link fails if yet
 * another run has locked since; that run's owner check before its rename then keeps it safe).
 * Returns true when the dead lock is gone.
 */
export function removeDeadLock(lockPath: string, dead: { text: string }, scratchName: string): boolean {
  try {
    renameSync(lockPath, scratchName);
  } catch {
    return false;
  }
  const moved = inspectLock(scratchName);
  if ((moved.kind === 'lock' || moved.kind === 'creating') && moved.text === dead.text) {
    try {
      unlinkSync(scratchName);
    } catch {
      // gone already
    }
    return true;
  }
  try {
    linkSync(scratchName, lockPath);
  } catch {
    // Someone locked meanwhile; the displaced owner's check before its rename will see it lost the lock.
  }
  try {
    unlinkSync(scratchName);
  } catch {
    // gone already
  }
  return false;
}

/** Creates the lock exclusively and writes its owner; EEXIST and other errors are thrown. */
export async function createLock(
  lockPath: string,
  owner: LockOwner,
  fs: { createSync(path: string, mode: number): number; write(fd: number, bytes: Buffer): Promise<void> },
): Promise<void> {
  // Created synchronously (see WriteBackFs.createSync in write-back.ts), written asynchronously.
  const fd = fs.createSync(lockPath, 0o644);
  try {
    await fs.write(fd, Buffer.from(serializeOwner(owner)));
  } catch (e) {
    // A full disk: the empty lock is ours (just created), so it goes.
    closeSync(fd);
    await nodeFs.unlink(lockPath).catch(() => undefined);
    throw e;
  }
  closeSync(fd);
}
