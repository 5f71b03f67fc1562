import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-config-pos-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(path.join(dir, 'verify.config.yaml'), text);
  return loadConfig({ cwd: dir, env: {} });
}

const PLAIN = `default: e
apis:
  items:
    specs: specs
environments:
  e:
    apis:
      items:
        baseUrl: 42
`;

describe('config positions come from the same read as the values', () => {
  it('points at the bad value, for plain YAML and for YAML only the yaml package reads (anchors)', async () => {
    const plain = await load(PLAIN);
    const anchored = await load(PLAIN.replace('  e:\n    apis:', '  e: &e\n    apis:'));
    for (const raw of [plain, anchored]) {
      const d = raw.diagnostics.find((x) => x.code === 'config-invalid');
      expect(d?.span).toMatchObject({ line: 9, col: 18 });
    }
  });

  it('spanOf gives a value\'s span, a key\'s position, and the nearest written parent for a missing key', async () => {
    const raw = await load(PLAIN.replace('baseUrl: 42', 'baseUrl: "http://h"'));
    expect(raw.diagnostics).toEqual([]);
    expect(raw.spanOf(['environments', 'e', 'apis', 'items', 'baseUrl'])).toMatchObject({ line: 9, col: 18, endLine: 9, endCol: 28 });
    expect(raw.spanOf(['environments', 'e', 'apis', 'items', 'baseUrl'], 'key')).toEqual({ file: 'verify.config.yaml', line: 9, col: 9 });
    expect(raw.spanOf(['apis', 'items', 'tokens', 'staff'])).toMatchObject({ line: 4, col: 5 });
  });

  it('YAML problems are config-yaml errors with the reader\'s position and hint', async () => {
    const raw = await load('environments:\n  e: { apis: "open }\n');
    expect(raw.diagnostics[0]).toMatchObject({ code: 'config-yaml', span: { line: 2, col: 14 } });
    expect(raw.diagnostics[0]!.hint).toMatch(/never closed/);
  });
});
