import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/specfile/lint-run.js';

let dir: string;
const block = (steps: string): string => `\`\`\`yaml\nsteps:\n${steps}\n\`\`\`\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ev-lint-use-'));
  await writeFile(path.join(dir, 'base.md'), `---\nendpoint: GET /a\n---\n## Test Request\n${block('  - id: a\n    method: GET\n    path: /a\n    extract: { a_id: "$.id" }')}`);
  await writeFile(path.join(dir, 'middle.md'), `---\nendpoint: GET /b\n---\n## Prerequisites\n${block('  - id: base\n    use: ./base.md')}## Test Request\n${block('  - id: b\n    method: GET\n    path: /b/{{a_id}}\n    extract: { b_id: "$.id" }')}`);
  await writeFile(
    path.join(dir, 'top.md'),
    `---\nendpoint: GET /c/{id}\n---\n## Prerequisites\n${block('  - id: mid\n    use: ./middle.md')}## Test Request\n${block('  - id: c\n    method: GET\n    path: /c/{{b_id}}/{{a_id}}/{{c_id}}')}`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lint follows use: targets', () => {
  it('variables a used spec extracts (also through its own uses) are defined; others are not', async () => {
    const r = await lintPaths({ paths: [dir], cwd: dir, knownVars: new Set(), mayComeFromEnv: false });
    const top = r.files.find((f) => f.file === 'top.md')!;
    const vars = top.diagnostics.filter((d) => d.code.includes('undefined-var'));
    expect(vars.map((d) => [d.code, d.message.match(/\{\{(\w+)\}\}/)?.[1]])).toEqual([['undefined-var', 'c_id']]);
    expect(r.files.find((f) => f.file === 'middle.md')!.diagnostics.filter((d) => d.code.includes('var'))).toEqual([]);
  });
});
