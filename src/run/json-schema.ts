import { loadAjv, loadAjvFormats } from '../lazy.js';
import { toDoubles } from './json-value.js';

/**
 * The inline `expect.schema` check. ajv is loaded on the first schema a run
 * meets (most runs never need it), and each schema is compiled once: steps
 * of a spec that runs many times (token matrix, fallback, `use:`) share the
 * compiled function.
 */

export type SchemaCheck =
  | { ok: true }
  | { ok: false; errors: SchemaError[] }
  /** The schema itself is not valid JSON Schema. */
  | { ok: false; invalidSchema: string };

export interface SchemaError {
  /** JSON pointer into the body ("" for the root). */
  pointer: string;
  message: string;
}

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
interface AjvLike {
  compile(schema: object): Validate;
}

const MAX_ERRORS = 5;

let ajvPromise: Promise<AjvLike> | undefined;
const byObject = new WeakMap<object, Validate | string>();
// A spec parsed twice (a `use:` target, a rerun) gives equal schemas in new objects.
const byText = new Map<string, Validate | string>();

async function ajv(): Promise<AjvLike> {
  ajvPromise ??= Promise.all([loadAjv(), loadAjvFormats()]).then(([a, f]) => {
    const instance = new a.Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS; under NodeNext its default import may be the module object.
    const mod = f as unknown as { default: unknown };
    const addFormats = ((mod.default as { default?: unknown }).default ?? mod.default) as (x: unknown) => unknown;
    addFormats(instance);
    return instance as unknown as AjvLike;
  });
  return ajvPromise;
}

async function compiled(schema: Record<string, unknown>): Promise<Validate | string> {
  const hit = byObject.get(schema);
  if (hit) return hit;
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch {
    return 'the schema cannot be serialized';
  }
  let v = byText.get(key);
  if (!v) {
    try {
      v = (await ajv()).compile(schema);
    } catch (e) {
      v = e instanceof Error ? e.message : String(e);
    }
    byText.set(key, v);
  }
  byObject.set(schema, v);
  return v;
}

/** Validates a parsed JSON body against an inline schema. Never throws. */
export async function checkJsonSchema(schema: Record<string, unknown>, body: unknown): Promise<SchemaCheck> {
  const validate = await compiled(schema);
  if (typeof validate === 'string') return { ok: false, invalidSchema: validate };
  let valid: boolean;
  try {
    valid = validate(toDoubles(body));
  } catch (e) {
    // A recursive schema over a very deep body can exhaust the stack: a failure of its own, never a pass.
    if (e instanceof RangeError) return { ok: false, errors: [{ pointer: '', message: 'could not be validated: the body is nested too deeply' }] };
    throw e;
  }
  if (valid) return { ok: true };
  const errors = (validate.errors ?? []).slice(0, MAX_ERRORS).map((e) => ({ pointer: e.instancePath, message: e.message ?? 'is invalid' }));
  return { ok: false, errors: errors.length > 0 ? errors : [{ pointer: '', message: 'is invalid' }] };
}
