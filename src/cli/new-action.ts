import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render.js';
import { lintSpec } from '../specfile/lint.js';
import { parseSpec } from '../specfile/parse.js';
import { DEFAULT_SPEC_FOLDER, defaultSpecPaths } from './default-paths.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import type { VerifyFlags } from './verify-action.js';

/** `new`'s options; with --run, the run options of `verify` too. */
export interface NewFlags extends Partial<VerifyFlags> {
  swagger: string;
  out?: string;
  run?: boolean;
  api?: string;
}

/**
 * `<folder>/<method>-<path segments>.md`, a path parameter kept by its name so that
 * `GET /items` and `GET /items/{id}` get different files (`get-items.md`, `get-items-id.md`).
 * `folder` is where specs live: the config's first `specs:` folder, else `specs`.
 */
export function defaultOutPath(endpoint: string, folder = DEFAULT_SPEC_FOLDER): string {
  const [method = 'get', p = '/'] = endpoint.trim().split(/\s+/);
  const slug = p
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/[{}]/g, ''))
    .join('-')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return path.join(folder, `${method.toLowerCase()}-${slug || 'root'}.md`);
}

/** The `new` command: scaffold, write (never over an existing file), lint, optionally verify once. */
export async function runNew(endpoint: string, flags: NewFlags, io: CliIo): Promise<number> {
  const color = useColor(io.stderr, io.env);
  const outAbs = path.resolve(io.cwd, flags.out ?? defaultOutPath(endpoint, (await defaultSpecPaths(io.cwd, io.env))[0]));
  const display = path.relative(io.cwd, outAbs).split(path.sep).join('/') || outAbs;
  if (existsSync(outAbs)) return refuseOverwrite(io, display);
  const { scaffoldSpec } = await import('../openapi/scaffold.js');
  const made = await scaffoldSpec({ endpoint, swaggerAbs: path.resolve(io.cwd, flags.swagger), outAbs, now: new Date(), ...(flags.api ? { api: flags.api } : {}) });
  for (const d of made.diagnostics) io.stderr.write(`${renderDiagnostic(d, { color })}\n`);
  if (!made.text || hasErrors(made.diagnostics)) return EXIT.usage;

  await mkdir(path.dirname(outAbs), { recursive: true });
  try {
    // 'wx': a file that appeared since the check above is someone's work too.
    await writeFile(outAbs, made.text, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return refuseOverwrite(io, display);
    io.stderr.write(`error: cannot write ${display}: ${(e as Error).message}\n`);
    return EXIT.usage;
  }
  const parsed = parseSpec(made.text, display);
  const findings = [...parsed.diagnostics, ...lintSpec(parsed.doc, { knownVars: new Set(), mayComeFromEnv: true, fileExists: existsSync, specDir: path.dirname(outAbs) })];
  for (const d of findings) io.stderr.write(`${renderDiagnostic(d, { source: made.text, color })}\n\n`);
  io.stdout.write(`wrote ${display} (status: draft)\n`);
  if (!flags.run) return EXIT.ok;
  const { runVerify } = await import('./verify-action.js');
  const verifyFlags: VerifyFlags = { concurrency: 1, maxWait: 60_000, timeout: 30_000, fallback: 'spec', conformance: 'warn', ...flags, write: true };
  return runVerify([display], verifyFlags, io);
}

function refuseOverwrite(io: CliIo, display: string): number {
  io.stderr.write(`error: ${display} already exists; nothing was written (choose another --out)\n`);
  return EXIT.usage;
}
