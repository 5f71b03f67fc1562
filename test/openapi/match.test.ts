import { describe, expect, it } from 'vitest';
import type { OpenApiDoc } from '../../src/openapi/load.js';
import { matchOperation } from '../../src/openapi/match.js';

/** Which operation a sent path belongs to: templates, prefixes, suffixes, literal-most. */

function doc(paths: string[], prefixes: string[] = ['']): OpenApiDoc {
  const op = (p: string) => ({ operationId: p });
  return {
    root: { openapi: '3.0.3', paths: Object.fromEntries(paths.map((p) => [p, p.endsWith('/post-only') ? { post: op(p) } : { get: op(p) }])) },
    file: '/x/doc.yaml',
    prefixes,
    version: 3,
    openapi31: false,
  };
}

const template = (d: OpenApiDoc, method: string, p: string) => matchOperation(d, method, p).match?.template;

describe('matchOperation', () => {
  const d = doc(['/clients/{client_id}/conversations', '/clients/{id}', '/clients/me', '/files/{name}.json', '/a/post-only'], ['/platform/v1', '']);

  it('a template placeholder matches exactly one non-empty segment', () => {
    expect(template(d, 'GET', '/clients/cl_1/conversations')).toBe('/clients/{client_id}/conversations');
    expect(template(d, 'GET', '/clients/cl_1/x/conversations')).toBeUndefined();
    expect(template(d, 'GET', '/clients//conversations')).toBeUndefined();
  });

  it('prefers the literal-most template', () => {
    expect(template(d, 'GET', '/clients/me')).toBe('/clients/me');
    expect(template(d, 'GET', '/clients/cl_9')).toBe('/clients/{id}');
  });

  it('strips basePath / servers prefixes, and ignores a trailing slash', () => {
    expect(template(d, 'GET', '/platform/v1/clients/cl_1/conversations/')).toBe('/clients/{client_id}/conversations');
  });

  it('matches the trailing segments when the API sits under a prefix the document does not name', () => {
    expect(template(d, 'GET', '/gateway/clients/cl_1/conversations')).toBe('/clients/{client_id}/conversations');
    // a suffix of placeholders only would match anything: not accepted
    expect(template(doc(['/{id}']), 'GET', '/deep/path/x')).toBeUndefined();
  });

  it('placeholders inside a segment and the method both count', () => {
    expect(template(d, 'GET', '/files/report.json')).toBe('/files/{name}.json');
    expect(template(d, 'GET', '/files/report.xml')).toBeUndefined();
    expect(matchOperation(d, 'GET', '/a/post-only')).toEqual({ methods: ['POST'] });
  });
});
