import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RunResult } from '../result/result.js';
import { describeAssertion, failingStep, needsAttention, specReason } from './format.js';

/**
 * GitHub Actions workflow commands: an ::error on the failing step's line of
 * every failing, blocked or error spec, one per diagnostic of an invalid spec
 * (at the diagnostic's own line), a ::warning per OpenAPI finding and per
 * write-back that did not happen. Printed to stdout by the CLI under Actions.
 */
export function githubAnnotations(result: RunResult): string[] {
  const out: string[] = [];
  for (const spec of result.specs) {
    if (spec.verdict === 'invalid' && spec.diagnostics?.length) {
      for (const d of spec.diagnostics) {
        const line = d.span && d.span.file === spec.file ? d.span.line : undefined;
        const message = `${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`;
        out.push(command(d.severity, { file: spec.file, line, title: `invalid: ${d.code}${spec.endpoint ? ` (${spec.endpoint})` : ''}` }, message));
      }
    } else if (needsAttention(spec.verdict)) {
      const step = failingStep(spec);
      const lines = [specReason(spec)];
      if (step) {
        lines.push(`${step.method} ${step.url}${step.status !== undefined ? ` -> ${step.status}` : ''}`);
        for (const a of step.assertions.filter((x) => !x.passed)) lines.push(describeAssertion(a));
        if (step.error && !lines[0]?.includes(step.error.message)) lines.push(step.error.message);
      }
      out.push(command('error', { file: spec.file, line: step?.span.line, title: `${spec.verdict}: ${spec.endpoint}` }, lines.join('\n')));
    }
    for (const f of spec.findings) {
      const step = spec.steps.find((s) => s.id === f.stepId);
      const message = `documented: ${f.documented}\nactual: ${f.actual}${f.evidence ? `\nevidence: ${f.evidence}` : ''}`;
      out.push(command(f.severity, { file: spec.file, line: step?.span.line, title: `OpenAPI ${f.aspect}: ${spec.endpoint}` }, message));
    }
    const w = spec.writeBack;
    if (w && (w.outcome === 'conflict' || w.outcome === 'refused' || w.outcome === 'error')) {
      out.push(command('warning', { file: spec.file, line: 1, title: `write-back ${w.outcome}` }, w.message ?? `front-matter not updated (${w.outcome})`));
    }
  }
  return out;
}

/** One annotation for a diagnostic (lint, parse, config): at its file and line when it has them. */
export function diagnosticAnnotation(d: Diagnostic): string {
  const message = `${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`;
  const title = `${d.severity}[${d.code}]`;
  if (!d.span) return `::${d.severity} title=${escapeProperty(title)}::${escapeData(message)}`;
  return command(d.severity, { file: d.span.file, line: d.span.line, col: d.span.col, title }, message);
}

interface Properties {
  file: string;
  line: number | undefined;
  col?: number;
  title: string;
}

function command(kind: 'error' | 'warning', props: Properties, message: string): string {
  const parts = [`file=${escapeProperty(props.file)}`];
  if (props.line !== undefined) parts.push(`line=${props.line}`);
  if (props.col !== undefined) parts.push(`col=${props.col}`);
  parts.push(`title=${escapeProperty(props.title)}`);
  return `::${kind} ${parts.join(',')}::${escapeData(message)}`;
}

/** GitHub's rules for the message part of a workflow command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally must not contain the separators `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
