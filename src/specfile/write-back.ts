import { closeSync, fchmodSync, fstatSync, fsync, openSync, write as fsWrite, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { WriteBackResult } from '../result/result.js';
import { editFrontMatter, maskOwnedValues, ownedValues, type OwnedValues } from './front-matter-edit.js';
import { isInside } from './discover.js';
import { cleanupOwned, installExitCleanup, isOwned, registerOwned, unregisterOwned } from './owned-paths.js';
import { createLock, holdsLock, inspectLock, newOwner, ownerState, removeDeadLock, type LockOwner } from './file-lock.js';
import type { SpecStatus } from './model.js';

/**
 * Writes a run's verdict into a spec file: only the owned keys change, and nothing a person or
 * another run wrote is ever lost. The design (docs/reliability.md, "Write-back"):
 * - a lock file `.<name>.verify.lock` per spec, owned by pid + process start time + host + a
 *   random id (src/specfile/file-lock.ts); taken over only from a provably dead owner, never by age;
 * - the spec is read under the lock and the change applied to what is on disk now (so concurrent
 *   runs' `timesReused` increments add up);
 * - the new text goes to a temp file whose name is unique to this write
 *   (`.<name>.verify-<id>.tmp`), fsynced, then, just before the rename, two checks: the lock is
 *   still this write's, and the spec's bytes are still exactly those read under the lock. Any
 *   other change means `conflict` (or, when only owned keys changed, i.e. another run wrote, a
 *   retry on the new content); the temp file is removed;
 * - every path this write will create is registered for removal on exit before it exists.
 * Never throws.
 */

export interface OwnedChanges {
  status?: SpecStatus;
  verifiedAt?: string;
  timesReusedDelta?: number;
  useFallbackApi?: boolean;
}

/** The file operations used to write, injectable so tests can fail them (a full disk). */
export interface WriteBackFs {
  /**
   * Creates a file exclusively (O_CREAT|O_EXCL) and returns its descriptor. Synchronous on
   * purpose: an asynchronous create still in flight in the thread pool when a signal's exit
   * removes the registered paths would create the file after the cleanup (the stress bench saw it).
   */
  createSync(path: string, mode: number): number;
  /** Writes all of `bytes` from the start of an open file. */
  write(fd: number, bytes: Buffer): Promise<void>;
  /** Makes a written temp file durable (fsync); injectable so tests can fail it. */
  sync?(fd: number): Promise<void>;
}

/** The real file system: creation synchronous, writes and fsync through the thread pool. */
export const realWriteBackFs: WriteBackFs = {
  createSync: (p, mode) => openSync(p, 'wx', mode),
  write: async (fd, bytes) => {
    for (let at = 0; at < bytes.length; ) {
      const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
        fsWrite(fd, bytes, at, bytes.length - at, at, (e, n) => (e ? reject(e) : resolve({ bytesWritten: n }))),
      );
      at += bytesWritten;
    }
  },
};

export interface WriteBackOptions {
  /** Absolute path of the spec file. */
  file: string;
  /** The bytes the run parsed and ran. */
  originalBytes: Buffer;
  changes: OwnedChanges;
  /** Only files inside these folders (after resolving symlinks) are written. */
  roots: string[];
  fs?: WriteBackFs;
  /** Longest wait for a lock another live run holds, in ms (default 20 000); then an `error`. */
  maxWaitMs?: number;
  /**
   * Awaited after the temp file is complete, before the final check and the rename: a test seam
   * (and the stress bench's) to make races deterministic. Production runs leave it unset.
   */
  beforeRename?: () => Promise<void>;
  /**
   * Test seam: called synchronously just before the rename; the function it returns is called
   * just after. Lets a test make an edit land in the old file across the rename.
   */
  raceRename?: () => (() => void) | void;
  /**
   * Owned tables (--update-docs, src/specfile/tables/): applied after the front-matter edit to the
   * text read under the lock, so the verdict and the tables land in one atomic write.
   */
  editText?: (text: string) => { text: string } | { error: string };
  /**
   * Blanks the owned tables' contents (`tables/apply.ts maskOwnedTables`), given by a docs run, so
   * another run's table rewrite is not taken for a person's edit. Without it tables are compared as
   * they are: such a rewrite is then a conflict, never a lost edit.
   */
  maskTables?: (text: string) => string;
}

