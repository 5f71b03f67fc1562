import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportValidator } from '../../src/report/merge.js';
import { createReporters } from '../../src/cli/reporters.js';
import { parseReporterEntry, ReporterEntryError, type ReporterOptions } from '../../src/report/reporter.js';
import { fixtureResult } from './fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(out: string[] = []): ReporterOptions {
  return { stdout: { write: (s: string) => out.push(s) }, cwd: dir, color: false, quiet: false, verbose: false, sources: () => undefined };
}

describe('createReporters', () => {
  it('throws a one-line ReporterEntryError for an unknown kind or a missing file', async () => {
    for (const entry of ['foo:x', 'json', 'json:', 'junit', 'console:x.txt']) {
      const err = await createReporters([entry], options()).catch((e: unknown) => e);
      expect(err, entry).toBeInstanceOf(ReporterEntryError);
      expect((err as Error).message, entry).not.toContain('\n');
    }
    await expect(createReporters(['foo:x'], options())).rejects.toThrow(/unknown reporter "foo"/);
    await expect(createReporters(['json'], options())).rejects.toThrow(/needs a file/);
    await expect(createReporters(['json:a.json', 'junit:a.json'], options())).rejects.toThrow(/same file/);
  });

  it('resolves file paths against cwd', () => {
    expect(parseReporterEntry('html:out/r.html', '/w')).toEqual({ kind: 'html', file: path.resolve('/w', 'out/r.html') });
    expect(parseReporterEntry('console', '/w')).toEqual({ kind: 'console' });
  });

  it('writes every file reporter at finish, creating folders, leaving no temp files', async () => {
    const out: string[] = [];
    const reporters = await createReporters(['console', 'json:a/b/report.json', 'junit:a/junit.xml', 'markdown:a/report.md'], options(out));
    expect(reporters).toHaveLength(4);
    await expect(readdir(path.join(dir, 'a'))).rejects.toThrow();
    for (const r of reporters) await r.finish(fixtureResult());
    const json = JSON.parse(await readFile(path.join(dir, 'a/b/report.json'), 'utf8')) as unknown;
    expect(reportValidator()(json)).toBe(true);
    expect(await readFile(path.join(dir, 'a/junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(await readFile(path.join(dir, 'a/report.md'), 'utf8')).toMatch(/^## endpoint-verify report/);
    expect(out.join('')).toContain('2 verified, 1 failing');
    expect((await readdir(path.join(dir, 'a'))).sort()).toEqual(['b', 'junit.xml', 'report.md']);
    expect(await readdir(path.join(dir, 'a/b'))).toEqual(['report.json']);
  });
});
