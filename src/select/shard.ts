import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based index, as people write it in a CI matrix. */
  index: number;
  total: number;
}

export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) return undefined;
  return { index, total };
}

/**
 * Which shard a spec belongs to. Hashing the repository-relative path (not
 * the position in a sorted list) keeps every existing spec on its shard when
 * specs are added or removed, so CI history per shard stays comparable.
 */
export function shardOf(relPath: string, total: number): number {
  const key = relPath.split('\\').join('/');
  const digest = createHash('sha1').update(key).digest();
  return (digest.readUInt32BE(0) % total) + 1;
}

export function inShard(relPath: string, shard: Shard): boolean {
  return shardOf(relPath, shard.total) === shard.index;
}
