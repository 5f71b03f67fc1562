import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusCopy, listMarkdown, readJson, runCli, type CliRun } from './run-cli.js';

/**
 * The newcomer's path: the whole corpus against the built-in sandbox through
 * the CLI, with write-back into a scratch copy of specs/.
 */

interface Report {
  summary: { total: number; verified: number; failing: number; blocked: number; skipped: number };
  specs: { file: string; endpoint: string; verdict: string; gateway: string; findings: { aspect: string; documented: string; actual: string }[] }[];
}

const OWNED = /^(status|verifiedAt|timesReused|useFallbackApi):/;

let work: Awaited<ReturnType<typeof corpusCopy>>;
let run: CliRun;
let report: Report;
let files: string[];
const before = new Map<string, string>();

beforeAll(async () => {
  work = await corpusCopy();
  files = await listMarkdown(path.join(work.dir, 'specs'));
  for (const f of files) before.set(f, await readFile(path.join(work.dir, 'specs', f), 'utf8'));
  run = await runCli(['verify', '--reporter', 'console', '--reporter', 'json:out/report.json'], { cwd: work.dir });
  report = await readJson<Report>(path.join(work.dir, 'out/report.json'));
}, 60_000);

afterAll(async () => {
  await work?.cleanup();
});

describe('npm run verify on the corpus', () => {
  it('verifies every spec and exits 0', () => {
    expect(run.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    const notVerified = report.specs.filter((s) => s.verdict !== 'verified').map((s) => `${s.file}: ${s.verdict}`);
    expect(notVerified).toEqual([]);
    expect(run.code).toBe(0);
    expect(report.summary.total).toBe(files.length);
    expect(report.summary.verified).toBe(files.length);
  });

  it('sends the seed spec to the fallback gateway, as its front-matter says', () => {
    const seed = report.specs.find((s) => s.file === 'specs/platform/get-client-conversations.md');
    expect(seed?.gateway).toBe('fallback');
    const others = report.specs.filter((s) => s.file.startsWith('specs/platform/') && s !== seed);
    for (const s of others) expect(s.gateway).toBe('primary');
  });

  it('finds the seed\'s own discrepancy: 422 is not documented for the conversations endpoint', async () => {
    // The primary gateway answers 422; --fallback never makes the seed spec run there.
    const r = await runCli(
      ['verify', 'specs/platform/get-client-conversations.md', '--fallback', 'never', '--no-write', '--reporter', 'json:out/never.json'],
      { cwd: work.dir },
    );
    expect(r.code).toBe(1);
    const never = await readJson<Report>(path.join(work.dir, 'out/never.json'));
    const seed = never.specs[0];
    expect(seed?.verdict).toBe('failing');
    expect(seed?.findings.some((f) => f.aspect === 'status' && f.actual.includes('422'))).toBe(true);
  });

  it('writes back only status, verifiedAt and timesReused lines', async () => {
    for (const f of files) {
      const old = before.get(f)!.split(/(?<=\n)/);
      const now = (await readFile(path.join(work.dir, 'specs', f), 'utf8')).split(/(?<=\n)/);
      const changed = now.filter((line) => !old.includes(line));
      const removed = old.filter((line) => !now.includes(line));
      expect(changed.length, `${f} changed`).toBeGreaterThan(0);
      for (const line of [...changed, ...removed]) expect(line, f).toMatch(OWNED);
      const text = now.join('');
      expect(text, f).toMatch(/^status: verified\r?$/m);
      expect(text, f).toMatch(/^verifiedAt: "?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"?/m);
    }
  });

  it('bumps timesReused by one per own run plus one per use by another spec', async () => {
    const count = (t: string): number => Number(/^timesReused:\s*(\d+)/m.exec(t)?.[1] ?? 0);
    const uses = new Map<string, number>();
    for (const f of files) {
      for (const m of before.get(f)!.matchAll(/^\s*(?:-\s+)?use:\s*["']?([^"'\s]+)/gm)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]!));
        uses.set(target, (uses.get(target) ?? 0) + 1);
      }
    }
    for (const f of files) {
      const now = await readFile(path.join(work.dir, 'specs', f), 'utf8');
      // A spec used by several steps of one spec counts once per using spec; the corpus uses each target once per spec.
      expect(count(now) - count(before.get(f)!), f).toBe(1 + (uses.get(f) ?? 0));
    }
  });

  it('prints plain text when stdout is not a terminal', () => {
    expect(run.stdout).not.toMatch(/\x1b\[/);
    expect(run.stderr).not.toMatch(/\x1b\[/);
    expect(run.stdout).toMatch(/verified/);
  });
});
