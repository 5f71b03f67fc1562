import { describe, expect, it } from 'vitest';
import { adaptSchema, requiredFor } from '../../src/openapi/schema-adapt.js';

describe('adaptSchema', () => {
  it('3.0 nullable and 2.0 x-nullable admit null (enums too); annotations go, named properties stay', () => {
    expect(adaptSchema({ type: 'string', nullable: true, enum: ['a'], example: 'a', readOnly: true, 'x-foo': 1 }, { openapi31: false })).toEqual({ type: ['string', 'null'], enum: ['a', null] });
    expect(adaptSchema({ type: 'integer', 'x-nullable': true }, { openapi31: false })).toEqual({ type: ['integer', 'null'] });
    expect(adaptSchema({ properties: { example: { type: 'string', xml: {} }, 'x-id': { type: 'string' } } }, { openapi31: false })).toEqual({
      properties: { example: { type: 'string' }, 'x-id': { type: 'string' } },
    });
  });

  it('nullable composition is wrapped; boolean exclusive bounds become numbers; 2.0 file type is unchecked', () => {
    expect(adaptSchema({ nullable: true, allOf: [{ type: 'object' }] }, { openapi31: false })).toEqual({ anyOf: [{ type: 'null' }, { allOf: [{ type: 'object' }] }] });
    expect(adaptSchema({ type: 'number', minimum: 1, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false }, { openapi31: false })).toEqual({ type: 'number', exclusiveMinimum: 1, maximum: 5 });
    expect(adaptSchema({ type: 'file' }, { openapi31: false })).toEqual({});
  });

  it('3.1 schemas keep their JSON Schema meaning (nullable is not a 3.1 keyword)', () => {
    expect(adaptSchema({ type: ['string', 'null'], exclusiveMinimum: 3, nullable: true, discriminator: {} }, { openapi31: true })).toEqual({ type: ['string', 'null'], exclusiveMinimum: 3 });
  });

  it('a schema shared by reference is adapted once (same output object)', () => {
    const shared = { type: 'string', nullable: true };
    const out = adaptSchema({ properties: { a: shared, b: shared } }, { openapi31: false }) as { properties: Record<string, unknown> };
    expect(out.properties.a).toBe(out.properties.b);
  });
});

describe('readOnly and writeOnly by direction (3.0 and 3.1)', () => {
  const user = { type: 'object', required: ['id', 'name', 'password'], properties: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, password: { type: 'string', writeOnly: true } } };

  it.each([false, true])('a writeOnly property is not required in a response (openapi31: %s)', (openapi31) => {
    expect((adaptSchema(user, { openapi31 }) as { required: string[] }).required).toEqual(['id', 'name']);
  });

  it('a readOnly property is not required in a request', () => {
    expect(requiredFor(user, 'request')).toEqual(['name', 'password']);
    expect(requiredFor(user, 'response')).toEqual(['id', 'name']);
  });
});
