import { readFileSync } from 'node:fs';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LineIndex, type Span } from '../source/span.js';
import { Checker, describe, isRecord } from './check.js';
import { decodeSpec } from './decode.js';
import { checkFrontMatter } from './front-matter.js';
import type { FrontMatter, ParsedStep, ParseResult, Phase, SpecDocument, StepBlock } from './model.js';
import { splitSpec, type FencedBlock } from './split.js';
import { checkStep } from './step-check.js';
import { findTemplates } from './templates.js';
import type { Located, StringSite } from '../yaml/located.js';
import { loadYaml } from '../yaml/load.js';

export interface LoadedSpec {
  /** Display path, relative to cwd. */
  file: string;
  absPath: string;
  /** The file as read, for write-back's "changed during the run" check. */
  bytes: Buffer;
  doc: SpecDocument;
  diagnostics: Diagnostic[];
}

const STEPS_LINE = /^steps[ \t]*:/m;

/** Parses a decoded spec file (without BOM). Never throws on user input. */
export function parseSpec(text: string, file: string): ParseResult {
  return drain(parseInStages(text, file));
}

/** A staged parse: a caller holding a stage boundary may have a response waiting (see cli/spec-stream). */
export type Stages<T> = Generator<void, T, void>;

/** Runs the remaining stages and returns the result. */
export function drain<T>(stages: Stages<T>): T {
  for (;;) {
    const r = stages.next();
    if (r.done) return r.value;
  }
}

/** parseSpec in stages: the front-matter, then one stage per step block. */
function* parseInStages(text: string, file: string): Stages<ParseResult> {
  const index = new LineIndex(text);
  const split = splitSpec(text, file);
  const diagnostics: Diagnostic[] = [...split.diagnostics];
  const doc: SpecDocument = { file, text, frontMatter: {}, frontMatterSpans: {}, steps: [], blocks: [] };

  if (split.frontMatter) {
    const fmSpan: Span = { file, line: 1, col: 1 };
    const loaded = loadYaml(split.frontMatter.text, { file, index, base: split.frontMatter.offset, diagnostics });
    if (loaded) {
      const fm = checkFrontMatter(loaded, fmSpan);
      doc.frontMatter = fm.frontMatter as FrontMatter;
      doc.frontMatterSpans = fm.spans;
      if (fm.endpoint) doc.endpoint = fm.endpoint;
      diagnostics.push(...fm.diagnostics);
    }
  }

  for (const block of split.blocks) {
    if ((block.lang !== 'yaml' && block.lang !== 'yml') || !STEPS_LINE.test(block.text)) continue;
    const phase = block.heading?.phase;
    if (!phase) {
      diagnostics.push(
        diag('warning', 'steps-outside-phase', `this steps block is under ${block.heading ? `"${block.heading.text}"` : 'no heading'}, so it is not run`, {
          span: { file, line: block.fenceLine, col: 1 },
          hint: 'put step blocks under a "## Prerequisites", "## Test Request" or "## Cleanup" heading',
        }),
      );
      continue;
    }
    yield;
    const blockIndex = doc.blocks.length;
    const stepBlock: StepBlock = { phase, fenceLine: block.fenceLine, text: block.text, offset: block.offset };
    doc.blocks.push(stepBlock);
    const loaded = loadYaml(block.text, { file, index, base: block.offset, diagnostics });
    if (loaded) doc.steps.push(...stepsOf({ loaded, block, phase, blockIndex, text, file, index, diagnostics }));
  }
  return { doc, diagnostics };
}

function stepsOf(o: {
  loaded: Located;
  block: FencedBlock;
  phase: Phase;
  blockIndex: number;
  text: string;
  file: string;
  index: LineIndex;
  diagnostics: Diagnostic[];
}): ParsedStep[] {
  const { loaded, file } = o;
  const blockSpan: Span = { file, line: o.block.fenceLine + 1, col: 1 };
  const c = new Checker({ keySpans: loaded.keySpans, valueSpans: loaded.valueSpans, fallback: blockSpan });
  const out: ParsedStep[] = [];
  const root = loaded.value;
  if (!isRecord(root)) {
    c.error('steps-not-list', `a steps block must be a mapping with "steps:", not ${describe(root)}`, blockSpan, 'start the block with "steps:" and list the steps under it');
  } else {
    c.unknownKeys(root, '', ['steps'], 'steps block', 'unknown-step-key');
    const list = root.steps;
    if (!Array.isArray(list)) {
      c.error('steps-not-list', `"steps" must be a list of steps, not ${describe(list)}`, c.valueSpan('steps'), 'list the steps with "- id: name" items');
    } else {
      const parts = byStep(loaded, list.length);
      for (let i = 0; i < list.length; i++) {
        const at = `steps.${i}`;
        const step = checkStep(c, list[i], at);
        if (!step) continue;
        const part = parts[i]!;
        const full = c.valueSpan(at);
        out.push({
          step,
          phase: o.phase,
          span: { file, line: full.line, col: full.col },
          keySpans: part.keySpans,
          valueSpans: part.valueSpans,
          templates: findTemplates({ sites: part.sites, text: o.text, file, index: o.index, stripPrefix: `${at}.` }),
          block: o.blockIndex,
        });
      }
    }
  }
  o.diagnostics.push(...c.diagnostics);
  return out;
}

