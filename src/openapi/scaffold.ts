import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { deref, isObj, loadDoc, type Doc, type Json } from './document.js';

/**
 * `endpoint-verify new`: a spec file in the seed's format from one OpenAPI
 * operation. What the document cannot tell (where a path parameter's value
 * comes from) is left as a commented skeleton that still lints clean.
 */

export interface ScaffoldOptions {
  /** "METHOD /path/{param}" */
  endpoint: string;
  swaggerAbs: string;
  outAbs: string;
  now: Date;
}

function operations(doc: Doc): { method: string; template: string; op: Json }[] {
  const out: { method: string; template: string; op: Json }[] = [];
  for (const [template, item] of Object.entries(doc.root.paths as Json)) {
    if (!isObj(item)) continue;
    for (const m of ['get', 'put', 'post', 'patch', 'delete', 'head', 'options']) if (isObj(item[m])) out.push({ method: m.toUpperCase(), template, op: item[m] as Json });
  }
  return out;
}

const cell = (s: unknown): string => String(s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export async function scaffoldSpec(opts: ScaffoldOptions): Promise<{ text?: string; diagnostics: Diagnostic[] }> {
  const m = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(opts.endpoint);
  if (!m) return { diagnostics: [diag('error', 'new-bad-endpoint', `"${opts.endpoint}" is not "METHOD /path"`, { hint: 'for example: "GET /platform/v1/clients/{client_id}/conversations"' })] };
  const method = m[1]!.toUpperCase();
  const wanted = m[2]!;
  let doc: Doc;
  try {
    doc = await loadDoc(opts.swaggerAbs);
  } catch (e) {
    return { diagnostics: [diag('error', 'new-bad-swagger', `cannot read ${opts.swaggerAbs}: ${(e as Error).message.split('\n')[0]}`, { hint: 'pass --swagger with a local OpenAPI 2.0/3.x file' })] };
  }
  const ops = operations(doc);
  const found = ops.find((o) => o.method === method && doc.prefixes.some((p) => `${p}${o.template}` === wanted || o.template === wanted));
  if (!found) {
    const close = didYouMean(`${method} ${wanted}`, ops.map((o) => `${o.method} ${o.template}`));
    return {
      diagnostics: [
        diag('error', 'new-unknown-operation', `${method} ${wanted} is not an operation of ${path.basename(opts.swaggerAbs)}`, {
          hint: close ? `did you mean "${close}"?` : `documented: ${ops.slice(0, 8).map((o) => `${o.method} ${o.template}`).join(', ')}`,
        }),
      ],
    };
  }
  const op = deref(doc, found.op) as Json;
  const pathItem = deref(doc, (doc.root.paths as Json)[found.template]) as Json;
  const params = [...((pathItem.parameters as Json[] | undefined) ?? []), ...((op.parameters as Json[] | undefined) ?? [])].filter(isObj);
  const pathParams = [...wanted.matchAll(/\{([^}]+)\}/g)].map((x) => x[1]!);
  const required = params.filter((p) => p.in === 'query' && p.required === true);
  const security = (op.security ?? doc.root.security) as Json[] | undefined;
  const tokens = [...new Set((security ?? []).flatMap((s) => Object.keys(s)).map((t) => t.toLowerCase()))];
  const tags = Array.isArray(op.tags) ? op.tags.map(String) : [];
  const codes = Object.keys(isObj(op.responses) ? op.responses : {}).filter((c) => /^2\d\d$/.test(c)).sort();
  const success = Number(codes[0] ?? 200);
  const swaggerRel = path.relative(path.dirname(opts.outAbs), opts.swaggerAbs).split(path.sep).join('/');
  const summary = String(op.summary ?? `${method} ${wanted}`);
  const id = (op.operationId ? String(op.operationId) : `${method.toLowerCase()}_${wanted.split('/').filter((s) => s && !s.startsWith('{')).pop() ?? 'call'}`).replace(/[^A-Za-z0-9_]/g, '_');
  const eol = '\n';
  const lines: string[] = [
    '---',
    `endpoint: "${method} ${wanted}"`,
    ...(tags[0] ? [`domain: ${tags[0]}`] : []),
    `tags: [${tags.join(', ')}]`,
    `swagger: "${swaggerRel}"`,
    'status: draft',
    `savedAt: "${opts.now.toISOString()}"`,
    'timesReused: 0',
    `tokens: [${tokens.join(', ')}]`,
    '---',
    '',
    `# ${summary}`,
    '',
    '## Summary',
    '',
    String(op.description ?? summary),
    '',
    '## Authentication',
    '',
    tokens.length ? `Requires a token of type ${tokens.map((t) => `**${t}**`).join(' or ')} (from the operation's security).` : 'The document names no security for this operation.',
    '',
    '## Prerequisites',
    '',
  ];
  if (pathParams.length) {
    lines.push(
      '```yaml',
      'steps: []',
      ...pathParams.flatMap((p) => [
        `# TODO: {{${p}}} still needs a step that extracts it, for example:`,
        `#   - id: find_${p}`,
        '#     method: GET',
        '#     path: /a/list/endpoint',
        `#     extract: { ${p}: "$.data[0].id" }`,
      ]),
      '```',
      '',
    );
  } else lines.push('None.', '');
  lines.push('## Test Request', '', '```yaml', 'steps:', `  - id: ${id}`, `    description: "${summary.replace(/"/g, "'")}"`, `    method: ${method}`, `    path: "${wanted.replace(/\{([^}]+)\}/g, '{{$1}}')}"`);
  if (required.length) {
    lines.push('    params:');
    for (const p of required) lines.push(`      ${String(p.name)}: "{{${String(p.name)}}}"`);
  }
  lines.push('    expect:', `      status: [${success}]`, '```', '', '## Parameters Reference', '', '| Name | In | Required | Type | Description |', '|---|---|---|---|---|');
  for (const p of params) {
    const type = isObj(p.schema) ? p.schema.type : p.type;
    lines.push(`| ${cell(p.name)} | ${cell(p.in)} | ${p.required === true ? 'yes' : 'no'} | ${cell(type)} | ${cell(p.description)} |`);
  }
  lines.push('');
  return { text: lines.join(eol), diagnostics: [] };
}
