import { HTTP_METHODS } from '../specfile/model.js';
import { isObj, type Json, type OpenApiDoc } from './load.js';

/**
 * Which documented operation a sent request belongs to. Templates (`{id}`)
 * match one non-empty segment; the document's basePath / servers path prefixes
 * are stripped when the sent path starts with them, and otherwise a template
 * may match the sent path's trailing segments (an API mounted under a prefix
 * the document does not mention). The literal-most template wins.
 */

export interface OperationMatch {
  template: string;
  op: Json;
  pathItem: Json;
}

export type MatchResult = { match: OperationMatch } | { match?: undefined; /** methods documented for the path, when only the method differs */ methods: string[] };

export function matchOperation(doc: OpenApiDoc, method: string, sentPath: string): MatchResult {
  const m = method.toLowerCase();
  const segs = split(sentPath);
  const paths = doc.root.paths as Json;
  let pathOnly: string[] = [];
  for (const prefix of doc.prefixes) {
    const pre = split(prefix);
    if (!pre.every((s, i) => segs[i] === s)) continue;
    const found = best(paths, segs.slice(pre.length), m, 'exact');
    if (found.match) return found;
    if (pathOnly.length === 0) pathOnly = found.methods;
  }
  const suffix = best(paths, segs, m, 'suffix');
  if (suffix.match) return suffix;
  return { methods: pathOnly.length ? pathOnly : suffix.methods };
}

function best(paths: Json, segs: string[], method: string, mode: 'exact' | 'suffix'): MatchResult {
  let winner: (OperationMatch & { literal: number; length: number }) | undefined;
  const methods = new Set<string>();
  for (const [template, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    const t = split(template);
    if (mode === 'exact' ? t.length !== segs.length : t.length > segs.length) continue;
    const offset = segs.length - t.length;
    let literal = 0;
    let ok = true;
    for (let i = 0; i < t.length && ok; i++) {
      const seg = t[i]!;
      const sent = segs[offset + i]!;
      if (seg.includes('{')) ok = segmentPattern(seg).test(sent);
      else if (seg === sent) literal++;
      else ok = false;
    }
    // A suffix match needs at least one literal segment, or `/{id}` would match anything.
    if (!ok || (mode === 'suffix' && literal === 0)) continue;
    const op = item[method];
    if (!isObj(op)) {
      for (const m of HTTP_METHODS) if (isObj(item[m.toLowerCase()])) methods.add(m);
      continue;
    }
    if (!winner || literal > winner.literal || (literal === winner.literal && t.length > winner.length)) winner = { template, op, pathItem: item, literal, length: t.length };
  }
  if (winner) return { match: { template: winner.template, op: winner.op, pathItem: winner.pathItem } };
  return { methods: [...methods] };
}

/** `{id}` or `{id}.json` style segments: each placeholder is one or more characters other than `/`. */
function segmentPattern(seg: string): RegExp {
  const parts = seg.split(/\{[^}]*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}

function split(p: string): string[] {
  return p.split('?')[0]!.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}
