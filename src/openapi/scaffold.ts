import path from 'node:path';
import { diag, type Diagnostic, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { isObj, listOperations, loadOpenApi, operationParameters, type Json, type OpenApiDoc } from './load.js';
import { requiredFor } from './schema-adapt.js';

/**
 * `endpoint-verify new`: a spec file in the seed's format from one OpenAPI
 * operation. What the document cannot tell (where a path parameter's value
 * comes from) is left as a commented Prerequisites skeleton; the result lints
 * with no errors (unresolved `{{vars}}` are warnings until a step extracts them).
 */

export interface ScaffoldOptions {
  /** "METHOD /path/{param}" as documented (with or without the basePath / servers prefix). */
  endpoint: string;
  swaggerAbs: string;
  /** Where the spec will be written; `swagger:` is made relative to its folder. */
  outAbs: string;
  now: Date;
  /** Front-matter `api:` (the environment's API), when the folder mapping will not find it. */
  api?: string;
}

/** `text` is empty when there are error diagnostics. */
export async function scaffoldSpec(opts: ScaffoldOptions): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  const fail = (code: DiagnosticCode, message: string, hint: string): { text: string; diagnostics: Diagnostic[] } => ({ text: '', diagnostics: [diag('error', code, message, { hint })] });
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(opts.endpoint);
  if (!m) return fail('new-bad-endpoint', `"${opts.endpoint}" is not "METHOD /path"`, 'for example: "GET /platform/v1/clients/{client_id}/conversations"');
  const method = m[1]!.toUpperCase();
  const wanted = m[2]!;
  const loaded = await loadOpenApi(opts.swaggerAbs);
  if ('error' in loaded) return fail('new-bad-swagger', `${path.basename(opts.swaggerAbs)}: ${loaded.error}`, 'pass --swagger with a local Swagger 2.0 / OpenAPI 3.x file (JSON or YAML)');
  const doc = loaded.doc;
  const ops = listOperations(doc);
  // Parameter names may differ from the document's (`{clientId}` for `{client_id}`): compare shapes.
  const shape = (p: string): string => p.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
  let found: { op: Json; pathItem: Json; endpointPath: string } | undefined;
  for (const o of ops) {
    if (o.method !== method) continue;
    const prefix = doc.prefixes.find((p) => shape(`${p}${o.template}`) === shape(wanted));
    if (prefix !== undefined) {
      found = { op: o.op, pathItem: o.pathItem, endpointPath: `${prefix}${o.template}` };
      break;
    }
  }
  if (!found) {
    const documented = ops.map((o) => `${o.method} ${o.template}`);
    const close = didYouMean(`${method} ${wanted}`, ops.flatMap((o) => doc.prefixes.map((p) => `${o.method} ${p}${o.template}`)));
    return fail(
      'new-unknown-operation',
      `${method} ${wanted} is not an operation of ${path.basename(opts.swaggerAbs)}`,
      close ? `did you mean "${close}"?` : `documented: ${documented.slice(0, 8).join(', ')}${documented.length > 8 ? ', …' : ''}`,
    );
  }
  return { text: render(doc, method, found, opts), diagnostics: [] };
}

