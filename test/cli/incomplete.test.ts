import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { finishReporters, type Reporter } from '../../src/report/reporter.js';
import type { RunResult } from '../../src/result/result.js';
import { readJson, runCli, scratch } from './run-cli.js';

/** A run that could not record its verdicts or write a report exits 3 and says which file and why. */

let server: Server;
let work: Awaited<ReturnType<typeof scratch>>;
const spec = (i: number): string =>
  `---\nendpoint: GET /ok\nstatus: draft\ntimesReused: 0\n---\n# Ok ${i}\n## Test Request\n\`\`\`yaml\nsteps:\n  - id: ok\n    method: GET\n    path: /ok\n\`\`\`\n`;

beforeAll(async () => {
  server = createServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  work = await scratch();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await writeFile(path.join(work.dir, 'verify.config.yaml'), `environments:\n  local:\n    apis:\n      ok:\n        baseUrl: ${base}\n`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await work?.cleanup();
});

beforeEach(async () => {
  const specs = path.join(work.dir, 'specs');
  await mkdir(specs, { recursive: true });
  for (let i = 0; i < 3; i++) {
    await writeFile(path.join(specs, `s${i}.md`), spec(i));
    await chmod(path.join(specs, `s${i}.md`), 0o644);
  }
});

describe('write-backs that fail', () => {
  it('read-only spec files: exit 3, the count and each file\'s reason in every report', async () => {
    await chmod(path.join(work.dir, 'specs', 's1.md'), 0o444);
    await chmod(path.join(work.dir, 'specs', 's2.md'), 0o444);
    const run = await runCli(
      ['verify', '--reporter', 'console', '--reporter', 'json:out/r.json', '--reporter', 'junit:out/r.xml', '--reporter', 'markdown:out/r.md', '--reporter', 'html:out/r.html'],
      { cwd: work.dir },
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Front-matter not updated \(2 files\):/);
    expect(run.stdout).toMatch(/! refused specs\/s1\.md: the file is read-only; not written/);
    expect(run.stdout).toMatch(/3 verified.*2 write-backs failed/);
    expect(run.stderr).toMatch(/error: the run is incomplete: 2 write-backs failed/);
    const json = await readJson<{ writeBackFailures: number; specs: { file: string; writeBack: { outcome: string; message: string } }[] }>(path.join(work.dir, 'out/r.json'));
    expect(json.writeBackFailures).toBe(2);
    expect(json.specs.find((s) => s.file === 'specs/s2.md')!.writeBack).toMatchObject({ outcome: 'refused', message: 'the file is read-only; not written' });
    const junit = await readFile(path.join(work.dir, 'out/r.xml'), 'utf8');
    expect(junit).toMatch(/<property name="writeBackFailures" value="2"\/>/);
    expect(junit.match(/<system-err>write-back refused: the file is read-only; not written<\/system-err>/g)).toHaveLength(2);
    const md = await readFile(path.join(work.dir, 'out/r.md'), 'utf8');
    expect(md).toMatch(/\*\*2 write-backs failed\*\*/);
    expect(md).toMatch(/### Write-back problems \(2 files not updated\)/);
    expect(md).toMatch(/\| specs\/s1\.md \| refused \| the file is read-only; not written \|/);
    const html = await readFile(path.join(work.dir, 'out/r.html'), 'utf8');
    expect(html).toMatch(/2 write-backs failed/);
    expect(html).toMatch(/<li><code>specs\/s2\.md<\/code>: refused, the file is read-only; not written<\/li>/);
  });

  it('every write-back written: exit 0', async () => {
    const run = await runCli(['verify'], { cwd: work.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/write-back/);
  });
});

describe('reporters isolated', () => {
  it('a report path that cannot be written is named, the other reports are written, exit 3', async () => {
    await writeFile(path.join(work.dir, 'a-file'), '');
    await mkdir(path.join(work.dir, 'out2', 'r.xml'), { recursive: true });
    await writeFile(path.join(work.dir, 'out2', 'r.xml', 'keep'), '');
    const run = await runCli(
      ['verify', '--reporter', 'json:a-file/r.json', '--reporter', 'junit:out2/r.xml', '--reporter', 'markdown:out2/r.md', '--reporter', 'console'],
      { cwd: work.dir },
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: the JSON report a-file\/r\.json could not be written: a part of the path is a file, not a folder/);
    expect(run.stderr).toMatch(/error: the JUnit report out2\/r\.xml could not be written: the path is a folder/);
    expect(run.stderr).toMatch(/the run is incomplete: 2 reports not written/);
    expect(run.stderr).not.toMatch(/internal error|please report/i);
    expect(await readFile(path.join(work.dir, 'out2', 'r.md'), 'utf8')).toMatch(/endpoint-verify report/);
    expect(run.stdout).toMatch(/3 verified/);
  });

  it('a reporter that throws, during the run or at the end (a full disk): the others still finish', async () => {
    const written: string[] = [];
    const full: Reporter = {
      label: 'JSON report r.json',
      finish: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })),
    };
    const crashed: Reporter = { label: 'HTML report r.html', finish: () => Promise.resolve(void written.push('html')) };
    const fine: Reporter = { label: 'Markdown report r.md', finish: () => Promise.resolve(void written.push('md')) };
    const result = { specs: [] } as unknown as RunResult;
    const failures = await finishReporters([full, crashed, fine], result, new Map([[crashed, new TypeError('boom')]]));
    expect(failures).toEqual([
      { label: 'JSON report r.json', message: 'disk full' },
      { label: 'HTML report r.html', message: 'boom' },
    ]);
    expect(written).toEqual(['md']);
  });
});
