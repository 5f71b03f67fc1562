import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderDiagnostic } from '../diagnostics/render.js';
import { parseSpec } from '../spec/parse.js';
import { lintSpec } from '../spec/lint.js';
import { existsSync } from 'node:fs';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import type { NewFlags } from './commands/authoring.js';
import type { VerifyFlags } from './commands/verify.js';

function defaultOut(endpoint: string): string {
  const [method = 'get', p = '/'] = endpoint.trim().split(/\s+/);
  const slug = p
    .split('/')
    .filter((s) => s && !s.startsWith('{'))
    .join('-')
    .replace(/[^A-Za-z0-9-]+/g, '-');
  return path.join('specs', `${method.toLowerCase()}-${slug || 'root'}.md`);
}

export async function runNew(endpoint: string, flags: NewFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const outAbs = path.resolve(io.cwd, flags.out ?? defaultOut(endpoint));
  const { scaffoldSpec } = await import('../openapi/scaffold.js');
  const made = await scaffoldSpec({ endpoint, swaggerAbs: path.resolve(io.cwd, flags.swagger), outAbs, now: new Date() });
  if (!made.text) {
    for (const d of made.diagnostics) io.stderr.write(`${renderDiagnostic(d, { color })}\n`);
    return EXIT.usage;
  }
  const display = path.relative(io.cwd, outAbs) || outAbs;
  await mkdir(path.dirname(outAbs), { recursive: true });
  try {
    // 'wx': an existing spec is someone's work; never replace it.
    await writeFile(outAbs, made.text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      io.stderr.write(`error: ${display} already exists; nothing was written (choose another --out)\n`);
      return EXIT.usage;
    }
    throw e;
  }
  const parsed = parseSpec(made.text, display);
  const findings = [...parsed.diagnostics, ...lintSpec(parsed.doc, { knownVars: new Set(), mayComeFromEnv: true, fileExists: existsSync, specDir: path.dirname(outAbs) })];
  for (const d of findings) io.stderr.write(`${renderDiagnostic(d, { source: made.text, color })}\n\n`);
  io.stdout.write(`wrote ${display}\n`);
  if (!flags.run) return EXIT.ok;
  const { runVerify } = await import('./verify-action.js');
  const verifyFlags: VerifyFlags = {
    concurrency: 1,
    maxWait: 60_000,
    timeout: 30_000,
    fallback: 'spec',
    write: true,
    conformance: 'warn',
    ...flags,
  } as VerifyFlags;
  return runVerify([display], verifyFlags, io);
}
