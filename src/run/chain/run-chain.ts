import { performance } from 'node:perf_hooks';
import { chainOrder } from '../../specfile/chain-order.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import { specToken } from './token.js';
import { baseResult, runStep } from './step.js';
import type { ChainContext, ChainResult } from './types.js';
import { addNamed } from '../../secret/index.js';
import { stepErrorClass, type Finding, type StepResult } from '../../result/result.js';
import { builtins, type Lookup } from '../template.js';

export type { ChainContext, ChainResult } from './types.js';

/**
 * Runs one spec's steps: Prerequisites, Test Request, then Cleanup (always,
 * also after a failure aborted the rest). Returns plain, redacted data and
 * never throws for anything a spec or a server does.
 *
 * Variables, weakest first: environment vars, the API's vars, values
 * extracted (or imported by `use:`) in step order, then --var.
 */
export async function runChain(spec: LoadedSpec, ctx: ChainContext): Promise<ChainResult> {
  const started = performance.now();
  const { vars, lookup } = chainVariables(ctx);

  const token = await specToken(ctx, spec.doc.frontMatter.tokens);
  const steps: StepResult[] = [];
  const findings: Finding[] = [];
  let stopReason: string | undefined;

  for (const parsed of chainOrder(spec.doc.steps)) {
    let result: StepResult;
    if (ctx.signal?.aborted) {
      result = baseResult(parsed, ctx, 'skipped');
      result.skipReason = 'the run was interrupted';
      result.error = { code: 'interrupted', message: 'the run was interrupted before this step' };
    } else if (stopReason !== undefined && parsed.phase !== 'cleanup') {
      result = baseResult(parsed, ctx, 'skipped');
      result.skipReason = stopReason;
    } else {
      result = await runStep(parsed, { spec, ctx, lookup, vars, token, findings });
    }
    steps.push(result);
    ctx.onStep?.(result);
    if (result.outcome === 'failed' && parsed.phase !== 'cleanup' && (parsed.step.onFail ?? 'abort') === 'abort') {
      stopReason ??= `an earlier step (${parsed.step.id}) failed`;
    }
  }

  const out: ChainResult = {
    ...verdictOf(steps),
    steps,
    findings,
    vars: Object.fromEntries(vars),
    durationMs: performance.now() - started,
  };
  if ('token' in token && token.token) out.tokenType = token.token.type;
  return out;
}

/**
/**
 * A chain's variables before its first step (environment vars, the API's vars; --var wins at
 * lookup) and the lookup templates use. Values with secret-looking names (an `api_key` var) are
 * registered with the redactor here, for the run and `--dry-run` alike.
 */
export function chainVariables(ctx: Pick<ChainContext, 'environment' | 'api' | 'cliVars' | 'redact' | 'now'>): { vars: Map<string, unknown>; lookup: Lookup } {
  const vars = new Map<string, unknown>();
  for (const [k, v] of Object.entries(ctx.environment.vars)) vars.set(k, v);
  for (const [k, v] of Object.entries(ctx.api.vars)) vars.set(k, v);
  const cli = ctx.cliVars ?? {};
  // Typed values (--var n:=25, a YAML number) are secrets in their text form too.
  for (const [k, v] of vars) addNamed(ctx.redact, k, v);
  for (const [k, v] of Object.entries(cli)) addNamed(ctx.redact, k, v);
  const builtin = builtins(ctx.now ?? (() => new Date()));
  const lookup: Lookup = (name) => (name.startsWith('$') ? builtin(name) : Object.hasOwn(cli, name) ? cli[name] : vars.get(name));
  return { vars, lookup };
}

/**
 * Cleanup steps never change the verdict; a failed Prerequisite wins over a failed Test Request step.
 * The deciding step's error says whether the API answered at all (docs/results.md, "Outcomes"):
 * no answer or nothing sent is `error`, a spec that cannot become a request is `invalid`; only an
 * answer makes a spec `failing` or `blocked`.
 */
export function verdictOf(steps: readonly StepResult[]): Pick<ChainResult, 'verdict' | 'reason'> {
  const prereq = steps.find((s) => s.phase === 'prerequisites' && s.outcome === 'failed');
  const tests = steps.filter((s) => s.phase === 'test');
  const failed = prereq ?? tests.find((s) => s.outcome === 'failed');
  if (failed) {
    const cls = failed.error ? stepErrorClass(failed.error) : 'answered';
    const what = failed.phase === 'prerequisites' ? `prerequisite ${failed.id}` : failed.id;
    if (cls === 'error') return { verdict: 'error', reason: `${what}: nothing learned about the doc: ${why(failed)}` };
    if (cls === 'invalid') return { verdict: 'invalid', reason: `${what}: ${why(failed)}` };
    if (failed.phase === 'prerequisites') return { verdict: 'blocked', reason: `prerequisite ${failed.id} failed: ${why(failed)}` };
    return { verdict: 'failing', reason: `${failed.id} failed: ${why(failed)}` };
  }
  if (tests.length === 0) return { verdict: 'invalid', reason: 'no Test Request steps' };
  if (tests.some((s) => s.outcome === 'skipped')) return { verdict: 'skipped', reason: 'interrupted before every Test Request step ran' };
  return { verdict: 'verified' };
}

/** One line for a failed step, already redacted (messages and actual values are). */
function why(s: StepResult): string {
  if (s.error) return s.error.message;
  const a = s.assertions.find((x) => !x.passed);
  if (!a) return 'failed';
  if (a.message) return a.message;
  return `${a.target ?? a.kind} ${a.op} ${JSON.stringify(a.expected)}, got ${JSON.stringify(a.actual)}`;
}
