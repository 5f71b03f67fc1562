import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streamSpecs } from '../../src/cli/spec-stream.js';
import type { LoadedSpec } from '../../src/specfile/parse.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ev-stream-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const good = (i: number): string => `---\nendpoint: GET /items/${i}\n---\n## Test Request\n\n\`\`\`yaml\nsteps:\n  - id: get\n    method: GET\n    path: /items/${i}\n\`\`\`\n`;
const broken = '---\nendpoint: [unclosed\n---\n';

async function files(contents: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, text] of contents.entries()) {
    const f = path.join(dir, `s${String(i).padStart(2, '0')}.md`);
    await writeFile(f, text);
    out.push(f);
  }
  return out;
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('streamSpecs', () => {
  it('gives the specs in order, broken ones included (for the run to report), and passes those to onBroken', async () => {
    const list = await files([good(0), broken, good(2), good(3)]);
    const brokenFiles: string[] = [];
    const got: string[] = [];
    for await (const spec of streamSpecs({ files: list, displayPath: (a) => path.basename(a), readAhead: 2, onBroken: (s) => brokenFiles.push(s.file) })) {
      got.push(`${spec.file} ${String(spec.doc.frontMatter.endpoint)}`);
    }
    expect(got).toEqual(['s00.md GET /items/0', 's01.md undefined', 's02.md GET /items/2', 's03.md GET /items/3']);
    expect(brokenFiles).toEqual(['s01.md']);
  });

  it('reads at most readAhead specs beyond the ones asked for', async () => {
    const list = await files(Array.from({ length: 10 }, (_, i) => good(i)));
    const it = streamSpecs({ files: list, displayPath: (a) => path.basename(a), readAhead: 3, onBroken: () => undefined })[Symbol.asyncIterator]();
    const first = await it.next();
    expect((first.value as LoadedSpec).file).toBe('s00.md');
    await turns(40);
    // Whatever was read ahead is in memory; the rest is read from disk only when asked for.
    for (const f of list.slice(1)) await unlink(f).catch(() => undefined);
    const rest: string[] = [];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      // The files deleted from disk come as specs with a read error.
      if (r.value.diagnostics.length === 0) rest.push(r.value.file);
    }
    expect(rest).toEqual(['s01.md', 's02.md', 's03.md']);
  });

  it('says onSpec for each spec handed over, when it is handed over', async () => {
    const list = await files([good(0), good(1)]);
    const handed: string[] = [];
    const it = streamSpecs({ files: list, displayPath: (a) => path.basename(a), readAhead: 4, onBroken: () => undefined, onSpec: (s) => handed.push(s.file) })[Symbol.asyncIterator]();
    await it.next();
    await turns(10);
    expect(handed).toEqual(['s00.md']);
    await it.next();
    expect(handed).toEqual(['s00.md', 's01.md']);
    expect((await it.next()).done).toBe(true);
  });

  it('finishes a spec it had begun parsing in the background when a worker asks for it', async () => {
    const twoBlocks = `${good(1)}\n## Cleanup\n\n\`\`\`yaml\nsteps:\n  - id: tidy\n    method: DELETE\n    path: /items/1\n\`\`\`\n`;
    const list = await files([good(0), twoBlocks, broken, good(3)]);
    const brokenFiles: string[] = [];
    const it = streamSpecs({ files: list, displayPath: (a) => path.basename(a), readAhead: 2, onBroken: (s) => brokenFiles.push(s.file) })[Symbol.asyncIterator]();
    expect(((await it.next()).value as LoadedSpec).file).toBe('s00.md');
    // One background stage: s01 is read but its YAML is not parsed yet.
    await turns(2);
    const second = (await it.next()).value as LoadedSpec;
    expect(second.file).toBe('s01.md');
    expect(second.doc.steps.map((s) => s.step.id)).toEqual(['get', 'tidy']);
    expect(second.diagnostics).toEqual([]);
    await turns(3);
    const third = (await it.next()).value as LoadedSpec;
    expect(third.file).toBe('s02.md');
    expect(third.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(((await it.next()).value as LoadedSpec).file).toBe('s03.md');
    expect(brokenFiles).toEqual(['s02.md']);
    expect((await it.next()).done).toBe(true);
  });
});
