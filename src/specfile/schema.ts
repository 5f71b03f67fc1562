import { HTTP_METHODS, JSON_TYPES, KNOWN_FRONT_MATTER_KEYS, SPEC_STATUSES } from './model.js';

const assertion = {
  type: 'object',
  description: 'Every key is one assertion on the selected value; all must hold.',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    equals: { description: 'Deep equality.' },
    exists: { type: 'boolean' },
    type: { enum: [...JSON_TYPES] },
    matches: { type: 'string', description: 'JavaScript regular expression the value (as string) must match.' },
    length: {
      oneOf: [
        { type: 'integer', minimum: 0 },
        { type: 'object', additionalProperties: false, properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 0 } } },
      ],
    },
    contains: { description: 'Array element or substring.' },
    oneOf: { type: 'array' },
  },
};

const scalar = { type: ['string', 'number', 'boolean'] };

/**
 * The spec file format as JSON Schema (draft 2020-12), printed by
 * `endpoint-verify schema`. The root describes a whole spec as data:
 * `{ frontMatter, steps }`; `$defs.frontMatter` and `$defs.step` are the two
 * shapes written in a file. Kept in step with model.ts (a test checks both).
 */
export const specJsonSchema: object = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://endpoint-verify.dev/schema/spec.json',
  title: 'endpoint-verify spec file',
  type: 'object',
  additionalProperties: false,
  properties: {
    frontMatter: { $ref: '#/$defs/frontMatter' },
    steps: { type: 'array', items: { $ref: '#/$defs/step' } },
  },
  $defs: {
    frontMatter: {
      type: 'object',
      description: `YAML between the --- lines. Known keys: ${KNOWN_FRONT_MATTER_KEYS.join(', ')}; unknown keys are kept (lint warns).`,
      required: ['endpoint'],
      properties: {
        endpoint: { type: 'string', pattern: `^(${HTTP_METHODS.join('|')})\\s+/\\S*$`, description: '"METHOD /path/{param}"' },
        domain: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        swagger: { type: 'string', description: 'OpenAPI document, relative to the spec file.' },
        status: { enum: [...SPEC_STATUSES] },
        savedAt: { type: 'string' },
        verifiedAt: { type: 'string' },
        timesReused: { type: 'integer', minimum: 0 },
        useFallbackApi: { type: 'boolean' },
        tokens: { type: 'array', items: { type: 'string' }, description: 'Token types, in order of preference.' },
        api: { type: 'string', description: 'API of the environment (overrides the folder mapping).' },
      },
    },
    stepsBlock: {
      type: 'object',
      description: 'A ```yaml block under Prerequisites, Test Request or Cleanup.',
      additionalProperties: false,
      required: ['steps'],
      properties: { steps: { type: 'array', items: { $ref: '#/$defs/step' } } },
    },
    step: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        method: { enum: [...HTTP_METHODS] },
        path: { type: 'string', pattern: '^/(?!/)', description: 'Starts with /, appended to the gateway URL; {{var}} templates allowed.' },
        params: { type: 'object', additionalProperties: scalar },
        headers: { type: 'object', additionalProperties: scalar },
        body: { description: 'JSON body; "{{n}}" alone keeps the type of n.' },
        extract: { type: 'object', additionalProperties: { $ref: '#/$defs/extractRule' } },
        expect: { $ref: '#/$defs/expect' },
        onFail: { enum: ['abort', 'continue'] },
        use: { type: 'string', description: "Another spec (relative path) whose chain runs first; its variables are imported." },
        retry: {
          oneOf: [
            { type: 'integer', minimum: 1 },
            {
              type: 'object',
              additionalProperties: false,
              required: ['attempts'],
              properties: { attempts: { type: 'integer', minimum: 1 }, backoffMs: { type: 'integer', minimum: 0 } },
            },
          ],
        },
        timeoutMs: { type: 'integer', minimum: 1 },
        token: { type: 'string', description: 'Token type for this step, or "none".' },
        followRedirects: { type: 'boolean' },
      },
      if: { not: { required: ['use'] } },
      then: { required: ['id', 'method', 'path'] },
    },
    extractRule: {
      oneOf: [
        { type: 'string', description: 'JSONPath into the JSON body.' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['from'],
          properties: {
            from: { enum: ['body', 'header', 'status'] },
            path: { type: 'string' },
            header: { type: 'string' },
            regex: { type: 'string' },
            group: { type: 'integer', minimum: 0 },
          },
        },
      ],
    },
    expect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        status: {
          oneOf: [
            { type: 'integer', minimum: 100, maximum: 599 },
            { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
          ],
        },
        body: { type: 'object', additionalProperties: { $ref: '#/$defs/assertion' } },
        headers: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { $ref: '#/$defs/assertion' }] } },
        maxMs: { type: 'integer', minimum: 1 },
        schema: { type: 'object' },
      },
    },
    assertion,
  },
};
