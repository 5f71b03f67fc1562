import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { listOperations, loadOpenApi, type LoadOutcome, type OpenApiDoc } from '../openapi/load.js';
import { matchOperation } from '../openapi/match.js';
import type { SpecDocument } from './model.js';

/**
 * Lint rules that read the spec's OpenAPI document: the front-matter
 * `endpoint` must be one of its operations (error, did-you-mean on the path),
 * and step paths that match no operation are warned about, since conformance
 * cannot check them. A missing `swagger` file is the swagger-missing rule's.
 */

type Loader = (abs: string) => Promise<LoadOutcome>;

/** One spec, reading its document afresh. */
export async function lintAgainstOpenApi(doc: SpecDocument, specAbsPath: string): Promise<Diagnostic[]> {
  return createOpenApiLinter()(doc, specAbsPath);
}

/** For a lint run over many specs: each document is read once. */
export function createOpenApiLinter(): (doc: SpecDocument, specAbsPath: string) => Promise<Diagnostic[]> {
  const cache = new Map<string, Promise<LoadOutcome>>();
  const load: Loader = (abs) => {
    let p = cache.get(abs);
    if (!p) cache.set(abs, (p = loadOpenApi(abs)));
    return p;
  };
  return (doc, specAbsPath) => lintWith(load, doc, specAbsPath);
}

async function lintWith(load: Loader, doc: SpecDocument, specAbsPath: string): Promise<Diagnostic[]> {
  const swagger = doc.frontMatter.swagger;
  if (typeof swagger !== 'string' || swagger.trim() === '') return [];
  const outcome = await load(path.resolve(path.dirname(specAbsPath), swagger));
  const swaggerSpan = doc.frontMatterSpans['swagger.value'] ?? doc.frontMatterSpans.swagger;
  if ('error' in outcome) {
    if (outcome.missing) return [];
    return [
      diag('warning', 'swagger-unreadable', `${swagger}: ${outcome.error}`, {
        span: swaggerSpan,
        hint: 'conformance checks and the endpoint check need a readable Swagger 2.0 / OpenAPI 3.x document (local $refs only)',
      }),
    ];
  }
  const api = outcome.doc;
  const documented = (method: string, p: string): boolean => matchOperation(api, method.toUpperCase(), p).match !== undefined;
  const out: Diagnostic[] = [];
  if (doc.endpoint) {
    // `{client_id}` stands for one segment; any sample value matches the document's template.
    if (!documented(doc.endpoint.method, doc.endpoint.path.replace(/\{[^}]+\}/g, 'sample'))) {
      out.push(undocumentedEndpoint(doc, swagger, api, listOperations(api)));
    }
  }
  for (const s of doc.steps) {
    if (!s.step.path || s.step.use || !s.step.method) continue;
    if (documented(s.step.method, s.step.path.replace(/\{\{[^}]+\}\}/g, 'sample'))) continue;
    out.push(
      diag('warning', 'step-not-documented', `step ${s.step.id}: ${s.step.method.toUpperCase()} ${s.step.path} matches no operation of ${swagger}`, {
        span: s.valueSpans?.path ?? s.keySpans.path ?? s.span,
        hint: 'conformance cannot check this step; document the operation or check the path',
      }),
    );
  }
  return out;
}

function undocumentedEndpoint(doc: SpecDocument, swagger: string, api: OpenApiDoc, ops: { method: string; template: string }[]): Diagnostic {
  const endpoint = doc.endpoint!;
  const wanted = `${endpoint.method} ${endpoint.path}`;
  // The spec may carry the document's basePath / servers prefix; compare with and without it.
  const candidates = ops.flatMap((o) => api.prefixes.map((p) => `${o.method} ${p}${o.template}`));
  const close = didYouMean(wanted, candidates);
  return diag('error', 'endpoint-not-documented', `${wanted} is not an operation of ${swagger}`, {
    span: doc.frontMatterSpans['endpoint.value'] ?? doc.frontMatterSpans.endpoint,
    hint: close ? `did you mean "${close}"?` : 'fix the endpoint, or point swagger at the document that has it',
  });
}
