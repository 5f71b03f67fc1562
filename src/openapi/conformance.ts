import path from 'node:path';
import type { Finding } from '../result/result.js';
import type { ConformanceChecker, ConformanceInput } from './types.js';
import { isObj, loadOpenApi, operationParameters, type Json, type LoadOutcome, type OpenApiDoc } from './load.js';
import { matchOperation } from './match.js';
import { createSchemaValidator } from './schema-validate.js';

/**
 * Compares what a step got back with the spec's OpenAPI document: status,
 * response schema, query parameters, content type. Documents are read once
 * per run (per checker); findings are data with severity 'warning' (the
 * chain raises them to 'error' under `--conformance error`). Never throws.
 */

const EVIDENCE_MAX = 120;

/** `documented` of the findings that say the document could not be used at all (nothing was judged). */
const NO_DOCUMENT = 'an OpenAPI document at ';
const NO_CHECK = 'a readable operation in ';

/**
 * Whether a finding says the spec's OpenAPI document could not be used (missing, unreadable, or
 * the check itself failed): such a run judged nothing against the document, so nothing may be
 * concluded from the absence of other findings (docs-tables leaves the discrepancies table alone).
 */
export function isDocumentUnusable(f: Pick<Finding, 'aspect' | 'documented'>): boolean {
  return f.aspect === 'operation' && (f.documented.startsWith(NO_DOCUMENT) || f.documented.startsWith(NO_CHECK));
}

export function createConformanceChecker(): ConformanceChecker {
  const documents = new Map<string, Promise<LoadOutcome>>();
  // A missing or broken document is said once per spec, not after every step.
  const reportedBroken = new Set<string>();
  const validate = createSchemaValidator();

  return {
    async check(input: ConformanceInput): Promise<Finding[]> {
      const file = path.resolve(path.dirname(input.specAbsPath), input.swagger);
      let loaded = documents.get(file);
      if (!loaded) documents.set(file, (loaded = loadOpenApi(file)));
      const outcome = await loaded;
      if ('error' in outcome) {
        const key = `${input.specAbsPath}\0${file}`;
        if (reportedBroken.has(key)) return [];
        reportedBroken.add(key);
        return [finding(input, 'operation', `${NO_DOCUMENT}${input.swagger}`, outcome.error)];
      }
      try {
        return await compare(outcome.doc, input, validate);
      } catch (e) {
        return [finding(input, 'operation', `${NO_CHECK}${input.swagger}`, `the check failed: ${(e as Error).message}`)];
      }
    },
  };
}

async function compare(doc: OpenApiDoc, input: ConformanceInput, validate: ReturnType<typeof createSchemaValidator>): Promise<Finding[]> {
  const method = input.method.toUpperCase();
  const found = matchOperation(doc, method, input.path);
  if (!found.match) {
    const documented = found.methods.length ? `${input.path} documents ${found.methods.join(', ')} only` : `no operation for ${input.path} in ${path.basename(doc.file)}`;
    return [finding(input, 'operation', documented, `${method} answered ${input.status}`)];
  }
  const { op, pathItem, template } = found.match;
  const out = checkQuery(input, operationParameters(pathItem, op));

  const responses = isObj(op.responses) ? op.responses : {};
  const key = responseKey(responses, input.status);
  if (!key) {
    const documented = Object.keys(responses).join(', ') || 'none';
    out.push(finding(input, 'status', `responses: ${documented}`, `returned ${input.status}`, evidence(input.bodyText)));
    return out;
  }
  const response = isObj(responses[key]) ? (responses[key] as Json) : {};
  const sentType = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const opPointer = ['paths', template, method.toLowerCase(), 'responses', key];

  let schemaPointer: string[] | undefined;
  if (doc.version === 2) {
    const produces = (Array.isArray(op.produces) ? op.produces : Array.isArray(doc.root.produces) ? doc.root.produces : []).map(String);
    if (response.schema !== undefined) {
      if (sentType && produces.length && !mediaMatch(produces, sentType)) out.push(finding(input, 'content-type', `produces: ${produces.join(', ')}`, `returned ${sentType}`));
      schemaPointer = [...opPointer, 'schema'];
    }
  } else if (isObj(response.content)) {
    const types = Object.keys(response.content);
    const matched = mediaMatch(types, sentType);
    if (sentType && types.length && !matched) out.push(finding(input, 'content-type', `content types: ${types.join(', ')}`, `returned ${sentType}`));
    const media = matched ?? types.find((t) => /json/i.test(t));
    if (media && isObj(response.content[media]) && (response.content[media] as Json).schema !== undefined) schemaPointer = [...opPointer, 'content', media, 'schema'];
  }

  if (schemaPointer && input.body !== undefined) {
    for (const issue of await validate(doc, schemaPointer, input.body)) {
      out.push(
        finding(input, 'schema', `${key} response: ${issue.pointer} ${issue.expected}`, `${issue.pointer} is ${issue.actual}`, {
          pointer: issue.pointer,
          ...(issue.value !== undefined ? evidence(JSON.stringify(issue.value)) : {}),
        }),
      );
    }
  }
  return out;
}

function checkQuery(input: ConformanceInput, params: Json[]): Finding[] {
  const declared = params.filter((p) => p.in === 'query');
  const names = declared.map((p) => String(p.name));
  // An exploded object parameter (style form) spreads its properties over any names.
  const openEnded = declared.some((p) => isObj(p.schema) && p.schema.type === 'object' && p.style !== 'deepObject');
  const out: Finding[] = [];
  for (const sent of Object.keys(input.query)) {
    // `ids[]` and deepObject `filter[status]` belong to `ids` and `filter`.
    const base = sent.replace(/\[.*$/, '');
    if (openEnded || names.includes(sent) || names.includes(base)) continue;
    out.push(finding(input, 'parameter', `query parameters: ${names.join(', ') || 'none'}`, `sent undeclared query parameter "${sent}"`));
  }
  const sentBases = new Set(Object.keys(input.query).map((n) => n.replace(/\[.*$/, '')));
  for (const p of declared) {
    if (p.required === true && !sentBases.has(String(p.name))) out.push(finding(input, 'parameter', `query parameter "${String(p.name)}" is required`, 'not sent'));
  }
  return out;
}

/** The documented response for a status: exact code, then a `2XX` range, then `default`. */
function responseKey(responses: Json, status: number): string | undefined {
  const code = String(status);
  if (code in responses) return code;
  const range = Object.keys(responses).find((k) => k.toUpperCase() === `${code[0]}XX`);
  return range ?? ('default' in responses ? 'default' : undefined);
}

function mediaMatch(types: string[], sent: string): string | undefined {
  if (!sent) return undefined;
  const bare = (t: string): string => t.split(';')[0]!.trim().toLowerCase();
  return (
    types.find((t) => bare(t) === sent) ??
    types.find((t) => {
      const b = bare(t);
      return b === '*/*' || (b.endsWith('/*') && sent.startsWith(b.slice(0, -1)));
    })
  );
}

function evidence(text: string | undefined): { evidence?: string } {
  if (!text) return {};
  const flat = text.replace(/\s+/g, ' ').trim();
  return { evidence: flat.length > EVIDENCE_MAX ? `${flat.slice(0, EVIDENCE_MAX - 1)}…` : flat };
}

function finding(input: ConformanceInput, aspect: Finding['aspect'], documented: string, actual: string, extra: { pointer?: string; evidence?: string } = {}): Finding {
  return { stepId: input.stepId, aspect, documented, actual, ...extra, severity: 'warning' };
}
