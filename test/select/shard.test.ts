import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/select/shard.js';

const files = Array.from({ length: 500 }, (_, i) => `specs/api-${i % 7}/endpoint-${i}.md`);

describe('shards', () => {
  it('parses i/n and refuses nonsense', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '1-4', '']) expect(parseShard(bad)).toBeUndefined();
  });

  it('covers every spec exactly once across n shards', () => {
    for (const n of [1, 2, 3, 8]) {
      const counts = new Map<string, number>();
      for (let i = 1; i <= n; i++) for (const f of files) if (inShard(f, { index: i, total: n })) counts.set(f, (counts.get(f) ?? 0) + 1);
      expect(counts.size).toBe(files.length);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
    }
  });

  it('keeps existing specs on their shard when specs are added', () => {
    const before = new Map(files.map((f) => [f, shardOf(f, 4)]));
    const grown = [...files, ...Array.from({ length: 100 }, (_, i) => `specs/new/extra-${i}.md`)];
    for (const f of grown) if (before.has(f)) expect(shardOf(f, 4)).toBe(before.get(f));
  });

  it('spreads specs roughly evenly', () => {
    const sizes = [1, 2, 3, 4].map((i) => files.filter((f) => inShard(f, { index: i, total: 4 })).length);
    for (const s of sizes) expect(s).toBeGreaterThan(files.length / 4 / 2);
  });

  it('treats Windows separators like POSIX ones', () => {
    expect(shardOf('specs\\a\\b.md', 5)).toBe(shardOf('specs/a/b.md', 5));
  });
});
