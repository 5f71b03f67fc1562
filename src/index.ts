/**
 * The public API of endpoint-verify: parse and lint spec files, run them
 * against an environment, render the results, and write verdicts back.
 * Everything the CLI does is available here; the CLI only wires flags to it.
 * The built-in sandbox API is a separate export, `endpoint-verify/sandbox` (sandbox/index.ts).
 */

// Spec files
export type * from './specfile/model.js';
export { SPEC_STATUSES, PHASES, HTTP_METHODS, OWNED_KEYS, KNOWN_FRONT_MATTER_KEYS } from './specfile/model.js';
export { decodeSpec } from './specfile/decode.js';
export { parseSpec, readSpec, type LoadedSpec } from './specfile/parse.js';
export { lintSpec, type LintContext } from './specfile/lint.js';
export { lintPaths } from './specfile/lint-run.js';
export { discoverSpecFiles } from './specfile/discover.js';
export { specJsonSchema } from './specfile/schema.js';
export { checkJsonPath, queryJsonPath } from './specfile/jsonpath.js';
export { editFrontMatter, ownedValues, type OwnedValues } from './specfile/front-matter-edit.js';
export { writeBack, type OwnedChanges } from './specfile/write-back.js';

// Diagnostics and positions
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export { renderDiagnostic, renderDiagnostics } from './diagnostics/render.js';
export { LineIndex, formatSpan, type Span, type Pos } from './source/span.js';

// Configuration
export type * from './config/types.js';
export { loadConfig, type RawConfig } from './config/load.js';
export { resolveEnvironment, overridesFromEnv } from './config/resolve.js';
export { apiForSpec } from './config/api-for-spec.js';
export { resolveToken } from './config/tokens.js';

// Running
export type * from './result/result.js';
export { summarize } from './result/result.js';
export { runSpecs, type RunOptions } from './run/scheduler/run-specs.js';
export { runChain } from './run/chain/run-chain.js';
export type { ChainContext, ChainResult, HttpClient, HttpRequest, HttpResponse, HttpOutcome, Redactor } from './run/chain/types.js';
export { createHttpClient } from './run/http/client.js';
export { createRedactor } from './secret/index.js';
export { dryRun, type DryRunEntry } from './run/dry-run.js';

// Selection
export { selectSpecs, type Selection } from './select/filters.js';
export { parseShard, shardOf, inShard, type Shard } from './select/shard.js';

// OpenAPI
export type { ConformanceChecker, ConformanceInput } from './openapi/types.js';

// Reports
export { type Reporter, type ReporterOptions } from './report/reporter.js';
export { createReporters } from './cli/reporters.js';
export { renderJson, toReportJson, fromReportJson } from './report/json.js';
export { reportJsonSchema } from './report/report-schema.js';
export { junitReport } from './report/junit.js';
export { markdownReport } from './report/markdown.js';
export { githubAnnotations } from './report/github.js';
export { mergeReports } from './report/merge.js';
