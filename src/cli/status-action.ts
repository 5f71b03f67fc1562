import path from 'node:path';
import { formatAge } from '../report/format.js';
import { staleness } from '../select/filters.js';
import { EXIT, UsageError } from './exit-codes.js';
import { useColor, type CliIo } from './io.js';
import { loadSpecs, printDiagnostics } from './load-specs.js';

/** `status`'s options as commander parses them. */
export interface StatusFlags {
  stale?: number;
  status?: string[];
  format: 'text' | 'json';
  reporter?: string[];
  check?: boolean;
}

interface Row {
  file: string;
  endpoint: string;
  domain?: string;
  status: string;
  verifiedAt?: string;
  age: string;
  attention?: string;
}

export async function runStatus(paths: string[], flags: StatusFlags, io: CliIo): Promise<number> {
  const loaded = await loadSpecs(paths, io.cwd);
  printDiagnostics(io.stderr, loaded.diagnostics, { sources: loaded.sources, color: useColor(io.stderr, io.env), warnings: false });
  const now = new Date();
  const rows: Row[] = [];
  // Broken specs still have whatever front-matter parsed; freshness is about all of them.
  for (const spec of [...loaded.specs, ...loaded.broken]) {
    const fm = spec.doc.frontMatter;
    const status = typeof fm.status === 'string' ? fm.status : 'draft';
    if (flags.status && !flags.status.includes(status)) continue;
    const verifiedAt = typeof fm.verifiedAt === 'string' ? fm.verifiedAt : undefined;
    const at = verifiedAt ? Date.parse(verifiedAt) : NaN;
    const stale = staleness({ absPath: spec.absPath, file: spec.file, frontMatter: fm }, flags.stale ?? Infinity, now);
    const attention =
      status === 'failing' || status === 'blocked' ? status : stale ? stale : undefined;
    rows.push({
      file: spec.file,
      endpoint: typeof fm.endpoint === 'string' ? fm.endpoint : '(no endpoint)',
      ...(typeof fm.domain === 'string' ? { domain: fm.domain } : {}),
      status,
      ...(verifiedAt ? { verifiedAt } : {}),
      age: Number.isNaN(at) ? 'never' : formatAge(now.getTime() - at),
      ...(attention ? { attention } : {}),
    });
  }
  rows.sort((a, b) => Number(!a.attention) - Number(!b.attention) || a.file.localeCompare(b.file));

  for (const entry of flags.reporter ?? []) {
    const m = /^html:(.+)$/.exec(entry);
    if (!m?.[1]) throw new UsageError(`status --reporter takes html:<file>, got "${entry}"`);
    const [{ renderFreshnessHtml }, { writeReportFile }] = await Promise.all([import('../report/html/render.js'), import('../report/write-file.js')]);
    const html = renderFreshnessHtml(
      rows.map((r) => ({ file: r.file, endpoint: r.endpoint, status: r.status, ...(r.domain ? { domain: r.domain } : {}), ...(r.verifiedAt ? { verifiedAt: r.verifiedAt } : {}) })),
      { now },
    );
    await writeReportFile(path.resolve(io.cwd, m[1]), html);
  }

  if (flags.format === 'json') io.stdout.write(`${JSON.stringify({ generatedAt: now.toISOString(), specs: rows }, null, 2)}\n`);
  else io.stdout.write(table(rows));
  const needing = rows.filter((r) => r.attention).length;
  if (flags.format !== 'json') io.stdout.write(`\n${rows.length} specs, ${needing} need attention\n`);
  // A path that does not exist (or another usage error) is not a freshness answer.
  if (loaded.diagnostics.some((d) => d.severity === 'error' && !d.span)) return EXIT.usage;
  return flags.check && needing > 0 ? EXIT.failed : EXIT.ok;
}

function table(rows: Row[]): string {
  const header = ['STATUS', 'VERIFIED', 'ENDPOINT', 'FILE', 'ATTENTION'];
  const data = rows.map((r) => [r.status, r.age, r.endpoint, r.file, r.attention ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...data.map((d) => (d[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return `${[line(header), ...data.map(line)].join('\n')}\n`;
}
