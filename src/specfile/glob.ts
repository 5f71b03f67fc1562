import { loadTinyglobbySync } from '../lazy.js';

/**
 * What counts as a glob, in one place: a path argument with glob syntax (`*`, `?`, `**`, `{a,b}`,
 * `[abc]`, `!(x)`...), as tinyglobby (picomatch syntax) reads it. A path that exists on disk is
 * always taken literally first, whatever characters its name has (see discoverSpecFiles).
 */
export function isGlob(p: string): boolean {
  // Without any character of picomatch's glob syntax a path is literal: tinyglobby is not even
  // loaded (a plain `verify specs` then starts without it).
  if (!GLOB_CHARS.test(p)) return false;
  return loadTinyglobbySync().isDynamicPattern(p.split('\\').join('/'));
}

const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** Splits a "/"-separated pattern into the folder before its first segment with glob syntax, and the rest. */
export function globBase(pattern: string): { base: string; rest: string } {
  const segs = pattern.split('/');
  const i = segs.findIndex((s) => isGlob(s));
  if (i === -1) return { base: pattern, rest: '' };
  return { base: segs.slice(0, i).join('/'), rest: segs.slice(i).join('/') };
}
