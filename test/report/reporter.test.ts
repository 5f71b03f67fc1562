import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportValidator } from '../../src/report/merge.js';
import { createReporters } from '../../src/cli/reporters.js';
import { parseReporterEntry, type ReporterOptions } from '../../src/report/reporter.js';
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
  it('fails with a one-line message for an unknown kind or a missing file', async () => {
    const failure = async (entries: string[]): Promise<string> => {
      const out = await createReporters(entries, options());
      if (out.ok) throw new Error(`expected ${entries.join(' ')} to be refused`);
      return out.error;
    };
    for (const entry of ['foo:x', 'json', 'json:', 'junit', 'console:x.txt']) expect(await failure([entry]), entry).not.toContain('\n');
    expect(await failure(['foo:x'])).toMatch(/unknown reporter "foo"/);
    expect(await failure(['json'])).toMatch(/needs a file/);
    expect(await failure(['json:a.json', 'junit:a.json'])).toMatch(/same file/);
  });

  it('resolves file paths against cwd', () => {
    expect(parseReporterEntry('html:out/r.html', '/w')).toEqual({ ok: true, value: { kind: 'html', file: path.resolve('/w', 'out/r.html') } });
    expect(parseReporterEntry('console', '/w')).toEqual({ ok: true, value: { kind: 'console' } });
  });

  it('writes every file reporter at finish, creating folders, leaving no temp files', async () => {
    const out: string[] = [];
    const created = await createReporters(['console', 'json:a/b/report.json', 'junit:a/junit.xml', 'markdown:a/report.md'], options(out));
    if (!created.ok) throw new Error(created.error);
    const reporters = created.value;
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
