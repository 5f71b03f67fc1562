import path from 'node:path';
import type { Finding } from '../run/result.js';
import type { ConformanceChecker, ConformanceInput } from './types.js';
import { deref, isObj, loadDoc, matchOperation, type Doc, type Json } from './document.js';

/**
 * Compares what a step got back with the spec's OpenAPI document (Swagger 2.0,
 * OpenAPI 3.0 or 3.1; JSON or YAML; `$ref`s inside the document or to local
 * files, never fetched). Documents are read once per run.
 */

function adapt(schema: unknown, version: 2 | 3, is31: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((s) => adapt(s, version, is31));
  if (!isObj(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'readOnly', 'writeOnly', 'nullable', 'x-nullable', 'deprecated'].includes(k)) continue;
    if (k.startsWith('x-')) continue;
    out[k] = ['properties', 'patternProperties', '$defs', 'definitions'].includes(k) && isObj(v) ? Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, adapt(pv, version, is31)])) : adapt(v, version, is31);
  }
  const nullable = !is31 && (schema.nullable === true || schema['x-nullable'] === true);
  if (nullable) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

type Validate = ((d: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string }[] | null };

export function createConformanceChecker(): ConformanceChecker {
  const docs = new Map<string, Promise<Doc>>();
  const validators = new Map<unknown, Validate>();
  let ajv: Promise<{ compile(s: unknown, is31: boolean): Validate }> | undefined;
  const getAjv = () =>
    (ajv ??= (async () => {
      const [{ Ajv }, { Ajv2020 }] = await Promise.all([import('ajv'), import('ajv/dist/2020.js')]);
      const a07 = new Ajv({ strict: false, allErrors: false, validateFormats: false });
      const a20 = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
      return { compile: (s: unknown, is31: boolean) => (is31 ? a20 : a07).compile(s as object) as Validate };
    })());

  return {
    async check(input: ConformanceInput): Promise<Finding[]> {
      const file = path.resolve(path.dirname(input.specAbsPath), input.swagger);
      const f = (aspect: Finding['aspect'], documented: string, actual: string, extra: Partial<Finding> = {}): Finding => ({
        stepId: input.stepId,
        aspect,
        documented,
        actual,
        severity: 'warning',
        ...extra,
      });
      let doc: Doc;
      try {
        let p = docs.get(file);
        if (!p) docs.set(file, (p = loadDoc(file)));
        doc = await p;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return [f('operation', `an OpenAPI document at ${input.swagger}`, code === 'ENOENT' ? 'the file does not exist' : `the document could not be read: ${(e as Error).message.split('\n')[0]}`)];
      }
      const match = matchOperation(doc, input.method, input.path);
      if (!match) return [f('operation', `no ${input.method} operation for this path in ${path.basename(file)}`, `${input.method} ${input.path} answered ${input.status}`)];
      const out: Finding[] = [];
      const op = deref(doc, match.op) as Json;
      const params = [...((deref(doc, match.pathItem.parameters) as Json[] | undefined) ?? []), ...((op.parameters as Json[] | undefined) ?? [])].filter(isObj);
      const query = params.filter((p) => p.in === 'query');
      for (const name of Object.keys(input.query)) {
        if (!query.some((p) => p.name === name)) out.push(f('parameter', `query parameters: ${query.map((p) => String(p.name)).join(', ') || 'none'}`, `sent undeclared query parameter "${name}"`));
      }
      for (const p of query) if (p.required === true && !(String(p.name) in input.query)) out.push(f('parameter', `"${String(p.name)}" is required`, 'not sent'));

      const responses = isObj(op.responses) ? op.responses : {};
      const code = String(input.status);
      const key = code in responses ? code : `${code[0]}XX` in responses ? `${code[0]}XX` : 'default' in responses ? 'default' : undefined;
      if (!key) {
        out.push(f('status', `responses: ${Object.keys(responses).join(', ') || 'none'}`, `returned ${input.status}`, input.bodyText ? { evidence: input.bodyText.slice(0, 120) } : {}));
        return out;
      }
      const response = isObj(responses[key]) ? (responses[key] as Json) : {};
      let schema: unknown;
      if (doc.version === 2) schema = response.schema;
      else if (isObj(response.content)) {
        const types = Object.keys(response.content);
        const sentType = (input.contentType ?? '').split(';')[0]!.trim().toLowerCase();
        const matched = types.find((t) => t.toLowerCase() === sentType) ?? types.find((t) => t === '*/*' || (t.endsWith('/*') && sentType.startsWith(t.slice(0, -1))));
        if (sentType && types.length && !matched) out.push(f('content-type', `content types: ${types.join(', ')}`, `returned ${sentType}`));
        const media = (matched ?? types.find((t) => t.includes('json'))) as string | undefined;
        schema = media && isObj(response.content[media]) ? (response.content[media] as Json).schema : undefined;
      }
      if (schema !== undefined && input.body !== undefined) {
        let validate = validators.get(schema);
        if (!validate) {
          validate = (await getAjv()).compile(adapt(schema, doc.version, doc.openapi31), doc.openapi31);
          validators.set(schema, validate);
        }
        if (!validate(input.body)) {
          const err = validate.errors?.[0];
          const pointer = err?.instancePath || '';
          let value: unknown = input.body;
          for (const part of pointer.split('/').slice(1)) value = isObj(value) || Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
          out.push(
            f('schema', `${key} response schema: ${pointer || '/'} ${err?.message ?? 'must match'}`, `got ${JSON.stringify(value)?.slice(0, 80) ?? 'nothing'}`, {
              pointer: pointer || '/',
              evidence: (JSON.stringify(value) ?? '').slice(0, 120),
            }),
          );
        }
      }
      return out;
    },
  };
}
