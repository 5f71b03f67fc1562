import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratch } from './run-cli.js';

/**
 * A `--reporter` value is a reporter entry (`name` or `name:file`), never a "spec": in this tool a
 * spec is an endpoint's Markdown file, and to RSpec or Jasmine users a spec is a test.
 */
let work: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  work = await scratch();
  await mkdir(path.join(work.dir, 'specs'));
  await writeFile(
    path.join(work.dir, 'specs/list.md'),
    '---\nendpoint: "GET /items"\n---\n\n## Test Request\n\n```yaml\nsteps:\n  - id: list\n    method: GET\n    path: /items\n```\n',
  );
});
afterAll(async () => {
  await work.cleanup();
});

describe('--reporter entries', () => {
  it('are shown as <name[:file]> in the help of every command that takes them', async () => {
    for (const args of [['verify'], ['report', 'merge'], ['status']]) {
      const help = await runCli([...args, '--help'], { cwd: work.dir });
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout, args.join(' ')).toMatch(/--reporter <name\[:file\]>/);
      expect(help.stdout, args.join(' ')).not.toMatch(/--reporter <spec>/);
    }
  });

  it('a bad entry is a usage error that names the entry, exit 2', async () => {
    const r = await runCli(['verify', '--base-url', 'http://127.0.0.1:9', '--reporter', 'pdf:out.pdf'], { cwd: work.dir });
    expect(r.stderr).toMatch(/^error: unknown reporter "pdf" in "pdf:out.pdf"; use console, json:<file>/m);
    expect(r.code).toBe(2);
  });
});
