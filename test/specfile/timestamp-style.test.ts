import { describe, expect, it } from 'vitest';
import { editFrontMatter } from '../../src/specfile/front-matter-edit.js';
import { formatTimestamp, timestampStyle } from '../../src/specfile/timestamp-style.js';

const AT = '2026-03-07T10:20:30.513Z';

function written(frontMatter: string): string {
  const out = editFrontMatter(`---\n${frontMatter}---\n# x\n`, { verifiedAt: AT, status: 'verified' });
  if ('error' in out) throw new Error(out.error.message);
  const line = out.text.split('\n').find((l) => l.startsWith('verifiedAt:'));
  return line ?? '';
}

describe('write-back keeps the file’s timestamp style', () => {
  it.each([
    ['verifiedAt: 2026-01-05T09:00:00Z\n', 'verifiedAt: 2026-03-07T10:20:30Z'],
    ['verifiedAt: "2026-01-05T09:00:00Z"\n', 'verifiedAt: "2026-03-07T10:20:30Z"'],
    ["verifiedAt: '2026-01-05T09:00:00.000Z'\n", "verifiedAt: '2026-03-07T10:20:30.513Z'"],
    ['verifiedAt: 2026-01-05T09:00:00.1Z # by CI\n', 'verifiedAt: 2026-03-07T10:20:30.5Z # by CI'],
    ['verifiedAt: 2026-01-05T09:00:00.123456Z\n', 'verifiedAt: 2026-03-07T10:20:30.513000Z'],
    ['verifiedAt: 2026-01-05T09:00:00+00:00\n', 'verifiedAt: 2026-03-07T10:20:30+00:00'],
    ['verifiedAt: 2026-01-05T11:00:00+02:00\n', 'verifiedAt: 2026-03-07T12:20:30+02:00'],
    ['verifiedAt: 2026-01-05 09:00:00Z\n', 'verifiedAt: 2026-03-07 10:20:30Z'],
    ['verifiedAt: 2026-01-05\n', 'verifiedAt: 2026-03-07'],
  ])('%s', (before, after) => {
    expect(written(before)).toBe(after);
  });

  it('a missing, empty or null verifiedAt follows savedAt, else the style `new` writes', () => {
    expect(written('savedAt: 2026-01-01T00:00:00Z\n')).toBe('verifiedAt: 2026-03-07T10:20:30Z');
    expect(written("savedAt: '2026-01-01T00:00:00Z'\nverifiedAt: null\n")).toBe("verifiedAt: '2026-03-07T10:20:30Z'");
    expect(written('verifiedAt:\n')).toBe('verifiedAt: "2026-03-07T10:20:30.513Z"');
    expect(written('endpoint: GET /x\n')).toBe('verifiedAt: "2026-03-07T10:20:30.513Z"');
  });

  it('a value that is not a timestamp is replaced by the run’s own', () => {
    expect(written('verifiedAt: "yesterday"\n')).toBe(`verifiedAt: "${AT}"`);
  });

  it('style parsing and formatting', () => {
    expect(timestampStyle('2026-01-05T09:00:00Z')).toEqual({ dateOnly: false, separator: 'T', fraction: 0, zone: 'Z' });
    expect(timestampStyle('soon')).toBeUndefined();
    expect(formatTimestamp(new Date(AT), { dateOnly: false, separator: 'T', fraction: 0, zone: '-05:00' })).toBe('2026-03-07T05:20:30-05:00');
  });
});