/** Removes this process's temp files and locks (after a signal, or any exit mid-write). */
export const cleanupTempFiles = cleanupOwned;
/** On exit (including after SIGINT/SIGTERM handlers call process.exit), no temp file or lock is left behind. */
export const installSignalCleanup = installExitCleanup;

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function decode(bytes: Buffer): { text: string; bom: boolean } {
  const bom = bytes.subarray(0, 3).equals(BOM);
  return { text: (bom ? bytes.subarray(3) : bytes).toString('utf8'), bom };
}

/** How often a write starts over because another run wrote the same file at the same moment. */
const MAX_ATTEMPTS = 8;

export async function writeBack(opts: WriteBackOptions): Promise<WriteBackResult> {
  const fs = opts.fs ?? realWriteBackFs;
  installSignalCleanup();
  const place = locate(opts.file, opts.roots);
  if ('outcome' in place) return place;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const r = await writeOnce(fs, opts, place);
    if (r !== 'again') return r;
  }
  return { outcome: 'conflict', message: 'other runs kept writing the file at the same moment; not updated' };
}

async function writeOnce(fs: WriteBackFs, opts: WriteBackOptions, place: { real: string; mode: number }): Promise<WriteBackResult | 'again'> {
  const { real, mode } = place;
  const lock = lockPathFor(real);
  const owner = newOwner();
  const held = await acquire(fs, { lock, real, owner, maxWaitMs: opts.maxWaitMs ?? MAX_WAIT_MS });
  if (held) return { outcome: 'error', message: held.error };
  const tmp = tempPathFor(real, owner.id);
  let renamed = false;
  try {
    // Read under the lock, synchronously: one small local file, and a thread-pool round trip per
    // call costs more than the read itself.
    const currentBytes = readFileSync(real);
    const current = decode(currentBytes);
    const original = decode(opts.originalBytes);
    if (!currentBytes.equals(opts.originalBytes)) {
      const masked = maskOwnedValues(current.text);
      const maskedBefore = maskOwnedValues(original.text);
      // The tables (a Markdown parse) are compared only when more than owned values changed.
      if (masked !== maskedBefore && maskTablesIn(masked, opts.maskTables) !== maskTablesIn(maskedBefore, opts.maskTables)) return { outcome: 'conflict', message: 'changed during the run, not updated' };
    }
    const now = ownedValues(current.text);
    const values: OwnedValues = {};
    const c = opts.changes;
    if (c.status !== undefined) values.status = c.status;
    if (c.verifiedAt !== undefined) values.verifiedAt = c.verifiedAt;
    if (c.timesReusedDelta) values.timesReused = (now.timesReused ?? 0) + c.timesReusedDelta;
    if (c.useFallbackApi !== undefined) values.useFallbackApi = c.useFallbackApi;
    const fm = editFrontMatter(current.text, values);
    if ('error' in fm) return { outcome: 'error', message: fm.error.message };
    const edited = opts.editText ? opts.editText(fm.text) : fm;
    if ('error' in edited) return { outcome: 'error', message: edited.error };
    if (edited.text === current.text) return { outcome: 'unchanged' };
    const bytes = Buffer.concat([current.bom ? BOM : Buffer.alloc(0), Buffer.from(edited.text, 'utf8')]);
    registerOwned(tmp, 'temp'); // before it exists: a signal between create and register leaves nothing
    try {
      const fd = fs.createSync(tmp, mode);
      try {
        await fs.write(fd, bytes);
        if (narrowedByUmask(mode)) fchmodSync(fd, mode);
        await (fs.sync ?? durable)(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      return { outcome: 'error', message: writeFailure(e) };
    }
    if (opts.beforeRename) await opts.beforeRename();
    else if (testDelayMs() > 0) await new Promise((r) => setTimeout(r, testDelayMs()));
    // The check before the rename: nothing may have changed since the read under the lock. From
    // here to the rename everything is synchronous, so the window an edit could slip into is a few
    // system calls wide; an edit that still lands in the old file is caught after the rename.
    if (!holdsLock(lock, owner)) return 'again';
    let old: number;
    try {
      old = openSync(real, 'r');
    } catch (e) {
      return { outcome: 'conflict', message: `the file went away during the write (${(e as NodeJS.ErrnoException).code ?? 'error'}), not updated` };
    }
    try {
      const seen = fstatSync(old, { bigint: true });
      const nowBytes = readAll(old);
      if (!nowBytes.equals(currentBytes)) {
        if (maskOwned(decode(nowBytes).text, opts.maskTables) === maskOwned(current.text, opts.maskTables)) return 'again';
        return { outcome: 'conflict', message: 'changed while it was being written, not updated' };
      }
      const raced = opts.raceRename?.();
      try {
        renameSync(tmp, real);
        renamed = true;
        raced?.();
        // The folder is not fsynced after the rename (as npm's write-file-atomic): a crash can at worst
        // keep the old, complete file, and a verdict is cheap to recompute; the cost was 0.2 ms a file.
      } catch (e) {
        return { outcome: 'error', message: writeFailure(e) };
      }
      const after = fstatSync(old, { bigint: true });
      if (after.size !== seen.size || after.mtimeNs !== seen.mtimeNs) {
        // Someone wrote to the file between the check and the rename (into the old file, now
        // unlinked but still open here): put that version back, so their edit is what stays.
        return restoreEdited(old, { real, bytes, tmp: `${tmp}.kept` });
      }
    } finally {
      closeSync(old);
    }
    const changes: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) changes[k] = v;
    if (edited.text !== fm.text) changes.tables = true;
    return { outcome: 'written', changes };
  } catch (e) {
    return { outcome: 'error', message: (e as Error).message };
  } finally {
    if (!renamed && isOwned(tmp)) await unlink(tmp).catch(() => undefined);
    unregisterOwned(tmp);
    try {
      if (holdsLock(lock, owner)) unlinkSync(lock);
    } catch {
      // gone already
    }
    unregisterOwned(lock);
  }
}

/** One fsync per temp file (grouping them measured slower: see docs/performance.md). */
function durable(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
}

/**
 * The text without what runs own: the owned front-matter values and, when a docs run gives the
 * masker, the owned tables' contents (another run may have rewritten either; a person's edit
 * anywhere else is a conflict).
 */
function maskOwned(text: string, maskTables: ((text: string) => string) | undefined): string {
  return maskTablesIn(maskOwnedValues(text), maskTables);
}

function maskTablesIn(text: string, maskTables: ((text: string) => string) | undefined): string {
  return maskTables && text.includes(MARKER) ? maskTables(text) : text;
}

const MARKER = 'endpoint-verify:';

let delayMs: number | undefined;
/**
 * ENDPOINT_VERIFY_TEST_WRITE_DELAY_MS: a pause before each check-and-rename, for tests and the
 * stress bench that drive the CLI (races made likely: edits, signals and SIGSTOP in the window).
 */
function testDelayMs(): number {
  delayMs ??= Math.max(0, Number(process.env.ENDPOINT_VERIFY_TEST_WRITE_DELAY_MS) || 0);
  return delayMs;
}

/**
 * After a rename that raced an edit: the edited old file (read through the still-open descriptor)
 * goes back in place of the run's version, unless the run's version was itself changed meanwhile.
 */
function restoreEdited(old: number, p: { real: string; bytes: Buffer; tmp: string }): WriteBackResult {
  registerOwned(p.tmp, 'temp');
  try {
    writeFileSync(p.tmp, readAll(old), { flag: 'wx', mode: fstatSync(old).mode & 0o7777 });
    const atPath = readFileSync(p.real);
    if (!atPath.equals(p.bytes)) {
      return { outcome: 'conflict', message: 'edited at the moment it was written; both versions changed since, the edit may need redoing' };
    }
    renameSync(p.tmp, p.real);
    return { outcome: 'conflict', message: 'edited at the moment it was written: the edit was kept, the verdict not written' };
  } catch (e) {
    return { outcome: 'error', message: `edited at the moment it was written, and restoring the edit failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    try {
      unlinkSync(p.tmp);
    } catch {
      // renamed into place
    }
    unregisterOwned(p.tmp);
  }
}

/** The whole file behind a descriptor, from its start whatever the descriptor's position. */
function readAll(fd: number): Buffer {
  const size = Number(fstatSync(fd).size);
  const buf = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    const n = readSync(fd, buf, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return buf.subarray(0, at);
}

function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') return 'disk full, file left unchanged';
  return `write failed (${code ?? (e as Error).message}), file left unchanged`;
}

let umask: number | undefined;

/**
 * Whether open() will have created the temp file with fewer permissions than the spec has. Only
 * then is a chmod needed: one system call fewer per file in the common case (a 0644 spec under a
 * 022 umask), which counts when the file system is what a write-back run waits on.
 */
function narrowedByUmask(mode: number): boolean {
  try {
    // Read once; process.umask() with no argument is a documented read of the process umask.
    umask ??= process.umask();
  } catch {
    return true;
  }
  return (mode & 0o7000) !== 0 || (mode & 0o777 & ~umask) !== (mode & 0o777);
}

/** The lock file of a spec (see src/specfile/file-lock.ts). */
export function lockPathFor(realPath: string): string {
  return path.join(path.dirname(realPath), `.${path.basename(realPath)}.verify.lock`);
}

/** The temp file of one write: the lock owner's id makes it unique, so no run renames another's. */
export function tempPathFor(realPath: string, id: string): string {
  return path.join(path.dirname(realPath), `.${path.basename(realPath)}.verify-${id}.tmp`);
}

/**
 * The spec folders of a run are the same for each of its thousands of writes: each is resolved
 * once (realpath walks every component of the path with a readlink). A folder that cannot be
 * resolved is not remembered, so it is tried again on the next write.
 */
const realRoots = new Map<string, string>();

function realRoot(root: string): string {
  const known = realRoots.get(root);
  if (known !== undefined) return known;
  try {
    const real = realpathSync.native(root);
    if (realRoots.size >= 64) realRoots.clear();
    realRoots.set(root, real);
    return real;
  } catch {
    return path.resolve(root);
  }
}

/** The real path and mode of a spec that may be written, or why not (synchronous: a few cheap calls). */
function locate(file: string, rootPaths: string[]): { real: string; mode: number } | WriteBackResult {
  let real: string;
  try {
    real = realpathSync.native(file);
  } catch (e) {
    return { outcome: 'error', message: `cannot resolve the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const roots = rootPaths.map(realRoot);
  if (!roots.some((r) => isInside(r, real))) {
    return { outcome: 'refused', message: 'the file (or the symlink it is) points outside the spec folders; not written' };
  }
  try {
    const mode = statSync(real).mode & 0o7777;
    if ((mode & 0o200) === 0) return { outcome: 'refused', message: 'the file is read-only; not written' };
    return { real, mode };
  } catch (e) {
    return { outcome: 'error', message: `cannot stat the file: ${(e as NodeJS.ErrnoException).code ?? ''}` };
  }
}

/** A lock file still without its owner this long was left by a crash between create and write. */
const CREATING_STALE_MS = 10_000;
/** Waiting for a live lock gives up after about this long (default of WriteBackOptions.maxWaitMs). */
const MAX_WAIT_MS = 20_000;

/**
 * Creates the lock (see src/specfile/file-lock.ts), waiting while another live run holds it, with
 * a deadline and a timer between tries (so signals are handled while it waits), whatever is at
 * the lock path. A dead owner's lock and temp file are removed. Returns undefined once locked,
 * or why the file could not be locked.
 */
async function acquire(fs: WriteBackFs, a: { lock: string; real: string; owner: LockOwner; maxWaitMs: number }): Promise<{ error: string } | undefined> {
  const started = Date.now();
  let pause = 2;
  for (let tries = 0; ; tries++) {
    // Registered before it exists; removed on exit only if it holds our id (or is still empty).
    registerOwned(a.lock, { owner: a.owner, creating: true });
    try {
      await createLock(a.lock, a.owner, fs);
      registerOwned(a.lock, { owner: a.owner, creating: false });
      return undefined;
    } catch (e) {
      unregisterOwned(a.lock);
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') return { error: `${writeFailure(e)} (could not create the lock file ${path.basename(a.lock)})` };
    }
    const seen = inspectLock(a.lock);
    let holder = '';
    if (seen.kind === 'foreign') {
      return { error: `${path.basename(a.lock)} next to the file is ${seen.what}, not a lock of endpoint-verify; remove it so runs can write this spec. File left unchanged` };
    } else if (seen.kind === 'creating') {
      if (seen.ageMs > CREATING_STALE_MS && removeDeadLock(a.lock, seen, `${a.lock}.${a.owner.id}.dead`)) continue;
      holder = 'a run that is creating it';
    } else if (seen.kind === 'lock') {
      const state = ownerState(seen.owner);
      if (state === 'dead') {
        if (removeDeadLock(a.lock, seen, `${a.lock}.${a.owner.id}.dead`)) {
          try {
            unlinkSync(tempPathFor(a.real, seen.owner.id));
          } catch {
            // the dead run had not created it
          }
        }
        continue;
      }
      holder = `process ${seen.owner.pid}${state === 'unknown' ? ` on ${seen.owner.host}` : ''}`;
    } else if (tries < 3) {
      continue; // released meanwhile
    }
    if (Date.now() - started > a.maxWaitMs) {
      return {
        error: `could not lock the file: ${holder || 'another run'} has held ${path.basename(a.lock)} for over ${Math.round(a.maxWaitMs / 1000)} s; if no run is writing, remove that file. File left unchanged`,
      };
    }
    await new Promise((r) => setTimeout(r, pause * (0.5 + Math.random())));
    pause = Math.min(pause * 2, 100);
  }
}
