import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineIndex } from '../src/source/span.js';
import { discoverSpecFiles } from '../src/specfile/discover.js';
import { editFrontMatter, ownedValues } from '../src/specfile/front-matter-edit.js';
import { splitSpec } from '../src/specfile/split.js';
import { fastLoadYaml } from '../src/yaml/fast.js';
import { loadYaml } from '../src/yaml/load.js';
import { numberOption } from './args.js';
import { benchSpec } from './generate.js';
import { median } from './measure.js';

/**
 * Does the fast YAML reader pay? Parses the YAML of a corpus (front-matter
 * and every ```yaml block) with the fast reader (falling back to the `yaml`
 * package where it declines, as a run does) and with the `yaml` package
 * reader alone, interleaved in the same process, and prints the ratio of
 * wall time and of CPU time per corpus.
 *
 *   npm run bench:yaml [-- --rounds 15 --specs 2000]
 *
 * Then the cost of a write-back's front-matter edit (yaml/edit.ts, the
 * `yaml` package's CST) per spec, against the time to parse that spec.
 *
 * Corpora: this repository's specs/ (repeated to about 2,000 files so the
 * timings are not noise) and a generated 2,000-spec corpus (bench/generate.ts).
 */

interface Block {
  file: string;
  text: string;
  index: LineIndex;
  base: number;
}

function blocksOf(file: string, text: string): Block[] {
  const index = new LineIndex(text);
  const split = splitSpec(text, file);
  const out: Block[] = [];
  if (split.frontMatter) out.push({ file, text: split.frontMatter.text, index, base: split.frontMatter.offset });
  for (const b of split.blocks) if (b.lang === 'yaml' || b.lang === 'yml') out.push({ file, text: b.text, index, base: b.offset });
  return out;
}

/** Loads every block once; returns wall and CPU milliseconds. */
function pass(blocks: Block[], noFastPath: boolean): { wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (const b of blocks) {
    const loaded = loadYaml(b.text, { file: b.file, index: b.index, base: b.base, diagnostics: [], noFastPath });
    if (!loaded) throw new Error(`${b.file}: the bench corpus must parse`);
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function compare(name: string, blocks: Block[], files: number, rounds: number): void {
  const accepted = blocks.filter((b) => fastLoadYaml(b.text, { file: b.file, index: b.index, base: b.base, diagnostics: [] }) !== undefined).length;
  // Warm both paths (JIT, the yaml package's first load) before timing.
  for (let i = 0; i < 3; i++) {
    pass(blocks, false);
    pass(blocks, true);
  }
  const fast: { wall: number; cpu: number }[] = [];
  const full: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so neither reader always runs on a colder cache or a busier machine.
    if (r % 2 === 0) {
      fast.push(pass(blocks, false));
      full.push(pass(blocks, true));
    } else {
      full.push(pass(blocks, true));
      fast.push(pass(blocks, false));
    }
  }
  const ratios = fast.map((f, i) => full[i]!.wall / f.wall).sort((a, b) => a - b);
  const fastWall = median(fast.map((s) => s.wall));
  const fullWall = median(full.map((s) => s.wall));
  const fastCpu = median(fast.map((s) => s.cpu));
  const fullCpu = median(full.map((s) => s.cpu));
  const fmt = (n: number): string => n.toFixed(1);
  process.stdout.write(
    `${name}: ${blocks.length} YAML blocks, fast reader accepts ${((accepted / blocks.length) * 100).toFixed(1)} %\n` +
      `  fast reader (+ fallback): wall ${fmt(fastWall)} ms, cpu ${fmt(fastCpu)} ms (median of ${rounds})\n` +
      `  yaml package reader:      wall ${fmt(fullWall)} ms, cpu ${fmt(fullCpu)} ms\n` +
      `  yaml package / fast: wall x${(fullWall / fastWall).toFixed(2)}, cpu x${(fullCpu / fastCpu).toFixed(2)}; ` +
      `per-round wall ratio min x${ratios[0]!.toFixed(2)}, max x${ratios.at(-1)!.toFixed(2)}\n` +
      `  per spec file: fast ${((fastWall / files) * 1000).toFixed(1)} us, yaml package ${((fullWall / files) * 1000).toFixed(1)} us\n`,
  );
}

const rounds = numberOption('rounds', 15);
const specs = numberOption('specs', 2000);

const repoFiles = (await discoverSpecFiles(['specs'], process.cwd())).files.map((f) => ({ file: path.relative(process.cwd(), f), text: readFileSync(f, 'utf8').replace(/^\uFEFF/, '') }));
const repoBlocks = repoFiles.flatMap((f) => blocksOf(f.file, f.text));
const copies = Math.max(1, Math.round(specs / Math.max(1, repoFiles.length)));
compare(`repo specs/ (${repoFiles.length} files x ${copies})`, Array.from({ length: copies }, () => repoBlocks).flat(), repoFiles.length * copies, rounds);

const generated = Array.from({ length: specs }, (_, i) => blocksOf(`item-${i}.md`, benchSpec(i))).flat();
compare(`generated (${specs} specs)`, generated, specs, rounds);

/** ownedValues + editFrontMatter, as write-back does per written spec: CPU ms per pass over `texts`. */
function editPass(texts: string[]): number {
  const cpu0 = process.cpuUsage();
  for (const t of texts) {
    const before = ownedValues(t);
    const out = editFrontMatter(t, { status: 'verified', verifiedAt: '2026-11-23T01:02:03.000Z', timesReused: (before.timesReused ?? 0) + 1 });
    if ('error' in out) throw new Error(out.error.message);
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / 1000;
}

const texts = Array.from({ length: specs }, (_, i) => benchSpec(i));
for (let i = 0; i < 3; i++) editPass(texts);
const edits = median(Array.from({ length: rounds }, () => editPass(texts)));
process.stdout.write(`front-matter edit through the CST (generated, ${specs} specs): cpu ${edits.toFixed(1)} ms, ${((edits / specs) * 1000).toFixed(1)} us a spec (median of ${rounds})\n`);
