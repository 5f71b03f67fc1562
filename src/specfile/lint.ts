import path from 'node:path';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Span } from '../source/span.js';
import { checkJsonPath } from './jsonpath.js';
import { lintVariables, type VariablesContext } from './lint-vars.js';
import { HTTP_METHODS, KNOWN_FRONT_MATTER_KEYS, type ParsedStep, type SpecDocument } from './model.js';

/** The variable rules' context (known variables, the spec's folder, `use:` exports), and file checks. */
export interface LintContext extends VariablesContext {
  fileExists(absPath: string): boolean;
}

/** Checks beyond the file's shape: names, references, JSONPaths, and that the spec tests its endpoint. */
export function lintSpec(doc: SpecDocument, ctx: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fileSpan: Span = { file: doc.file, line: 1, col: 1 };
  const fmSpan = (key: string, value = false): Span => doc.frontMatterSpans[value ? `${key}.value` : key] ?? doc.frontMatterSpans[key] ?? fileSpan;

  const known: readonly string[] = KNOWN_FRONT_MATTER_KEYS;
  for (const key of Object.keys(doc.frontMatter)) {
    if (known.includes(key)) continue;
    const near = didYouMean(key, known);
    out.push(
      diag('warning', 'unknown-key', `unknown front-matter key "${key}"`, {
        span: fmSpan(key),
        hint: near ? `did you mean "${near}"? (unknown keys are kept as they are)` : `known keys: ${known.join(', ')}`,
      }),
    );
  }

  if (doc.endpoint) {
    out.push(...checkMethod(doc.endpoint.method, fmSpan('endpoint', true), 'the endpoint'));
    out.push(...checkPath(doc.endpoint.path, fmSpan('endpoint', true), 'the endpoint'));
  }

  const seen = new Map<string, ParsedStep>();
  for (const s of doc.steps) {
    const id = s.step.id;
    if (!id) continue;
    const first = seen.get(id);
    if (first) {
      out.push(
        diag('error', 'duplicate-step-id', `step id "${id}" is used twice (first on line ${first.span.line})`, {
          span: s.keySpans.id ? valueOf(s, 'id') : s.span,
          hint: 'give each step of the file its own id; extracted variables and reports refer to steps by id',
        }),
      );
    } else seen.set(id, s);
  }

  for (const s of doc.steps) out.push(...lintStep(s, ctx));
  out.push(...lintVariables(doc, ctx));
  out.push(...endpointCalled(doc, fmSpan('endpoint', true)));

  if (typeof doc.frontMatter.swagger === 'string' && doc.frontMatter.swagger !== '') {
    const abs = path.resolve(ctx.specDir, doc.frontMatter.swagger);
    if (!ctx.fileExists(abs)) {
      out.push(
        diag('warning', 'swagger-missing', `swagger file "${doc.frontMatter.swagger}" does not exist`, {
          span: fmSpan('swagger', true),
          hint: 'the path is relative to the spec file\'s folder; fix it or remove the key (conformance checks need it)',
        }),
      );
    }
  }
  return out;
}

function valueOf(s: ParsedStep, key: string): Span {
  return s.valueSpans?.[key] ?? s.keySpans[key] ?? s.span;
}

function lintStep(s: ParsedStep, ctx: LintContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { step } = s;
  if (typeof step.method === 'string') out.push(...checkMethod(step.method, valueOf(s, 'method'), `step "${step.id}"`));
  if (typeof step.path === 'string') out.push(...checkPath(step.path, valueOf(s, 'path'), `step "${step.id}"`));

  for (const [name, rule] of Object.entries(step.extract ?? {})) {
    const jp = typeof rule === 'string' ? rule : rule.path;
    if (jp === undefined) continue;
    const at = typeof rule === 'string' ? `extract.${name}` : `extract.${name}.path`;
    out.push(...checkPathExpr(jp, valueOf(s, at)));
  }
  for (const jp of Object.keys(step.expect?.body ?? {})) out.push(...checkPathExpr(jp, s.keySpans[`expect.body.${jp}`] ?? s.span));

  if (typeof step.use === 'string' && step.use !== '') {
    const abs = path.resolve(ctx.specDir, step.use);
    if (!ctx.fileExists(abs)) {
      out.push(
        diag('error', 'use-missing', `use: "${step.use}" does not exist`, {
          span: valueOf(s, 'use'),
          hint: "the path is relative to this spec file's folder",
        }),
      );
    }
  }
  return out;
}

/**
 * The span of one character of a path inside its scalar's span, when the
 * scalar is the path as written (plain, or quoted without escapes);
 * otherwise the whole scalar.
 */
