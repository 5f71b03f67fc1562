import { InvalidArgumentError } from 'commander';
import type { VarValue } from '../config/types.js';
import { parseJson } from '../run/json-value.js';
import { parseDuration } from '../select/duration.js';
import { parseShard, type Shard } from '../select/shard.js';

/** commander argParsers: a bad value becomes one clear line and exit 2. */

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

/** A TCP port; 0 asks the system for a free one. */
export function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535.');
  return n;
}

export function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 500ms, 30s, 5m, 12h or 7d.');
  return ms;
}

export function shard(value: string): Shard {
  const s = parseShard(value);
  if (!s) throw new InvalidArgumentError('expected i/n with 1 <= i <= n, e.g. 2/4.');
  return s;
}

export function rate(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(value.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0)) throw new InvalidArgumentError('expected requests per second, e.g. 10/s.');
  return n;
}

export function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function choice<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value: string) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}.`);
  };
}

/**
 * `--var name=value` (a string) or `--var name:=<JSON>` (a typed value:
 * `n:=25` is the number 25, `on:=true` a boolean, `id:=9007199254740993`
 * an exact integer, `s:='"25"'` a string). Only scalars and null.
 */
export function keyValue(value: string, previous: Record<string, VarValue> = {}): Record<string, VarValue> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected name=value (a string) or name:=<JSON> (a number, true, false, null or a quoted string).');
  if (value[eq - 1] !== ':') return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
  const name = value.slice(0, eq - 1).trim();
  let typed: unknown;
  try {
    typed = parseJson(value.slice(eq + 1));
  } catch {
    throw new InvalidArgumentError(`${name}:= takes a JSON value (25, true, null, "text"), not ${value.slice(eq + 1) || 'nothing'}.`);
  }
  if (name === '' || (typed !== null && typeof typed === 'object')) {
    throw new InvalidArgumentError(name === '' ? 'expected name:=<JSON>.' : `${name}:= takes a number, true, false, null or a quoted string, not a list or object.`);
  }
  return { ...previous, [name]: typed as VarValue };
}

export function statusList(value: string, previous: string[] = []): string[] {
  const allowed = ['draft', 'verified', 'failing', 'blocked'];
  const items = list(value);
  const bad = items.find((s) => !allowed.includes(s));
  if (bad) throw new InvalidArgumentError(`unknown status "${bad}"; expected any of: ${allowed.join(', ')}.`);
  return [...previous, ...items];
}

export function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a ratio between 0 and 1, e.g. 0.1.');
  return n;
}
