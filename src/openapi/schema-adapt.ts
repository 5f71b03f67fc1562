import { isObj, type Json } from './load.js';

/**
 * OpenAPI schemas are not quite JSON Schema. This turns a 2.0 / 3.0 schema
 * into draft-07 that ajv understands: `nullable: true` / `x-nullable: true`
 * admit null, boolean `exclusiveMinimum`/`exclusiveMaximum` (draft-04 style)
 * become numbers, annotation-only keywords (`example`, `xml`, `externalDocs`,
 * `discriminator`, `readOnly`, `writeOnly`, `x-*`) are dropped, and 2.0's
 * `type: file` is left unchecked. 3.1 schemas are JSON Schema 2020-12 and
 * only lose the OpenAPI annotations.
 *
 * Direction: OpenAPI 3.0 §4.7.25.1 ("readOnly"/"writeOnly" fixed fields) and
 * 3.1 (JSON Schema validation vocabulary §9.4) say a `readOnly` property is
 * sent only in responses and a `writeOnly` one only in requests, so a
 * property `required` by its schema is not required where it is never sent:
 * writeOnly names leave `required` when validating a response, readOnly
 * names when building a request ({@link requiredFor}).
 *
 * It runs over a whole document, so maps whose keys are names (properties,
 * components.schemas, ...) keep every key, even one called "example".
 */

const DROP = new Set(['example', 'examples', 'xml', 'externalDocs', 'discriminator', 'readOnly', 'writeOnly', 'nullable', 'deprecated']);
const NAME_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'schemas', 'dependentSchemas', 'paths', 'responses', 'content', 'components']);

export type Direction = 'request' | 'response';

/**
 * The names a schema requires in one direction: `required` minus the
 * properties marked `writeOnly: true` (in a response) or `readOnly: true`
 * (in a request). A property left as a `$ref` counts as required.
 */
export function requiredFor(schema: Json, direction: Direction): string[] {
  if (!Array.isArray(schema.required)) return [];
  const props = isObj(schema.properties) ? schema.properties : {};
  const flag = direction === 'response' ? 'writeOnly' : 'readOnly';
  return schema.required.map(String).filter((name) => {
    const p = Object.hasOwn(props, name) ? props[name] : undefined;
    return !(isObj(p) && p[flag] === true);
  });
}

/** Adapts a whole document for validating responses (see {@link requiredFor}). */
export function adaptSchema(schema: unknown, opts: { openapi31: boolean }): unknown {
  // The dereferenced document shares one object per referenced schema: adapt each once,
  // so the result stays as small as the input.
  return adapt(schema, opts.openapi31, new WeakMap());
}

function adapt(schema: unknown, openapi31: boolean, memo: WeakMap<object, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => adapt(s, openapi31, memo));
  if (!isObj(schema)) return schema;
  if (memo.has(schema)) return memo.get(schema);
  const result = adaptObject(schema, openapi31, memo);
  memo.set(schema, result);
  return result;
}

function adaptObject(schema: Json, openapi31: boolean, memo: WeakMap<object, unknown>): unknown {
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-')) continue;
    // 3.1 schemas may carry `examples` as a real JSON Schema annotation; harmless to drop either way.
    if (DROP.has(k)) continue;
    if (k === 'required' && Array.isArray(v)) {
      out[k] = requiredFor(schema, 'response');
      continue;
    }
    out[k] = NAME_MAPS.has(k) && isObj(v) ? Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, adapt(sub, openapi31, memo)])) : adapt(v, openapi31, memo);
  }
  if (openapi31) return out;
  if (out.type === 'file') delete out.type;
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else delete out[flag];
  }
  if (schema.nullable === true || schema['x-nullable'] === true) return admitNull(out);
  return out;
}

function admitNull(s: Json): Json {
  if (Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
  if (typeof s.type === 'string') s.type = [s.type, 'null'];
  else if (Array.isArray(s.type)) {
    if (!s.type.includes('null')) s.type = [...s.type, 'null'];
  } else if (s.allOf || s.oneOf || s.anyOf || s.$ref || s.not) {
    // `nullable: true` next to a composition (`allOf: [$ref]`, the usual way to reuse a schema
    // as nullable) cannot be widened in place.
    return { anyOf: [{ type: 'null' }, s] };
  }
  return s;
}
