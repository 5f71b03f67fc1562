import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { renderDiagnostic } from '../diagnostics/render.js';
import { discoverSpecFiles } from '../specfile/discover.js';
import { adoptTables } from '../specfile/tables/index.js';
import { writeBack } from '../specfile/write-back.js';
import { EXIT } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { displayPath } from './load-specs.js';

/**
 * `docs adopt [paths]`: for each spec file, markers around its recognised tables, written with the
 * same lock, conflict check and atomic rename as a verdict (the edit inserts the marker lines
 * only). Exit 0, or 2 when a path does not exist, 3 when a file could not be written.
 */
export async function runDocsAdopt(paths: string[], io: CliIo): Promise<number> {
  const found = await discoverSpecFiles(paths, io.cwd);
  const color = useColor(io.stderr, io.env);
  for (const d of found.diagnostics) io.stderr.write(`${renderDiagnostic(d, { color })}\n`);
  let exit: number = found.diagnostics.some((d) => d.severity === 'error') ? EXIT.usage : EXIT.ok;
  let adoptedFiles = 0;
  for (const abs of found.files) {
    const file = displayPath(io.cwd, abs);
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch (e) {
      io.stderr.write(`error: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      if (exit !== EXIT.usage) exit = EXIT.runtime;
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const plan = adoptTables(text);
    if (plan.adopted.length === 0) {
      if (plan.alreadyMarked.length > 0) io.stdout.write(`${file}: already marked (${plan.alreadyMarked.join(', ')})\n`);
      continue;
    }
    const result = await writeBack({
      file: abs,
      originalBytes: bytes,
      changes: {},
      roots: [path.dirname(abs)],
      editText: (t) => ({ text: adoptTables(t).text }),
    });
    if (result.outcome === 'written') {
      adoptedFiles++;
      io.stdout.write(`${file}: marked ${plan.adopted.map((a) => `${a.kind} (line ${a.line})`).join(', ')}\n`);
    } else if (result.outcome !== 'unchanged') {
      io.stderr.write(`error: ${file}: not changed: ${result.message ?? result.outcome}\n`);
      if (exit !== EXIT.usage) exit = EXIT.runtime;
    }
  }
  io.stderr.write(`${adoptedFiles} spec file${adoptedFiles === 1 ? '' : 's'} adopted of ${found.files.length}\n`);
  return exit;
}