function render(doc: OpenApiDoc, method: string, found: { op: Json; pathItem: Json; endpointPath: string }, opts: ScaffoldOptions): string {
  const { op, endpointPath } = found;
  const params = operationParameters(found.pathItem, op);
  const pathParams = [...endpointPath.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!);
  const requiredQuery = params.filter((p) => p.in === 'query' && p.required === true).map((p) => String(p.name));
  const security = Array.isArray(op.security) ? op.security : Array.isArray(doc.root.security) ? doc.root.security : [];
  const tokens = [...new Set(security.filter(isObj).flatMap((s) => Object.keys(s)).map((t) => t.toLowerCase()))];
  const tags = Array.isArray(op.tags) ? op.tags.map(String) : [];
  const summary = oneLine(String(op.summary ?? op.operationId ?? `${method} ${endpointPath}`));
  const swaggerRel = path.relative(path.dirname(opts.outAbs), opts.swaggerAbs).split(path.sep).join('/');
  const q = (s: string): string => JSON.stringify(s);

  const lines: string[] = ['---', `endpoint: ${q(`${method} ${endpointPath}`)}`];
  if (opts.api) lines.push(`api: ${plain(opts.api)}`);
  if (tags[0]) lines.push(`domain: ${plain(tags[0].toLowerCase())}`);
  lines.push(
    `tags: [${tags.map(plain).join(', ')}]`,
    `swagger: ${q(swaggerRel)}`,
    'status: draft',
    `savedAt: ${q(opts.now.toISOString())}`,
    'timesReused: 0',
    `tokens: [${tokens.map(plain).join(', ')}]`,
    '---',
    '',
    `# ${summary}`,
    '',
    '## Summary',
    '',
    prose(String(op.description ?? op.summary ?? `${method} ${endpointPath}.`)),
    '',
    // Owned tables (docs/spec-format.md): `verify --update-docs` fills them from what the API does.
    '## Response Codes',
    '',
    '<!-- endpoint-verify:responses -->',
    ...responseTable(op),
    '<!-- /endpoint-verify:responses -->',
    '',
    '## Authentication',
    '',
    tokens.length ? `**Token Type**: ${tokens.map((t) => `**${t}**`).join(' or ')} (from the document's security requirements).` : 'The document names no security requirement for this operation.',
    '',
    '<!-- endpoint-verify:auth -->',
    '<!-- /endpoint-verify:auth -->',
    '',
    '## Prerequisites',
    '',
  );
  if (pathParams.length) {
    lines.push('```yaml', 'steps: []');
    for (const p of pathParams) {
      lines.push(`# TODO: {{${p}}} still needs a step that extracts it (or set it in the environment's vars), e.g.:`, `#   - id: find_${ident(p)}`, '#     method: GET', '#     path: /a/list/endpoint', `#     extract: { ${p}: "$.data[0].id" }`);
    }
    lines.push('```', '');
  } else lines.push('None: the endpoint has no path parameters.', '');

  lines.push('## Test Request', '', '```yaml', 'steps:', `  - id: ${ident(String(op.operationId ?? `${method.toLowerCase()}_${lastStatic(endpointPath)}`))}`, `    description: ${q(summary)}`, `    method: ${method}`, `    path: ${q(endpointPath.replace(/\{([^}]+)\}/g, '{{$1}}'))}`);
  if (requiredQuery.length) {
    lines.push('    params:');
    for (const name of requiredQuery) lines.push(`      ${plain(name)}: ${q(`{{${name}}}`)}`);
  }
  const body = requestBody(doc, op);
  if (body) lines.push(`    # TODO: fill in the request body${body.length ? ` (required: ${body.join(', ')})` : ''}`, '    body: {}');
  lines.push('    expect:', `      status: [${successStatus(op)}]`, '```', '', '## Parameters Reference', '', '| Name | In | Required | Type | Description |', '|------|----|----------|------|-------------|');
  for (const p of params) {
    const type = isObj(p.schema) ? p.schema.type : p.type;
    lines.push(`| ${cell(p.name)} | ${cell(p.in)} | ${p.required === true ? 'yes' : 'no'} | ${cell(Array.isArray(type) ? type.join(', ') : type)} | ${cell(p.description)} |`);
  }
  if (params.length === 0) lines.push('| (none) | | | | |');
  lines.push('', '## Swagger Discrepancies', '', '<!-- endpoint-verify:discrepancies -->', '<!-- /endpoint-verify:discrepancies -->', '');
  return lines.join('\n');
}

/** The documented statuses as the responses table (Observed empty until a run with --update-docs). */
function responseTable(op: Json): string[] {
  const responses = isObj(op.responses) ? op.responses : {};
  const codes = Object.keys(responses).filter((c) => /^[1-5]\d\d$/.test(c));
  if (codes.length === 0) return [];
  const rows = codes.map((c) => {
    const r = responses[c];
    return `| ${c} | ${cell(isObj(r) ? r.description : '')} |  |`;
  });
  return ['| Status | Meaning | Observed |', '|--------|---------|----------|', ...rows];
}

/** The lowest documented 2xx status; 200 when only a range or `default` is documented. */
function successStatus(op: Json): number {
  const codes = Object.keys(isObj(op.responses) ? op.responses : {})
    .filter((c) => /^2\d\d$/.test(c))
    .map(Number)
    .sort((a, b) => a - b);
  return codes[0] ?? 200;
}

/** Required top-level properties of a JSON request body, or undefined when there is no body. */
function requestBody(doc: OpenApiDoc, op: Json): string[] | undefined {
  let schema: unknown;
  if (doc.version === 2) {
    const p = (Array.isArray(op.parameters) ? op.parameters : []).find((x) => isObj(x) && x.in === 'body');
    if (!isObj(p)) return undefined;
    schema = p.schema;
  } else {
    if (!isObj(op.requestBody)) return undefined;
    const content = isObj(op.requestBody.content) ? op.requestBody.content : {};
    const media = Object.keys(content).find((t) => /json/i.test(t)) ?? Object.keys(content)[0];
    schema = media && isObj(content[media]) ? (content[media] as Json).schema : undefined;
  }
  // A readOnly property is never sent in a request, even when the schema lists it as required.
  return isObj(schema) ? requiredFor(schema, 'request') : [];
}

/** A YAML scalar as the seed writes it (`[staff]`), quoted only when plain would change its meaning. */
function plain(s: string): string {
  return /^[A-Za-z][A-Za-z0-9_./-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

function lastStatic(p: string): string {
  return p.split('/').filter((s) => s && !s.includes('{')).pop() ?? 'root';
}

function ident(s: string): string {
  return s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'call';
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Document prose must not open a heading or a fenced block, which would change the spec's structure. */
function prose(s: string): string {
  return s
    .trim()
    .split(/\r?\n/)
    .map((l) => (/^\s{0,3}(#|```|~~~|---\s*$)/.test(l) ? `\\${l.trimStart()}` : l))
    .join('\n');
}

function cell(v: unknown): string {
  return oneLine(String(v ?? '')).replace(/\|/g, '\\|');
}
