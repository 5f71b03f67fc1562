import path from 'node:path';
import type { FrontMatter } from '../specfile/model.js';
import { inShard, type Shard } from './shard.js';

export interface Selection {
  tags?: string[];
  domain?: string[];
  grep?: string;
  status?: string[];
  /** Milliseconds: never verified, or verifiedAt older than this. */
  staleMs?: number;
  /** Absolute paths changed since a git ref. */
  changed?: ReadonlySet<string>;
  /** Absolute path -> date of the last commit that changed unowned content. */
  lastContentCommit?: ReadonlyMap<string, Date>;
  shard?: Shard;
}

export interface Selectable {
  absPath: string;
  file: string;
  frontMatter: FrontMatter;
}

/** Why a spec is stale, or undefined when it is fresh. */
export function staleness(
  spec: Selectable,
  staleMs: number,
  now: Date,
  lastCommit?: ReadonlyMap<string, Date>,
): string | undefined {
  const at = spec.frontMatter.verifiedAt;
  if (typeof at !== 'string' || at.trim() === '') return 'never verified';
  const verified = Date.parse(at);
  if (Number.isNaN(verified)) return `verifiedAt "${at}" is not a date`;
  if (now.getTime() - verified > staleMs) return `verified ${Math.floor((now.getTime() - verified) / 86_400_000)}d ago`;
  const committed = lastCommit?.get(spec.absPath);
  if (committed && committed.getTime() > verified) return 'edited after it was verified';
  return undefined;
}

export function selectSpecs<T extends Selectable>(
  specs: readonly T[],
  sel: Selection,
  opts: { now: Date; rootDir: string },
): T[] {
  return specs.filter((s) => matches(s, sel, opts));
}

function matches(s: Selectable, sel: Selection, opts: { now: Date; rootDir: string }): boolean {
  const fm = s.frontMatter;
  if (sel.tags?.length) {
    const tags = Array.isArray(fm.tags) ? fm.tags.map((t) => String(t).toLowerCase()) : [];
    if (!sel.tags.some((t) => tags.includes(t.toLowerCase()))) return false;
  }
  if (sel.domain?.length) {
    const d = typeof fm.domain === 'string' ? fm.domain.toLowerCase() : '';
    if (!sel.domain.some((x) => x.toLowerCase() === d)) return false;
  }
  if (sel.grep) {
    const needle = sel.grep.toLowerCase();
    const hay = `${typeof fm.endpoint === 'string' ? fm.endpoint : ''}\n${s.file}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  if (sel.status?.length) {
    const st = typeof fm.status === 'string' ? fm.status : 'draft';
    if (!sel.status.includes(st)) return false;
  }
  if (sel.staleMs !== undefined && !staleness(s, sel.staleMs, opts.now, sel.lastContentCommit)) return false;
  if (sel.changed && !sel.changed.has(s.absPath)) return false;
  if (sel.shard && !inShard(path.relative(opts.rootDir, s.absPath), sel.shard)) return false;
  return true;
}
