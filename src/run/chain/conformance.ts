import type { ParsedStep } from '../../specfile/model.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import { toDoubles } from '../json-value.js';
import type { ChainContext, HttpRequest } from './types.js';
import { gatewayBase } from './request.js';
import type { ResponseView } from '../extract.js';
import type { AssertionResult, Finding } from '../../result/result.js';

/**
 * After a step got a response, asks the OpenAPI checker whether the response
 * matches the spec's `swagger` document. Findings are warnings, or errors
 * that fail the step when the run uses `--openapi error`.
 */
export async function checkConformance(o: {
  spec: LoadedSpec;
  parsed: ParsedStep;
  ctx: ChainContext;
  request: HttpRequest;
  view: ResponseView;
}): Promise<{ findings: Finding[]; assertions: AssertionResult[] }> {
  const c = o.ctx.conformance;
  const swagger = o.spec.doc.frontMatter.swagger;
  if (!c || c.mode === 'off' || typeof swagger !== 'string') return { findings: [], assertions: [] };
  const url = new URL(o.request.url);
  const basePath = new URL(gatewayBase(o.ctx) ?? url.origin).pathname.replace(/\/+$/, '');
  const sentPath = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  const json = o.view.json();
  const type = o.view.response.headers['content-type'];
  const stepId = o.parsed.step.id;
  let found: Finding[];
  try {
    found = await c.checker.check({
      specFile: o.spec.file,
      specAbsPath: o.spec.absPath,
      swagger,
      stepId,
      method: o.request.method,
      pathTemplate: o.parsed.step.path ?? '',
      path: sentPath || '/',
      query: Object.fromEntries(url.searchParams),
      status: o.view.response.status,
      ...(type ? { contentType: type } : {}),
      ...(json.ok ? { body: toDoubles(json.value) } : {}),
      bodyText: o.view.snippet(2000),
    });
  } catch (err) {
    // The checker promises not to throw; if it does, the run still says what happened.
    found = [{ stepId, aspect: 'operation', documented: swagger, actual: `the OpenAPI check failed: ${err instanceof Error ? err.message : String(err)}`, severity: 'warning' }];
  }
  const severity = c.mode === 'error' ? 'error' : 'warning';
  const findings: Finding[] = [];
  const assertions: AssertionResult[] = [];
  for (const f of found) {
    const finding: Finding = { ...f, stepId: f.stepId || stepId, actual: o.ctx.redact(f.actual), severity };
    if (f.evidence !== undefined) finding.evidence = o.ctx.redact(f.evidence);
    findings.push(finding);
    if (severity === 'error') {
      assertions.push({
        kind: 'conformance',
        target: f.aspect,
        op: 'documented',
        expected: f.documented,
        actual: finding.actual,
        passed: false,
        message: `OpenAPI ${f.aspect}: documented ${f.documented}, got ${finding.actual}`,
      });
    }
  }
  return { findings, assertions };
}
