/**
 * Write-back keeps the way a file writes its timestamps. A `verifiedAt` the
 * user wrote as `2026-01-05T09:00:00Z` is updated to another whole second in
 * that form, not to `...09:00:00.513Z`; `+00:00` stays `+00:00`, a space
 * separator stays a space, a date stays a date. Timestamp forms are those of
 * RFC 3339 §5.6 (and YAML 1.1's timestamp type, which adds the space).
 */

export interface TimestampStyle {
  /** Only `YYYY-MM-DD`. */
  dateOnly: boolean;
  /** Between date and time: "T", "t" or " ". */
  separator: string;
  /** Digits after the seconds (0 for whole seconds). */
  fraction: number;
  /** "Z", "z", "" (no zone) or a numeric offset such as "+00:00", "+0200", "-05:00". */
  zone: string;
}

/** What `new` writes (`savedAt: "2026-01-05T09:00:00.513Z"`): ISO 8601 in UTC with milliseconds. */
export const NEW_FILE_STYLE: TimestampStyle = { dateOnly: false, separator: 'T', fraction: 3, zone: 'Z' };

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:([Tt ])(\d{2}:\d{2}:\d{2})(?:\.(\d+))?[ \t]*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** The style of a timestamp as written (quotes already removed), or undefined when it is not one. */
export function timestampStyle(text: string): TimestampStyle | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  if (m[2] === undefined) return { dateOnly: true, separator: 'T', fraction: 0, zone: '' };
  return { dateOnly: false, separator: m[2], fraction: m[4]?.length ?? 0, zone: m[5] ?? '' };
}

/** Minutes east of UTC for a numeric zone ("+02:00" -> 120); 0 for Z and for none. */
function offsetMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * An instant written in a style: in the style's offset (UTC for `Z` and for
 * no zone), cut (never rounded, so it is not later than the instant) or
 * zero-padded to its fraction digits.
 */
export function formatTimestamp(at: Date, style: TimestampStyle): string {
  const shifted = new Date(at.getTime() + offsetMinutes(style.zone) * 60_000);
  const iso = shifted.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (style.dateOnly) return iso.slice(0, 10);
  const fraction = style.fraction === 0 ? '' : `.${iso.slice(20, 23).padEnd(style.fraction, '0').slice(0, style.fraction)}`;
  return `${iso.slice(0, 10)}${style.separator}${iso.slice(11, 19)}${fraction}${style.zone}`;
}
