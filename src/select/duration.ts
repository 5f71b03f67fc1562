const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * "7d", "12h", "30s", "1500ms", "2w"; a bare number is milliseconds.
 * Returns undefined for anything else so the CLI can say what it expected.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = UNITS[unit];
  return factor === undefined || !Number.isFinite(n) ? undefined : Math.round(n * factor);
}
