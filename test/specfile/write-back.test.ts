import { execFileSync, spawn } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile, lstat, open, realpath } from 'node:fs/promises';
import { fsync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editFrontMatter, maskOwnedValues, ownedValues } from '../../src/specfile/front-matter-edit.js';
import { cleanupTempFiles, lockPathFor, realWriteBackFs, tempPathFor, writeBack, type WriteBackFs } from '../../src/specfile/write-back.js';
import { newOwner, serializeOwner } from '../../src/specfile/file-lock.js';

const SEED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seeds/000_11bf8588d5c8ca38.txt');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-wb-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and, within a test, has not been reused). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await new Promise((r) => child.on('close', r));
  return pid;
}

function changedLines(a: string, b: string): string[] {
  const x = a.split(/(?<=\n)/);
  const y = b.split(/(?<=\n)/);
  return [...y.filter((l) => !x.includes(l)), ...x.filter((l) => !y.includes(l))];
}

describe('editFrontMatter', () => {
  it('returns identical text when nothing changes, and changes only the owned lines otherwise', async () => {
    const seed = await readFile(SEED, 'utf8');
    expect((editFrontMatter(seed, ownedValues(seed)) as { text: string }).text).toBe(seed);
    const out = (editFrontMatter(seed, { status: 'failing', verifiedAt: '2026-11-23T00:00:00.000Z', timesReused: 4 }) as { text: string }).text;
    const changed = changedLines(seed, out);
    expect(changed.sort()).toEqual(
      ['status: verified\n', 'status: failing\n', 'verifiedAt: "2026-02-04T08:30:00.000Z"\n', 'verifiedAt: "2026-11-23T00:00:00.000Z"\n', 'timesReused: 0\n', 'timesReused: 4\n'].sort(),
    );
  });

  it('keeps quotes, comments and CRLF; appends a missing key before the closing fence', () => {
    const text = "---\r\nendpoint: GET /x # the endpoint\r\nstatus: 'draft' # set by runs\r\nverifiedAt:\r\n---\r\nbody\r\n";
    const out = (editFrontMatter(text, { status: 'verified', verifiedAt: '2026-01-01T00:00:00Z', timesReused: 1 }) as { text: string }).text;
    // An empty verifiedAt has no style of its own: it gets the one `new` writes.
    expect(out).toBe("---\r\nendpoint: GET /x # the endpoint\r\nstatus: 'verified' # set by runs\r\nverifiedAt: \"2026-01-01T00:00:00.000Z\"\r\ntimesReused: 1\r\n---\r\nbody\r\n");
  });

  it('refuses a block value rather than rewriting other lines', () => {
    const text = '---\nendpoint: GET /x\nstatus: >\n  draft\n---\n';
    const r = editFrontMatter(text, { status: 'verified' });
    expect('error' in r && r.error.code).toBe('write-back-unsupported');
  });

  it('property: no change is identity; a change alters only owned lines', () => {
    const key = fc.constantFrom('endpoint', 'domain', 'note', 'swagger', 'savedAt');
    const value = fc.constantFrom('GET /a/{b}', '"quoted # not a comment"', "'single'", '2026-01-01T00:00:00Z', 'plain text', '[a, b]');
    const owned = fc.record(
      {
        status: fc.constantFrom('draft', '"verified"', "'failing'", 'blocked'),
        verifiedAt: fc.constantFrom('', ' null', ' "2026-02-04T08:30:00.000Z"', ' 2026-02-04'),
        timesReused: fc.nat(50).map(String),
        useFallbackApi: fc.constantFrom('true', 'false'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, value, fc.constantFrom('', ' # comment')), { maxLength: 5 }),
        owned,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.string({ maxLength: 60 }),
        fc.record({ status: fc.constantFrom('verified', 'failing', 'blocked') as fc.Arbitrary<'verified' | 'failing' | 'blocked'>, timesReused: fc.nat(99), verifiedAt: fc.constant('2026-11-23T01:02:03.000Z') }),
        (pairs, own, eol, bom, finalNewline, body, change) => {
          const seen = new Set<string>();
          const lines: string[] = [];
          for (const [k, v, c] of pairs) if (!seen.has(k)) (seen.add(k), lines.push(`${k}: ${v}${c}`));
          for (const [k, v] of Object.entries(own)) lines.push(k === 'verifiedAt' ? `${k}:${v}` : `${k}: ${v}`);
          let text = `${bom ? '\uFEFF' : ''}---${eol}${lines.map((l) => l + eol).join('')}---${eol}# Title${eol}${body.replace(/\r?\n/g, eol)}`;
          if (finalNewline) text += eol;
          const same = editFrontMatter(text, ownedValues(text));
          expect('text' in same && same.text).toBe(text);
          const out = editFrontMatter(text, change);
          if (!('text' in out)) throw new Error(out.error.message);
          expect(maskOwnedValues(out.text)).toBe(maskOwnedValues(text));
          for (const l of changedLines(text, out.text)) expect(l.replace(/^\uFEFF/, '')).toMatch(/^(status|verifiedAt|timesReused|useFallbackApi):/);
          const { verifiedAt, ...rest } = ownedValues(out.text);
          expect(rest).toMatchObject({ status: change.status, timesReused: change.timesReused });
          // verifiedAt is written in the file's timestamp style (a date, whole seconds): the same instant, cut to that precision.
          const lag = Date.parse(change.verifiedAt) - Date.parse(verifiedAt ?? '');
          expect(lag >= 0 && lag < 86_400_000).toBe(true);
          expect(out.text.startsWith('\uFEFF')).toBe(bom);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('writeBack', () => {
  const original = '---\nendpoint: GET /x\nstatus: draft # comment\ntimesReused: 2\n---\nBody without final newline';

  async function specFile(name = 'a.md', text = original): Promise<{ file: string; bytes: Buffer }> {
    const file = path.join(dir, 'specs', name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    return { file, bytes: Buffer.from(text) };
  }

  it('writes only the owned keys, atomically, leaving no temp files', async () => {
    const { file, bytes } = await specFile();
    const r = await writeBack({ file, originalBytes: bytes, roots: [path.join(dir, 'specs')], changes: { status: 'verified', verifiedAt: '2026-11-23T00:00:00.000Z', timesReusedDelta: 1 } });
    expect(r.outcome).toBe('written');
    expect(await readFile(file, 'utf8')).toBe('---\nendpoint: GET /x\nstatus: verified # comment\ntimesReused: 3\nverifiedAt: "2026-11-23T00:00:00.000Z"\n---\nBody without final newline');
    expect((await readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the file\'s permissions, also those the umask would narrow', async () => {
    const before = process.umask(0o022);
    try {
      for (const mode of [0o664, 0o644, 0o600, 0o666]) {
        const { file, bytes } = await specFile(`mode-${mode.toString(8)}.md`);
        await chmod(file, mode);
        expect((await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' } })).outcome).toBe('written');
        expect((await lstat(file)).mode & 0o7777).toBe(mode);
      }
    } finally {
      process.umask(before);
    }
  });

  it('keeps a BOM', async () => {
    const text = `\uFEFF${original}`;
    const { file, bytes } = await specFile('bom.md', text);
    await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'failing' } });
    const out = await readFile(file);
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.toString('utf8')).toBe(text.replace('status: draft', 'status: failing'));
  });

  it('does not write over an edit made during the run', async () => {
    const { file, bytes } = await specFile();
    const edited = original.replace('Body', 'Edited body');
    await writeFile(file, edited);
    const r = await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' } });
    expect(r.outcome).toBe('conflict');
    expect(r.message).toMatch(/changed during the run/);
    expect(await readFile(file, 'utf8')).toBe(edited);
  });

  it('applies increments on top of another run\'s write, so none is lost', async () => {
    const { file, bytes } = await specFile();
    const runs = Array.from({ length: 12 }, () => writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified', timesReusedDelta: 1 } }));
    const results = await Promise.all(runs);
    expect(results.every((r) => r.outcome === 'written' || r.outcome === 'unchanged')).toBe(true);
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(14);
  });

  it('two processes writing the same file lose no increment', async () => {
    const { file } = await specFile();
    const distSpec = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/specfile/write-back.js');
    const script = `
      const { writeBack } = await import(${JSON.stringify(distSpec)});
      const { readFile } = await import('node:fs/promises');
      for (let i = 0; i < 10; i++) {
        const bytes = await readFile(${JSON.stringify(file)});
        const r = await writeBack({ file: ${JSON.stringify(file)}, originalBytes: bytes, roots: [${JSON.stringify(dir)}], changes: { timesReusedDelta: 1 } });
        if (r.outcome !== 'written') { console.error(JSON.stringify(r)); process.exit(1); }
      }`;
    const child = (): Promise<number | null> =>
      new Promise((resolve) => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' }).on('close', resolve));
    expect(await Promise.all([child(), child()])).toEqual([0, 0]);
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(22);
  });

  it('waits while another live run holds the lock, then writes on top of what that run wrote', async () => {
    const { file, bytes } = await specFile();
    const lock = lockPathFor(await realpath(file));
    // A lock of a live process (this one), with another id: another write in flight.
    await writeFile(lock, serializeOwner({ ...newOwner(), id: 'other-run' }));
    const pending = writeBack({ file, originalBytes: bytes, roots: [dir], changes: { timesReusedDelta: 1 } });
    await new Promise((r) => setTimeout(r, 150));
    // The other run's write lands while ours waits; ours must apply its increment on top of it.
    await writeFile(file, original.replace('timesReused: 2', 'timesReused: 5'));
    await rm(lock);
    expect((await pending).outcome).toBe('written');
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(6);
    expect(await readdir(path.dirname(file))).toEqual(['a.md']);
  });

  it('takes over the lock of a dead run at once, however fresh, and removes that run\'s temp file', async () => {
    const { file, bytes } = await specFile();
    const real = await realpath(file);
    const dead = await deadPid();
    await writeFile(lockPathFor(real), serializeOwner({ ...newOwner(), pid: dead, id: 'dead-run' }));
    await writeFile(tempPathFor(real, 'dead-run'), 'half written');
    expect((await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' } })).outcome).toBe('written');
    expect(await readFile(file, 'utf8')).toMatch(/status: verified/);
    expect(await readdir(path.dirname(file))).toEqual(['a.md']);
  });

  it('never takes over a live run\'s lock, however old: waits a bounded time, then says who holds it', async () => {
    const { file, bytes } = await specFile();
    const lock = lockPathFor(await realpath(file));
    await writeFile(lock, serializeOwner({ ...newOwner(), id: 'slow-run' }));
    const old = new Date(Date.now() - 3_600_000);
    await utimes(lock, old, old);
    const r = await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' }, maxWaitMs: 300 });
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(new RegExp(`process ${process.pid} has held \\.a\\.md\\.verify\\.lock`));
    expect(await readFile(file, 'utf8')).toBe(original);
    expect(await readFile(lock, 'utf8')).toMatch(/id=slow-run/);
  });

  it.each(['dangling symlink', 'folder', 'fifo', 'foreign file'] as const)('a %s at the lock path: a prompt error naming it, nothing removed, no hang', async (kind) => {
    const { file, bytes } = await specFile();
    const lock = lockPathFor(await realpath(file));
    if (kind === 'dangling symlink') await symlink(path.join(dir, 'nowhere'), lock);
    else if (kind === 'folder') await mkdir(lock);
    else if (kind === 'fifo') execFileSync('mkfifo', [lock]);
    else await writeFile(lock, 'my notes');
    const t0 = Date.now();
    const r = await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' } });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/\.a\.md\.verify\.lock next to the file is .*not a lock of endpoint-verify; remove it/);
    expect(await readFile(file, 'utf8')).toBe(original);
    await lstat(lock); // still there
  });

  it('refuses read-only files and symlinks out of the spec folders; writes through a symlink inside', async () => {
    const ro = await specFile('ro.md');
    await chmod(ro.file, 0o444);
    expect((await writeBack({ file: ro.file, originalBytes: ro.bytes, roots: [dir], changes: { status: 'verified' } })).outcome).toBe('refused');
    expect(await readFile(ro.file, 'utf8')).toBe(original);

    const outside = await mkdtemp(path.join(tmpdir(), 'ev-outside-'));
    const target = path.join(outside, 'target.md');
    await writeFile(target, original);
    const link = path.join(dir, 'specs', 'link-out.md');
    await symlink(target, link);
    expect((await writeBack({ file: link, originalBytes: Buffer.from(original), roots: [path.join(dir, 'specs')], changes: { status: 'verified' } })).outcome).toBe('refused');
    expect(await readFile(target, 'utf8')).toBe(original);
    await rm(outside, { recursive: true, force: true });

    const inner = await specFile('real.md');
    const innerLink = path.join(dir, 'specs', 'link-in.md');
    await symlink(inner.file, innerLink);
    expect((await writeBack({ file: innerLink, originalBytes: inner.bytes, roots: [path.join(dir, 'specs')], changes: { status: 'verified' } })).outcome).toBe('written');
    expect((await lstat(innerLink)).isSymbolicLink()).toBe(true);
    expect(await readFile(inner.file, 'utf8')).toMatch(/status: verified/);
  });

  it('a full disk during the temp write leaves the original intact and no temp file', async () => {
    const { file, bytes } = await specFile();
    const temps = new Set<number>();
    const fullDisk: WriteBackFs = {
      createSync: (p, mode) => {
        const fd = realWriteBackFs.createSync(p, mode);
        if (p.endsWith('.tmp')) temps.add(fd);
        return fd;
      },
      // The temp file's write meets a full disk; the lock's goes through.
      write: (fd, bytes) =>
        temps.has(fd) ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) : realWriteBackFs.write(fd, bytes),
    };
    const r = await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' }, fs: fullDisk });
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/disk full/);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed fsync of the temp file leaves the original intact and no temp file', async () => {
    const { file, bytes } = await specFile();
    const failing: WriteBackFs = { ...realWriteBackFs, sync: async () => Promise.reject(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })) };
    const r = await writeBack({ file, originalBytes: bytes, roots: [dir], changes: { status: 'verified' }, fs: failing });
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/EIO/);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes many files at once, each synced before its rename', async () => {
    const files = await Promise.all(Array.from({ length: 20 }, (_, i) => specFile(`f${i}.md`)));
    const synced = new Set<number>();
    const renamedBeforeSync: string[] = [];
    const watching: WriteBackFs = {
      ...realWriteBackFs,
      sync: async (fd) => {
        await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
        synced.add(fd);
      },
    };
    const results = await Promise.all(
      files.map(({ file, bytes }) =>
        writeBack({
          file,
          originalBytes: bytes,
          roots: [dir],
          changes: { status: 'verified' },
          fs: watching,
          beforeRename: async () => {
            if (synced.size === 0) renamedBeforeSync.push(file);
          },
        }),
      ),
    );
    expect(results.map((r) => r.outcome)).toEqual(files.map(() => 'written'));
    expect(renamedBeforeSync).toEqual([]);
    // And with the real fsync: every file written, complete.
    const again = await Promise.all(files.map(({ file }) => readFile(file).then((b) => writeBack({ file, originalBytes: b, roots: [dir], changes: { timesReusedDelta: 1 } }))));
    expect(again.map((r) => r.outcome)).toEqual(files.map(() => 'written'));
    for (const { file } of files) expect(await readFile(file, 'utf8')).toMatch(/timesReused: 3\b/);
  });
});

describe('editFrontMatter on owned values in every style', () => {
  it.each([
    ["status: 'it''s'", "status: 'verified'"],
    ['status: "draft" # c', 'status: "verified" # c'],
    ['status: draft', 'status: verified'],
    ['status: # c', 'status: verified # c'],
    ['status:', 'status: verified'],
    ['status: ~', 'status: verified'],
  ])('%s', (before, after) => {
    const text = `---\nendpoint: GET /x\n${before}\n---\n`;
    const out = editFrontMatter(text, { status: 'verified' });
    expect('text' in out && out.text).toBe(`---\nendpoint: GET /x\n${after}\n---\n`);
  });
});

describe('writeBack races (an injected delay before the rename)', () => {
  const original = '---\nendpoint: GET /x\nstatus: draft\ntimesReused: 2\n---\nBody\n';
  let file: string;
  beforeEach(async () => {
    await mkdir(path.join(dir, 'specs'));
    file = path.join(dir, 'specs', 'a.md');
    await writeFile(file, original);
  });
  const leftovers = async (): Promise<string[]> => (await readdir(path.join(dir, 'specs'))).filter((n) => n !== 'a.md');

  it('an edit made while the temp file waits for its rename is kept: conflict, temp file removed', async () => {
    const r = await writeBack({
      file,
      originalBytes: Buffer.from(original),
      roots: [dir],
      changes: { status: 'verified', timesReusedDelta: 1 },
      beforeRename: () => appendFile(file, 'a line added by a person\n'),
    });
    expect(r.outcome).toBe('conflict');
    expect(await readFile(file, 'utf8')).toBe(`${original}a line added by a person\n`);
    expect(await leftovers()).toEqual([]);
  });

  it('another run\'s write-back in that moment is not lost either: the write starts over on the new content', async () => {
    let once = false;
    const r = await writeBack({
      file,
      originalBytes: Buffer.from(original),
      roots: [dir],
      changes: { timesReusedDelta: 1 },
      beforeRename: async () => {
        if (once) return;
        once = true;
        await writeFile(file, original.replace('timesReused: 2', 'timesReused: 7'));
      },
    });
    expect(r.outcome).toBe('written');
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(8);
    expect(await leftovers()).toEqual([]);
  });

  it('a run stalled past any stale age keeps its lock; the other run waits, and the spec is never empty', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    let inWindow!: () => void;
    const reached = new Promise<void>((r) => (inWindow = r));
    const a = writeBack({ file, originalBytes: Buffer.from(original), roots: [dir], changes: { timesReusedDelta: 1 }, beforeRename: () => (inWindow(), stalled) });
    await reached;
    const b = writeBack({ file, originalBytes: Buffer.from(original), roots: [dir], changes: { timesReusedDelta: 1 }, maxWaitMs: 30_000 });
    const sizes: number[] = [];
    for (let i = 0; i < 15; i++) {
      sizes.push((await readFile(file)).length);
      await new Promise((r) => setTimeout(r, 20));
    }
    release();
    expect((await a).outcome).toBe('written');
    expect((await b).outcome).toBe('written');
    expect(sizes.every((n) => n === original.length)).toBe(true);
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(4);
    expect(await leftovers()).toEqual([]);
  });

  it('a lock taken from the writer during its stall (a run that judged it dead) stops the rename', async () => {
    const lock = lockPathFor(await realpath(file));
    let once = false;
    const r = await writeBack({
      file,
      originalBytes: Buffer.from(original),
      roots: [dir],
      changes: { timesReusedDelta: 1 },
      beforeRename: async () => {
        if (once) return;
        once = true;
        // Another run replaced the lock and wrote the spec while this one was stalled.
        await rm(lock);
        await writeFile(lock, serializeOwner({ ...newOwner(), id: 'usurper' }));
        await writeFile(file, original.replace('timesReused: 2', 'timesReused: 3'));
        setTimeout(() => void rm(lock), 100);
      },
    });
    expect(r.outcome).toBe('written');
    // The usurper's increment is kept and ours is applied on top of it.
    expect(ownedValues(await readFile(file, 'utf8')).timesReused).toBe(4);
    expect(await leftovers()).toEqual([]);
  });

  it('each write has its own temp file name', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await writeBack({
        file,
        originalBytes: await readFile(file),
        roots: [dir],
        changes: { timesReusedDelta: 1 },
        beforeRename: async () => void (await leftovers()).filter((n) => n.endsWith('.tmp')).forEach((n) => names.add(n)),
      });
    }
    expect(names.size).toBe(3);
  });
});

describe('writeBack and an exit at any moment', () => {
  it.each(['lock', 'temp'] as const)('an exit while the %s file is being created leaves nothing behind', async (which) => {
    await mkdir(path.join(dir, 'specs'));
    const file = path.join(dir, 'specs', 'a.md');
    const text = '---\nendpoint: GET /x\nstatus: draft\n---\n';
    await writeFile(file, text);
    const exitingFs: WriteBackFs = {
      // The file exists on disk, its create has not returned yet: a signal's exit comes now.
      createSync: (p, mode) => {
        const fd = realWriteBackFs.createSync(p, mode);
        if (p.endsWith(which === 'lock' ? '.lock' : '.tmp')) cleanupTempFiles();
        return fd;
      },
      write: realWriteBackFs.write,
    };
    await writeBack({ file, originalBytes: Buffer.from(text), roots: [dir], changes: { status: 'verified' }, fs: exitingFs, maxWaitMs: 200 });
    expect((await readdir(path.join(dir, 'specs'))).filter((n) => n !== 'a.md')).toEqual([]);
  });
});

describe('writeBack and an edit across the rename itself', () => {
  it('an editor that opened the file before the rename and writes after it: the edit is put back, conflict', async () => {
    await mkdir(path.join(dir, 'specs'));
    const file = path.join(dir, 'specs', 'a.md');
    const text = '---\nendpoint: GET /x\nstatus: draft\n---\nBody\n';
    await writeFile(file, text);
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const r = await writeBack({
      file,
      originalBytes: Buffer.from(text),
      roots: [dir],
      changes: { status: 'verified' },
      raceRename: () => {
        const fd = openSync(file, 'a');
        return () => {
          writeSync(fd, 'a late edit\n');
          closeSync(fd);
        };
      },
    });
    expect(r.outcome).toBe('conflict');
    expect(r.message).toMatch(/the edit was kept/);
    expect(await readFile(file, 'utf8')).toBe(`${text}a late edit\n`);
    expect(await readdir(path.join(dir, 'specs'))).toEqual(['a.md']);
  });
});
