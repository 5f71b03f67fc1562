import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import { summarize, type RunResult, type SpecResult } from '../result/result.js';
import { fromReportJson } from './json.js';
import { fail, ok, type Result } from '../result/ok.js';
import { REPORT_SCHEMA_VERSION, reportJsonSchema, type ReportJson } from './report-schema.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

let validator: ValidateFunction | undefined;
export function reportValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    validator = ajv.compile(reportJsonSchema);
  }
  return validator;
}

/**
 * Joins the JSON reports of sharded runs into one RunResult, so every
 * reporter can render the whole. Inputs are named by position ("report 2"),
 * the order the user gave them in.
 */
export function mergeReports(docs: unknown[]): Result<RunResult, Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  if (docs.length === 0) return fail([diag('error', 'merge-no-reports', 'no reports to merge')]);
  const validate = reportValidator();
  const reports: ReportJson[] = [];
  docs.forEach((doc, i) => {
    const name = `report ${i + 1}`;
    const version = isObject(doc) ? doc.schemaVersion : undefined;
    if (isObject(doc) && typeof version === 'number' && version !== REPORT_SCHEMA_VERSION) {
      diagnostics.push(
        diag('error', 'merge-schema-version', `${name} has schemaVersion ${version}, this version reads ${REPORT_SCHEMA_VERSION}`, {
          hint: 'merge reports written by the same version of endpoint-verify',
        }),
      );
      return;
    }
    if (!validate(doc)) {
      const first = validate.errors?.[0];
      const where = first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'is invalid';
      const more = (validate.errors?.length ?? 0) > 1 ? ` (and ${(validate.errors?.length ?? 1) - 1} more)` : '';
      diagnostics.push(
        diag('error', 'merge-not-a-report', `${name} is not an endpoint-verify JSON report: ${where}${more}`, {
          hint: 'pass files written with --reporter json:<file>',
        }),
      );
      return;
    }
    reports.push(doc as ReportJson);
  });
  if (diagnostics.length > 0) return fail(diagnostics);

  const parts = reports.map(fromReportJson);
  const seen = new Map<string, number>();
  const specs: SpecResult[] = [];
  parts.forEach((part, i) => {
    for (const spec of part.specs) {
      const first = seen.get(spec.file);
      if (first !== undefined && first !== i) {
        diagnostics.push(
          diag('error', 'merge-duplicate-spec', `${spec.file} is in report ${first + 1} and report ${i + 1}`, {
            hint: 'each shard must cover different specs (--shard i/n with the same n)',
          }),
        );
        continue;
      }
      seen.set(spec.file, i);
      specs.push(spec);
    }
  });
  if (diagnostics.length > 0) return fail(diagnostics);

  // Stable order whatever the shard order; a spec run with several token types keeps its run order.
  const order = specs.map((s, i) => ({ s, i }));
  order.sort((a, b) => (a.s.file < b.s.file ? -1 : a.s.file > b.s.file ? 1 : a.i - b.i));

  const started = Math.min(...parts.map((p) => Date.parse(p.startedAt)));
  const finished = Math.max(...parts.map((p) => Date.parse(p.finishedAt)));
  const startedAt = parts.find((p) => Date.parse(p.startedAt) === started)?.startedAt ?? new Date(started).toISOString();
  const finishedAt = parts.find((p) => Date.parse(p.finishedAt) === finished)?.finishedAt ?? new Date(finished).toISOString();
  const environments = [...new Set(parts.map((p) => p.environment))];
  const reuseWrites = parts.flatMap((p) => p.reuseWrites ?? []);

  const result: RunResult = {
    startedAt,
    finishedAt,
    environment: environments.join(', '),
    summary: summarize(
      order.map((o) => o.s),
      Math.max(0, finished - started),
    ),
    specs: order.map((o) => o.s),
    interrupted: parts.some((p) => p.interrupted),
  };
  if (reuseWrites.length > 0) result.reuseWrites = reuseWrites;
  return ok(result);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
