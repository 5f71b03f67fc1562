import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { isObj, loadDoc, matchOperation, type Doc } from '../openapi/document.js';
import type { SpecDocument } from './model.js';

/**
 * Lint rules that read the spec's OpenAPI document: the front-matter
 * `endpoint` must be one of its operations, and step paths should be.
 * Documents are read once per lint run.
 */
export function createOpenApiLinter(): (doc: SpecDocument, specAbsPath: string) => Promise<Diagnostic[]> {
  const cache = new Map<string, Promise<Doc | undefined>>();
  return async (doc, specAbsPath) => {
    const swagger = doc.frontMatter.swagger;
    if (typeof swagger !== 'string') return [];
    const abs = path.resolve(path.dirname(specAbsPath), swagger);
    let p = cache.get(abs);
    if (!p) cache.set(abs, (p = loadDoc(abs).catch(() => undefined)));
    const api = await p;
    // A missing file is reported by the swagger-missing rule; an unreadable one here.
    if (!api) return [];
    const out: Diagnostic[] = [];
    const all: string[] = [];
    for (const [template, item] of Object.entries(api.root.paths as Record<string, unknown>)) {
      if (isObj(item)) for (const m of Object.keys(item)) if (/^(get|put|post|patch|delete|head|options)$/.test(m)) all.push(`${m.toUpperCase()} ${template}`);
    }
    if (doc.endpoint) {
      const sample = doc.endpoint.path.replace(/\{[^}]+\}/g, 'x');
      if (!matchOperation(api, doc.endpoint.method, sample)) {
        const close = didYouMean(`${doc.endpoint.method} ${doc.endpoint.path}`, all);
        out.push(
          diag('error', 'endpoint-not-documented', `${doc.endpoint.method} ${doc.endpoint.path} is not an operation of ${swagger}`, {
            ...(doc.frontMatterSpans['endpoint.value'] ?? doc.frontMatterSpans.endpoint ? { span: doc.frontMatterSpans['endpoint.value'] ?? doc.frontMatterSpans.endpoint! } : {}),
            hint: close ? `did you mean "${close}"?` : 'fix the endpoint, or point swagger at the document that has it',
          }),
        );
      }
    }
    for (const s of doc.steps) {
      if (!s.step.path || s.step.use) continue;
      const sample = s.step.path.replace(/\{\{[^}]+\}\}/g, 'x');
      if (!matchOperation(api, s.step.method.toUpperCase(), sample)) {
        out.push(
          diag('warning', 'step-not-documented', `step ${s.step.id}: ${s.step.method.toUpperCase()} ${s.step.path} matches no operation of ${swagger}`, {
            span: s.valueSpans?.path ?? s.keySpans.path ?? s.span,
            hint: 'conformance cannot check this step; document the operation or check the path',
          }),
        );
      }
    }
    return out;
  };
}
