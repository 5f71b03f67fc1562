import { isDynamicPattern } from 'tinyglobby';

/**
 * What counts as a glob, in one place: a path argument with glob syntax (`*`, `?`, `**`, `{a,b}`,
 * `[abc]`, `!(x)`...), as tinyglobby (picomatch syntax) reads it. A path that exists on disk is
 * always taken literally first, whatever characters its name has (see discoverSpecFiles).
 */
export function isGlob(p: string): boolean {
  return isDynamicPattern(p.split('\\').join('/'));
}

/** Splits a "/"-separated pattern into the folder before its first segment with glob syntax, and the rest. */
export function globBase(pattern: string): { base: string; rest: string } {
  const segs = pattern.split('/');
  const i = segs.findIndex((s) => isGlob(s));
  if (i === -1) return { base: pattern, rest: '' };
  return { base: segs.slice(0, i).join('/'), rest: segs.slice(i).join('/') };
}
