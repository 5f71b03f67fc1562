import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import type { WriteBackResult } from '../run/result.js';
import { editFrontMatter, maskOwnedValues, ownedValues, type OwnedValues } from './front-matter-edit.js';
import type { SpecStatus } from './model.js';

/**
 * Writes a run's verdict into a spec file: only the owned keys change, the
 * write is atomic (temp file in the same folder, fsync, rename), a lock keeps
 * concurrent runs from losing increments, and a file edited since it was read
 * for the run is left alone. Never throws.
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

/** Removes temp files of writes interrupted by a signal (sync: safe in an exit handler). */
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

function inside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export async function writeBack(opts: WriteBackOptions): Promise<WriteBackResult> {
  const fs = opts.fs ?? nodeFs;
  installSignalCleanup();
  let real: string;
  try {
    real = await nodeFs.realpath(opts.file);
  } catch (e) {
    return { outcome: 'error', message: `cannot resolve the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const roots = await Promise.all(opts.roots.map((r) => nodeFs.realpath(r).catch(() => path.resolve(r))));
  if (!roots.some((r) => inside(real, r))) {
    return { outcome: 'refused', message: 'the file (or the symlink it is) points outside the spec folders; not written' };
  }
  let mode: number;
  try {
    const st = await nodeFs.stat(real);
    mode = st.mode & 0o7777;
    if ((mode & 0o200) === 0) return { outcome: 'refused', message: 'the file is read-only; not written' };
  } catch (e) {
    return { outcome: 'error', message: `cannot stat the file: ${(e as NodeJS.ErrnoException).code ?? ''}` };
  }

  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(real, { realpath: false, stale: 10_000, retries: { retries: 200, minTimeout: 10, maxTimeout: 100, randomize: true } });
  } catch (e) {
    return { outcome: 'error', message: `could not lock the file: ${(e as Error).message}` };
  }
  try {
    const currentBytes = await nodeFs.readFile(real);
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
    const err = await atomicWrite({ fs, file: real, bytes, mode });
    if (err) return { outcome: 'error', message: err };
    const changes: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) changes[k] = v;
    return { outcome: 'written', changes };
  } catch (e) {
    return { outcome: 'error', message: (e as Error).message };
  } finally {
    await release().catch(() => undefined);
  }
}

async function atomicWrite(o: { fs: WriteBackFs; file: string; bytes: Buffer; mode: number }): Promise<string | undefined> {
  const dir = path.dirname(o.file);
  const tmp = path.join(dir, `.${path.basename(o.file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  inFlight.add(tmp);
  try {
    const handle = await o.fs.open(tmp, 'wx', o.mode);
    try {
      await handle.writeFile(o.bytes);
      await handle.chmod(o.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await o.fs.rename(tmp, o.file);
    inFlight.delete(tmp);
    // The folder is not fsynced after the rename (as npm's write-file-atomic): a crash can at worst
    // keep the old, complete file, and a verdict is cheap to recompute; the cost was 0.2 ms a file.
    return undefined;
  } catch (e) {
    await o.fs.unlink(tmp).catch(() => undefined);
    inFlight.delete(tmp);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') return 'disk full, file left unchanged';
    return `write failed (${code ?? (e as Error).message}), file left unchanged`;
  }
}
