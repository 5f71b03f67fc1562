import { loadAjv, loadAjv2020 } from '../lazy.js';
import { adaptSchema } from './schema-adapt.js';
import { escapePointer, type OpenApiDoc } from './load.js';

/**
 * Validates response bodies against schemas of one OpenAPI document with ajv.
 * The adapted document is added to ajv once, and each response schema is
 * compiled (once) by its JSON pointer inside it, so `$ref`s the parser left in
 * place (circular schemas) still resolve. ajv is imported on first use.
 */

export interface SchemaIssue {
  /** JSON pointer into the body. */
  pointer: string;
  /** What the schema requires, e.g. "must be number". */
  expected: string;
  /** What the body has there. */
  actual: string;
  /** The offending value, when there is one. */
  value?: unknown;
}

interface AjvError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
interface AjvLike {
  addSchema(schema: object, key: string): unknown;
  getSchema(ref: string): Validate | undefined;
}

const MAX_ISSUES = 10;
const DOC_KEY = 'openapi-document';

export function createSchemaValidator(): (doc: OpenApiDoc, schemaPointer: string[], body: unknown) => Promise<SchemaIssue[]> {
  const instances = new Map<OpenApiDoc, AjvLike>();
  const compiled = new Map<string, Validate | null>();
  let modules: Promise<{ draft07: new (o: object) => AjvLike; draft2020: new (o: object) => AjvLike }> | undefined;

  async function ajvFor(doc: OpenApiDoc): Promise<AjvLike> {
    let ajv = instances.get(doc);
    if (ajv) return ajv;
    modules ??= Promise.all([loadAjv(), loadAjv2020()]).then(([a, b]) => ({
      draft07: a.Ajv as unknown as new (o: object) => AjvLike,
      draft2020: b.Ajv2020 as unknown as new (o: object) => AjvLike,
    }));
    const { draft07, draft2020 } = await modules;
    // Documents are sloppy: no strict mode, no meta-schema check, no format checks.
    const opts = { strict: false, allErrors: true, validateSchema: false, validateFormats: false };
    ajv = doc.openapi31 ? new draft2020(opts) : new draft07(opts);
    const adapted = adaptSchema(doc.root, { openapi31: doc.openapi31 }) as Record<string, unknown>;
    delete adapted.$schema;
    delete adapted.$id;
    ajv.addSchema(adapted, DOC_KEY);
    instances.set(doc, ajv);
    return ajv;
  }

  return async (doc, schemaPointer, body) => {
    const fragment = schemaPointer.map((p) => encodeURIComponent(escapePointer(p))).join('/');
    const cacheKey = `${doc.file}#/${fragment}`;
    let validate = compiled.get(cacheKey);
    if (validate === undefined) {
      try {
        validate = (await ajvFor(doc)).getSchema(`${DOC_KEY}#/${fragment}`) ?? null;
      } catch {
        // A schema ajv cannot compile (unresolvable $ref, invalid keyword value) checks nothing.
        validate = null;
      }
      compiled.set(cacheKey, validate);
    }
    if (!validate || validate(body)) return [];
    return issuesOf(validate.errors ?? [], body);
  };
}

function issuesOf(errors: AjvError[], body: unknown): SchemaIssue[] {
  // The branches of a failing oneOf/anyOf explain nothing on their own: keep the combinator's error.
  const combinators = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => e.keyword !== 'if' && !combinators.some((c) => e.schemaPath.startsWith(c)));
  const out: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    const issue = toIssue(e, body);
    const key = `${issue.pointer} ${issue.expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
    if (out.length >= MAX_ISSUES) break;
  }
  return out;
}

function toIssue(e: AjvError, body: unknown): SchemaIssue {
  const at = e.instancePath;
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
    const name = e.params.missingProperty;
    return { pointer: `${at}/${escapePointer(name)}`, expected: `required property "${name}"`, actual: 'missing' };
  }
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    const pointer = `${at}/${escapePointer(e.params.additionalProperty)}`;
    return { pointer, expected: 'no additional properties', actual: 'an undocumented property', value: valueAt(body, pointer) };
  }
  const value = valueAt(body, at);
  return { pointer: at || '/', expected: e.message ?? `must satisfy ${e.keyword}`, actual: value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value, value };
}

function valueAt(body: unknown, pointer: string): unknown {
  let v = body;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
  }
  return v;
}