interface StepPart {
  keySpans: Record<string, Span>;
  valueSpans: Record<string, Span>;
  sites: StringSite[];
}

/**
 * Splits a block's "steps.N.key" spans and string sites into one set per step,
 * keyed relative to the step, in a single pass (a filter per step made parsing
 * quadratic in the block's size, and showed in profiles of large runs).
 */
function byStep(loaded: Located, count: number): StepPart[] {
  const parts: StepPart[] = [];
  for (let i = 0; i < count; i++) parts.push({ keySpans: {}, valueSpans: {}, sites: [] });
  const PREFIX = 'steps.'.length;
  const locate = (path: string): { part: StepPart; rest: string } | undefined => {
    if (!path.startsWith('steps.')) return undefined;
    const dot = path.indexOf('.', PREFIX);
    if (dot === -1) return undefined;
    const n = path.slice(PREFIX, dot);
    // Only a canonical index: a root key such as "steps..x" belongs to no step.
    const part = String(Number(n)) === n ? parts[Number(n)] : undefined;
    return part ? { part, rest: path.slice(dot + 1) } : undefined;
  };
  for (const [k, s] of loaded.keySpans) {
    const l = locate(k);
    if (l) l.part.keySpans[l.rest] = s;
  }
  for (const [k, s] of loaded.valueSpans) {
    const l = locate(k);
    if (l) l.part.valueSpans[l.rest] = s;
  }
  for (const site of loaded.strings) locate(site.at)?.part.sites.push(site);
  return parts;
}

/** Reads, decodes and parses one spec file. Never throws: an unreadable file is a diagnostic. */
export async function readSpec(absPath: string, displayPath: string): Promise<LoadedSpec> {
  return readSpecSync(absPath, displayPath);
}

/** readSpec without the promise, for a caller that parses between other work (see cli/spec-stream). */
export function readSpecSync(absPath: string, displayPath: string): LoadedSpec {
  return drain(readSpecInStages(absPath, displayPath));
}

/**
 * readSpecSync cut into stages of a few tens of microseconds each: reading
 * and the front-matter, then each step block. A run parses the next specs in
 * these stages while its requests are in flight, so a response that arrives
 * meanwhile waits for one stage, not for a whole spec.
 */
export function* readSpecInStages(absPath: string, displayPath: string): Stages<LoadedSpec> {
  let bytes: Buffer;
  try {
    // Synchronous on purpose: spec files are small and local, and a promise-based read costs
    // several thread-pool round trips per file (5x slower over 2,000 files on a 2-core machine).
    bytes = readFileSync(absPath);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'it is a folder' : (err.code ?? err.message);
    return {
      file: displayPath,
      absPath,
      bytes: Buffer.alloc(0),
      doc: emptyDoc(displayPath, ''),
      diagnostics: [diag('error', 'read-error', `cannot read the spec file: ${reason}`, { span: { file: displayPath, line: 1, col: 1 }, hint: 'check that the file exists and is readable' })],
    };
  }
  const decoded = decodeSpec(bytes, displayPath);
  if (decoded.diagnostics.some((d) => d.severity === 'error')) {
    return { file: displayPath, absPath, bytes, doc: emptyDoc(displayPath, decoded.text), diagnostics: decoded.diagnostics };
  }
  yield;
  const parsed = yield* parseInStages(decoded.text, displayPath);
  return { file: displayPath, absPath, bytes, doc: parsed.doc, diagnostics: [...decoded.diagnostics, ...parsed.diagnostics] };
}

function emptyDoc(file: string, text: string): SpecDocument {
  return { file, text, frontMatter: {}, frontMatterSpans: {}, steps: [], blocks: [] };
}
