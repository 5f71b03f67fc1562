/** Whether a path argument is a glob (the shell did not expand it, or it was quoted). */
export function isGlob(p: string): boolean {
  return /[*?]/.test(p);
}

/**
 * A glob pattern (`*`, `**`, `?`; "/" separated) to a RegExp over "/"
 * separated relative paths. `*` and `?` never cross a "/", `**` spans any
 * number of folders (including none).
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  const segs = pattern.split('/');
  segs.forEach((seg, i) => {
    const last = i === segs.length - 1;
    if (seg === '**') {
      re += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    for (const ch of seg) {
      if (ch === '*') re += '[^/]*';
      else if (ch === '?') re += '[^/]';
      else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    if (!last) re += '/';
  });
  return new RegExp(`^${re}$`);
}

/** Splits a pattern into the folder before its first wildcard segment and the rest. */
export function globBase(pattern: string): { base: string; rest: string } {
  const segs = pattern.split('/');
  const i = segs.findIndex((s) => isGlob(s));
  return { base: segs.slice(0, i).join('/'), rest: segs.slice(i).join('/') };
}
