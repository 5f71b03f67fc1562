import { readFileSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import type { WriteBackResult } from '../run/result.js';
import { editFrontMatter, maskOwnedValues, ownedValues, type OwnedValues } from './front-matter-edit.js';
import { isInside } from './discover.js';
import type { SpecStatus } from './model.js';

/**
 * Writes a run's verdict into a spec file: only the owned keys change, the
 * write is atomic (temp file in the same folder, fsync, rename), the temp
 * file doubles as a lock that keeps concurrent runs from losing increments,
 * and a file edited since it was read for the run is left alone. Never throws.
 */

export interface OwnedChanges {
  status?: SpecStatus;
  verifiedAt?: string;
  timesReusedDelta?: number;
  useFallbackApi?: boolean;
}

/** The file operations used to write, injectable so tests can fail them (a full disk). */
export interface WriteBackFs {
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  unlink: typeof nodeFs.unlink;
}

export interface WriteBackOptions {
  /** Absolute path of the spec file. */
  file: string;
  /** The bytes the run parsed and ran. */
  originalBytes: Buffer;
  changes: OwnedChanges;
  /** Only files inside these folders (after resolving symlinks) are written. */
  roots: string[];
  fs?: WriteBackFs;
}

const inFlight = new Set<string>();

/** Removes the temp files of writes interrupted by a signal (sync: safe in an exit handler). */
export function cleanupTempFiles(): void {
  for (const f of inFlight) {
    try {
      unlinkSync(f);
    } catch {
      // already renamed or gone
    }
  }
  inFlight.clear();
}

let installed = false;
/** On exit (including after SIGINT/SIGTERM handlers call process.exit), no temp file is left behind. */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupTempFiles);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function decode(bytes: Buffer): { text: string; bom: boolean } {
  const bom = bytes.subarray(0, 3).equals(BOM);
  return { text: (bom ? bytes.subarray(3) : bytes).toString('utf8'), bom };
}

export async function writeBack(opts: WriteBackOptions): Promise<WriteBackResult> {
  const fs = opts.fs ?? nodeFs;
  installSignalCleanup();
  const place = locate(opts.file, opts.roots);
  if ('outcome' in place) return place;
  const { real, mode } = place;

  const tmp = tempPathFor(real);
  const held = await acquire(fs, tmp, mode);
  if ('error' in held) return { outcome: 'error', message: held.error };
  let open = true;
  let renamed = false;
  try {
    // Read under the lock, synchronously: one small local file, and a thread-pool round trip per
    // call costs more than the read itself.
    const currentBytes = readFileSync(real);
    const current = decode(currentBytes);
    const original = decode(opts.originalBytes);
    if (!currentBytes.equals(opts.originalBytes) && maskOwnedValues(current.text) !== maskOwnedValues(original.text)) {
      return { outcome: 'conflict', message: 'changed during the run, not updated' };
    }
    const now = ownedValues(current.text);
    const values: OwnedValues = {};
    const c = opts.changes;
    if (c.status !== undefined) values.status = c.status;
    if (c.verifiedAt !== undefined) values.verifiedAt = c.verifiedAt;
    if (c.timesReusedDelta) values.timesReused = (now.timesReused ?? 0) + c.timesReusedDelta;
    if (c.useFallbackApi !== undefined) values.useFallbackApi = c.useFallbackApi;
    const edited = editFrontMatter(current.text, values);
    if ('error' in edited) return { outcome: 'error', message: edited.error.message };
    if (edited.text === current.text) return { outcome: 'unchanged' };
    const bytes = Buffer.concat([current.bom ? BOM : Buffer.alloc(0), Buffer.from(edited.text, 'utf8')]);
    try {
      await held.writeFile(bytes);
      if (narrowedByUmask(mode)) await held.chmod(mode);
      await held.sync();
      open = false;
      await held.close();
      await fs.rename(tmp, real);
      renamed = true;
      // The folder is not fsynced after the rename (as npm's write-file-atomic): a crash can at worst
      // keep the old, complete file, and a verdict is cheap to recompute; the cost was 0.2 ms a file.
    } catch (e) {
      return { outcome: 'error', message: writeFailure(e) };
    }
    const changes: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) changes[k] = v;
    return { outcome: 'written', changes };
  } catch (e) {
    return { outcome: 'error', message: (e as Error).message };
  } finally {
    if (open) await held.close().catch(() => undefined);
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
    inFlight.delete(tmp);
  }
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

/**
 * The temp file a write goes through, which is also the file's lock: one name per spec file, so
 * creating it exclusively both starts the write and keeps a second run's write of the same file
 * waiting until this one is renamed into place (or removed). A separate lock file cost two more
 * file creations and removals per spec, each waiting on the file system's journal behind the
 * other writes' fsyncs.
 */
export function tempPathFor(realPath: string): string {
  return path.join(path.dirname(realPath), `.${path.basename(realPath)}.verify.tmp`);
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

/** Another run holding a lock this long has died; its lock is removed. Writes take milliseconds. */
const STALE_MS = 10_000;
/** Waiting for a live lock gives up after about this long. */
const MAX_WAIT_MS = 20_000;

/**
 * Creates the temp file exclusively (see tempPathFor), waiting while another live run holds it.
 * One left by a run that died (older than STALE_MS, a file or a folder) is removed. Two runs that
 * find the same stale one at the same moment may both go on; the worst outcome is one lost
 * increment, never a partial file (the rename replaces the file whole).
 * Returns the open temp file, or why it could not be had.
 */
async function acquire(fs: WriteBackFs, tmp: string, mode: number): Promise<nodeFs.FileHandle | { error: string }> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await fs.open(tmp, 'wx', mode);
      inFlight.add(tmp);
      return handle;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return { error: writeFailure(e) };
    }
    let age = 0;
    try {
      age = Date.now() - statSync(tmp).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (age > STALE_MS) {
      rmSync(tmp, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > MAX_WAIT_MS) return { error: `could not lock the file: another run has been writing it for over ${MAX_WAIT_MS / 1000} s` };
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 45));
  }
}
