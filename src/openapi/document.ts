import { stat } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';

/**
 * An OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML) read
 * from a local file with swagger-parser: `$ref`s inside the document and to
 * other local files are resolved; the HTTP resolver is switched off, so
 * nothing is ever fetched from the network.
 */

export type Json = Record<string, unknown>;
export interface Doc {
  root: Json;
  file: string;
  /** Path prefixes from basePath / servers[].url. */
  prefixes: string[];
  version: 2 | 3;
  openapi31: boolean;
}

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function loadDoc(file: string): Promise<Doc> {
  // A missing file keeps its ENOENT code, so callers can say "does not exist".
  await stat(file);
  // Dereference only: real documents are often not strictly valid, and what matters is what they say.
  const root = (await SwaggerParser.dereference(file, {
    resolve: { http: false, external: true },
    dereference: { circular: 'ignore' },
  })) as unknown;
  if (!isObj(root) || !(root.openapi || root.swagger) || !isObj(root.paths)) throw new Error('not an OpenAPI or Swagger document (no "openapi"/"swagger" and "paths")');
  const prefixes = new Set<string>(['']);
  if (typeof root.basePath === 'string') prefixes.add(root.basePath.replace(/\/$/, ''));
  for (const s of Array.isArray(root.servers) ? root.servers : []) {
    if (isObj(s) && typeof s.url === 'string') {
      try {
        prefixes.add(new URL(s.url, 'http://x').pathname.replace(/\/$/, ''));
      } catch {
        // a templated server URL: no prefix to strip
      }
    }
  }
  return { root, file, prefixes: [...prefixes].sort((a, b) => b.length - a.length), version: root.swagger ? 2 : 3, openapi31: String(root.openapi ?? '').startsWith('3.1') };
}

/** Follows `#/...` references left in place (circular ones, which the parser keeps as $ref). */
export function deref(doc: Doc, v: unknown, seen = new Set<string>()): unknown {
  if (!isObj(v)) return Array.isArray(v) ? v.map((x) => deref(doc, x, seen)) : v;
  if (typeof v.$ref === 'string') {
    const ref = v.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return {};
    let target: unknown = doc.root;
    for (const part of ref.slice(2).split('/')) target = isObj(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    return deref(doc, target, new Set([...seen, ref]));
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = deref(doc, x, seen);
  return out;
}

export function matchOperation(doc: Doc, method: string, sent: string): { template: string; op: Json; pathItem: Json } | undefined {
  const paths = doc.root.paths as Json;
  let best: { template: string; op: Json; pathItem: Json; literal: number } | undefined;
  for (const prefix of doc.prefixes) {
    if (!sent.startsWith(prefix)) continue;
    const rest = sent.slice(prefix.length) || '/';
    const segs = rest.split('/');
    for (const [template, item] of Object.entries(paths)) {
      const t = template.split('/');
      if (t.length !== segs.length || !isObj(item)) continue;
      let literal = 0;
      const ok = t.every((seg, i) => {
        if (/^\{[^}]+\}$/.test(seg)) return segs[i] !== '';
        if (seg === segs[i]) return ++literal > 0;
        return false;
      });
      const op = item[method.toLowerCase()];
      if (ok && isObj(op) && (!best || literal > best.literal)) best = { template, op, pathItem: item, literal };
    }
    if (best) return best;
  }
  return best;
}

