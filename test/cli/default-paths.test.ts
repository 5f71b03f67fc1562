import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSpecPaths } from '../../src/cli/default-paths.js';
import { runCli, scratch } from './run-cli.js';

/**
 * With no path named, commands work on the folders the config's `specs:` keys name (a team's
 * `docs/api`, say), not on a `specs/` folder that happens to sit in the working directory.
 */

const GOOD = '---\nendpoint: GET /items\n---\n## Test Request\n\n```yaml\nsteps:\n  - id: list\n    method: GET\n    path: /items\n    expect: { status: [200] }\n```\n';
const BROKEN = '---\nendpoint: GET /x\n---\n## Test Request\n\n```yaml\nsteps: [\n```\n';

let work: Awaited<ReturnType<typeof scratch>> | undefined;
afterEach(async () => {
  await work?.cleanup();
  work = undefined;
});

async function folder(config: string | undefined): Promise<string> {
  work = await scratch();
  await mkdir(path.join(work.dir, 'docs/api'), { recursive: true });
  await mkdir(path.join(work.dir, 'specs'), { recursive: true });
  await writeFile(path.join(work.dir, 'docs/api/list-items.md'), GOOD);
  // A stray folder named like the built-in default, holding a broken file.
  await writeFile(path.join(work.dir, 'specs/stray.md'), BROKEN);
  if (config !== undefined) await writeFile(path.join(work.dir, 'verify.config.yaml'), config);
  return work.dir;
}

const CONFIG = 'default: staging\napis:\n  shop:\n    specs: docs/api\nenvironments:\n  staging:\n    apis:\n      shop: { baseUrl: "http://127.0.0.1:9" }\n';

describe('paths when none are named', () => {
  it("are the config's specs: folders, relative to the working directory", async () => {
    const dir = await folder(CONFIG);
    expect(await defaultSpecPaths(dir, {})).toEqual([path.join('docs', 'api')]);
    expect(await defaultSpecPaths(path.join(dir, 'docs'), {})).toEqual(['api']);
  });

  it('are specs/ without a config, or with one that names no folder', async () => {
    const dir = await folder(undefined);
    expect(await defaultSpecPaths(dir, {})).toEqual(['specs']);
    await writeFile(path.join(dir, 'verify.config.yaml'), 'environments:\n  staging:\n    apis:\n      shop: { baseUrl: "http://127.0.0.1:9" }\n');
    expect(await defaultSpecPaths(dir, {})).toEqual(['specs']);
  });

  it('lint and status with no path read docs/api, not the stray specs/ folder', async () => {
    const dir = await folder(CONFIG);
    const lint = await runCli(['lint'], { cwd: dir });
    expect(lint.stdout + lint.stderr).not.toContain('stray.md');
    expect(lint.code).toBe(0);
    const status = await runCli(['status'], { cwd: dir });
    expect(status.stdout).toContain('list-items.md');
    expect(status.stdout + status.stderr).not.toContain('stray.md');
  });

  it('status exits 2 when a named path does not exist, as lint and verify do', async () => {
    const dir = await folder(undefined);
    const status = await runCli(['status', 'nowhere'], { cwd: dir });
    expect(status.stderr).toContain('no-such-path');
    expect(status.code).toBe(2);
  });
});

describe('new without --out', () => {
  it("names files by every path segment, a parameter by its name", async () => {
    const { defaultOutPath } = await import('../../src/cli/new-action.js');
    expect(defaultOutPath('GET /items')).toBe(path.join('specs', 'get-items.md'));
    expect(defaultOutPath('GET /items/{id}')).toBe(path.join('specs', 'get-items-id.md'));
    expect(defaultOutPath('DELETE /v1/orders/{order_id}/lines', path.join('docs', 'api'))).toBe(path.join('docs', 'api', 'delete-v1-orders-order-id-lines.md'));
  });
});
