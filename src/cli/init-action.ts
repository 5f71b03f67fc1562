import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_NAMES } from '../config/load.js';
import { inferPlan, renderConfig, renderEnvExample, variablesOf } from '../config/init-config.js';
import { discoverSpecFiles, displayPath } from '../specfile/discover.js';
import { createExportsReader } from '../specfile/lint-run.js';
import { readSpecSync, type LoadedSpec } from '../specfile/parse.js';
import { adoptTables } from '../specfile/tables/index.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

export interface InitFlags {
  env: string;
  baseUrl?: string;
  fallbackUrl?: string;
}

/**
 * `endpoint-verify init [folder]`: reads the spec files under the folder (default `specs`, else
 * the working directory) and writes verify.config.yaml and .env.example into the working
 * directory. Never overwrites: an existing file stops it with exit 2 before anything is written.
 */
export async function runInit(folder: string | undefined, flags: InitFlags, io: CliIo): Promise<number> {
  const given = folder ?? (isDir(path.join(io.cwd, 'specs')) ? 'specs' : '.');
  const specDir = path.resolve(io.cwd, given);
  if (!isDir(specDir)) {
    io.stderr.write(`error: ${given} is not a folder\n  hint: name the folder that holds your spec files: endpoint-verify init docs/api\n`);
    return EXIT.usage;
  }
  for (const name of [...CONFIG_NAMES, '.env.example']) {
    if (existsSync(path.join(io.cwd, name))) {
      io.stderr.write(`error: ${name} already exists; init never overwrites a file\n  hint: move it aside to write a fresh one, or edit it (docs/configuration.md)\n`);
      return EXIT.usage;
    }
  }
  const found = await discoverSpecFiles([specDir], io.cwd);
  const specs: LoadedSpec[] = found.files.map((abs) => readSpecSync(abs, displayPath(io.cwd, abs)));
  if (specs.length === 0) {
    io.stderr.write(`error: no spec files (*.md) under ${given}\n  hint: write one with \`endpoint-verify new "GET /path" --swagger openapi.yaml\` (docs/getting-started.md)\n`);
    return EXIT.usage;
  }
  const plan = inferPlan({
    configDir: io.cwd,
    specDir,
    specs,
    exportsOf: createExportsReader(),
    envName: flags.env,
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.fallbackUrl ? { fallbackUrl: flags.fallbackUrl } : {}),
  });
  // 'wx': a file that appeared since the check above is still not overwritten.
  try {
    await writeFile(path.join(io.cwd, 'verify.config.yaml'), renderConfig(plan), { flag: 'wx' });
    await writeFile(path.join(io.cwd, '.env.example'), renderEnvExample(plan), { flag: 'wx' });
  } catch (e) {
    io.stderr.write(`error: could not write the config: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return EXIT.usage;
  }
  const out = io.stdout;
  out.write(`Wrote verify.config.yaml and .env.example for ${specs.length} spec file${specs.length === 1 ? '' : 's'} under ${displayPath(io.cwd, specDir) || '.'}:\n`);
  for (const api of plan.apis) {
    const extras = [api.tokens.length ? `tokens ${api.tokens.join(', ')}` : 'no tokens', api.vars.length ? `vars ${api.vars.join(', ')}` : undefined, api.fallback ? 'fallback gateway' : undefined];
    out.write(`  ${api.name.padEnd(16)} ${api.specs}  (${api.files.length} spec${api.files.length === 1 ? '' : 's'}; ${extras.filter(Boolean).join('; ')})\n`);
  }
  const needed = variablesOf(plan).filter((v) => v.required);
  out.write(`\nSet ${needed.length === 1 ? 'this variable' : 'these variables'} (in the shell, or copy .env.example to .env):\n`);
  for (const v of needed) out.write(`  ${v.name}\n`);
  const target = displayPath(io.cwd, specDir) || '.';
  // npx: the command a project that installed the package locally can run as written.
  out.write(`\nThen run:\n  npx endpoint-verify lint ${target}\n  npx endpoint-verify verify ${target}\n`);
  // Hand-kept Response Codes / Authentication / Swagger Discrepancies tables can be kept true by runs.
  const adoptable = specs.filter((s) => /endpoint-verify:|\n\|/.test(s.doc.text) && adoptTables(s.doc.text).adopted.length > 0).length;
  if (adoptable > 0) {
    out.write(
      `\n${adoptable} spec${adoptable === 1 ? ' keeps' : 's keep'} tables by hand that runs can keep true (docs/spec-format.md, "Owned tables"):\n  npx endpoint-verify docs adopt ${target}\n  npx endpoint-verify verify ${target} --update-docs\n`,
    );
  }
  return EXIT.ok;
}

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
}
