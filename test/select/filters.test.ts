import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/select/duration.js';
import { selectSpecs, staleness, type Selectable } from '../../src/select/filters.js';

const now = new Date('2026-11-22T12:00:00Z');
const spec = (file: string, fm: Selectable['frontMatter']): Selectable => ({ absPath: `/r/${file}`, file, frontMatter: fm });
const specs = [
  spec('specs/a.md', { endpoint: 'GET /clients', tags: ['Messaging', 'x'], domain: 'communication', status: 'verified', verifiedAt: '2026-11-21T12:00:00Z' }),
  spec('specs/b.md', { endpoint: 'POST /conversations', tags: ['conversations'], domain: 'chat', status: 'failing', verifiedAt: '2026-10-01T00:00:00Z' }),
  spec('specs/c.md', { endpoint: 'GET /health', status: 'draft' }),
];
const pick = (sel: Parameters<typeof selectSpecs>[1]): string[] => selectSpecs(specs, sel, { now, rootDir: '/r' }).map((s) => s.file);

describe('selection', () => {
  it('filters by tags case-insensitively, any of', () => {
    expect(pick({ tags: ['messaging'] })).toEqual(['specs/a.md']);
    expect(pick({ tags: ['conversations', 'x'] })).toEqual(['specs/a.md', 'specs/b.md']);
  });
  it('filters by domain, grep on endpoint or file, and status (missing status is draft)', () => {
    expect(pick({ domain: ['CHAT'] })).toEqual(['specs/b.md']);
    expect(pick({ grep: 'conversations' })).toEqual(['specs/b.md']);
    expect(pick({ grep: 'c.md' })).toEqual(['specs/c.md']);
    expect(pick({ status: ['draft', 'failing'] })).toEqual(['specs/b.md', 'specs/c.md']);
  });
  it('stale: never verified or older than the duration', () => {
    expect(pick({ staleMs: parseDuration('7d') })).toEqual(['specs/b.md', 'specs/c.md']);
    expect(pick({ staleMs: parseDuration('365d') })).toEqual(['specs/c.md']);
  });
  it('stale: a content commit after verifiedAt makes a fresh spec stale', () => {
    const commits = new Map([['/r/specs/a.md', new Date('2026-11-22T00:00:00Z')]]);
    expect(staleness(specs[0]!, 7 * 86_400_000, now, commits)).toBe('edited after it was verified');
    expect(staleness(specs[0]!, 7 * 86_400_000, now)).toBeUndefined();
  });
  it('changed-since keeps only the changed files', () => {
    expect(pick({ changed: new Set(['/r/specs/c.md']) })).toEqual(['specs/c.md']);
  });
  it('parses durations and refuses others', () => {
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('seven days')).toBeUndefined();
  });
});