function charSpan(span: Span, jp: string, col: number | undefined): Span {
  if (col === undefined || span.endCol === undefined || (span.endLine !== undefined && span.endLine !== span.line)) return span;
  const width = span.endCol - span.col;
  const offset = width === jp.length ? 0 : width === jp.length + 2 ? 1 : undefined;
  if (offset === undefined) return span;
  const at = span.col + offset + col - 1;
  return { file: span.file, line: span.line, col: at, endLine: span.line, endCol: at + 1 };
}

function checkPathExpr(jp: string, span: Span): Diagnostic[] {
  const r = checkJsonPath(jp);
  if (r.ok) return [];
  return [
    diag('error', 'bad-jsonpath', `JSONPath "${jp}": ${r.message}${r.col !== undefined ? ` (at character ${r.col})` : ''}`, {
      span: charSpan(span, jp, r.col),
      hint: "write an RFC 9535 JSONPath, e.g. $.data.items[0].id or $.data[?@.status=='open'].id",
    }),
  ];
}

function checkMethod(method: string, span: Span, what: string): Diagnostic[] {
  const methods: readonly string[] = HTTP_METHODS;
  if (methods.includes(method)) return [];
  const upper = method.toUpperCase();
  const hint = methods.includes(upper) ? `write it in capitals: ${upper}` : (() => {
    const near = didYouMean(upper, methods);
    return near ? `did you mean ${near}?` : `use one of: ${methods.join(', ')}`;
  })();
  return [diag('error', 'bad-method', `${what}: "${method}" is not an HTTP method`, { span, hint })];
}

function checkPath(p: string, span: Span, what: string): Diagnostic[] {
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('//') || /^\{\{[^}]*\}\}/.test(p)) {
    return [
      diag('error', 'bad-path', `${what}: path "${p}" is not a path on the API (it names a host or comes whole from a variable)`, {
        span,
        hint: 'write a path starting with "/", e.g. /platform/v1/clients; the gateway URL comes from the environment, so tokens only go to configured gateways',
      }),
    ];
  }
  if (!p.startsWith('/')) {
    return [diag('error', 'bad-path', `${what}: path "${p}" does not start with "/"`, { span, hint: `write "/${p}"` })];
  }
  return [];
}

const TEMPLATE_SEGMENT = /\{\{[^{}]*\}\}/;

/** Whether a step path (templates, maybe a query) is the endpoint path (with {params}). */
export function pathMatchesEndpoint(stepPath: string, endpointPath: string): boolean {
  const norm = (p: string): string[] => (p.split(/[?#]/)[0] ?? '').replace(/\/+$/, '').split('/');
  const a = norm(stepPath);
  const b = norm(endpointPath);
  if (a.length !== b.length) return false;
  return b.every((seg, i) => {
    const got = a[i] as string;
    if (/^\{[^{}]+\}$/.test(seg)) return got.length > 0;
    return got === seg && !TEMPLATE_SEGMENT.test(got);
  });
}

/**
 * The lint rules a run also enforces before sending anything: a spec whose Test Request never
 * calls its own `endpoint:` would be "verified" on some other call's answer. `verify` makes such
 * a spec `invalid` (docs/results.md). One owner: lint reports the same diagnostic from here.
 */
export function runBlockingChecks(doc: SpecDocument): Diagnostic[] {
  return endpointCalled(doc, doc.frontMatterSpans['endpoint.value'] ?? doc.frontMatterSpans.endpoint ?? { file: doc.file, line: 1, col: 1 });
}

function endpointCalled(doc: SpecDocument, span: Span): Diagnostic[] {
  const ep = doc.endpoint;
  if (!ep) return [];
  const tests = doc.steps.filter((s) => s.phase === 'test');
  const calls = tests.some(
    (s) => typeof s.step.method === 'string' && s.step.method.toUpperCase() === ep.method.toUpperCase() && typeof s.step.path === 'string' && pathMatchesEndpoint(s.step.path, ep.path),
  );
  if (calls) return [];
  return [
    diag('error', 'endpoint-not-called', tests.length === 0 ? `no Test Request steps call the endpoint ${ep.method} ${ep.path}` : `the Test Request never calls ${ep.method} ${ep.path}`, {
      span,
      hint:
        tests.length === 0
          ? 'add a ```yaml steps: block under "## Test Request" that calls the endpoint'
          : `add a Test Request step with method: ${ep.method} and a path like ${ep.path.replace(/\{([^{}]+)\}/g, '{{$1}}')}`,
    }),
  ];
}
