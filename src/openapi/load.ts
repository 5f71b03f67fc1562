import { stat } from 'node:fs/promises';
import path from 'node:path';
import { HTTP_METHODS } from '../specfile/model.js';
import { loadSwaggerParser } from '../lazy.js';

/**
 * An OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML) read
 * from a local file. `$ref`s inside the document and to other local files are
 * resolved; the parser's HTTP resolver is switched off, so a remote `$ref` is
 * an error and nothing is ever fetched. The parser is imported on first use:
 * runs without a `swagger:` key never pay for it.
 */

export type Json = Record<string, unknown>;

export interface OpenApiDoc {
  /** Dereferenced document (circular `$ref`s stay in place). */
  root: Json;
  file: string;
  /** Path prefixes from basePath / servers[].url, longest first, always ending with ''. */
  prefixes: string[];
  version: 2 | 3;
  openapi31: boolean;
}

export type LoadOutcome = { doc: OpenApiDoc } | { error: string; missing: boolean };

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Never throws: a missing or unreadable document is an outcome with a one-line reason. */
export async function loadOpenApi(file: string): Promise<LoadOutcome> {
  try {
    await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? 'error'})`, missing: code === 'ENOENT' };
  }
  try {
    const { default: SwaggerParser } = await loadSwaggerParser();
    // Dereference only, no validation: real documents are often not strictly valid,
    // and what matters here is what they say.
    const root = (await SwaggerParser.dereference(file, {
      resolve: { http: false, external: true },
      dereference: { circular: 'ignore' },
    })) as unknown;
    if (!isObj(root) || !(root.openapi || root.swagger) || !isObj(root.paths)) {
      return { error: 'not an OpenAPI or Swagger document (no "openapi"/"swagger" and "paths")', missing: false };
    }
    return { doc: describe(root, file) };
  } catch (e) {
    // The parser names files by absolute path; the spec author knows them by name.
    const message = firstLine((e as Error).message).split(file).join(path.basename(file));
    return { error: `the document could not be read: ${message}`, missing: false };
  }
}

function describe(root: Json, file: string): OpenApiDoc {
  const prefixes = new Set<string>();
  if (typeof root.basePath === 'string') prefixes.add(trimSlash(root.basePath));
  for (const s of Array.isArray(root.servers) ? root.servers : []) {
    if (!isObj(s) || typeof s.url !== 'string') continue;
    // A templated server URL ({region}) still often has a static path part.
    const url = s.url.replace(/\{[^}]*\}/g, 'x');
    try {
      prefixes.add(trimSlash(new URL(url, 'http://host.invalid').pathname));
    } catch {
      // unusable server URL: no prefix from it
    }
  }
  prefixes.delete('');
  return {
    root,
    file,
    prefixes: [...[...prefixes].sort((a, b) => b.length - a.length), ''],
    version: root.swagger ? 2 : 3,
    openapi31: String(root.openapi ?? '').startsWith('3.1'),
  };
}

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDoc): { method: string; template: string; op: Json; pathItem: Json }[] {
  const out: { method: string; template: string; op: Json; pathItem: Json }[] = [];
  for (const [template, item] of Object.entries(doc.root.paths as Json)) {
    if (!isObj(item)) continue;
    // A Path Item's operation keys are the methods in lower case (OpenAPI 3.1 §4.8.9).
    for (const method of HTTP_METHODS) {
      const op = item[method.toLowerCase()];
      if (isObj(op)) out.push({ method, template, op, pathItem: item });
    }
  }
  return out;
}

/** Path-level and operation-level parameters; the operation's win on the same name and location. */
export function operationParameters(pathItem: Json, op: Json): Json[] {
  const byKey = new Map<string, Json>();
  for (const list of [pathItem.parameters, op.parameters]) {
    for (const p of Array.isArray(list) ? list : []) if (isObj(p) && typeof p.name === 'string') byKey.set(`${String(p.in)}:${p.name}`, p);
  }
  return [...byKey.values()];
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function trimSlash(p: string): string {
  return p.replace(/\/+$/, '');
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200);
}
