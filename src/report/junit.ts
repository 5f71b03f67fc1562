import { isFailedWriteBack } from '../result/write-back-failures.js';
import type { RunResult, SpecResult } from '../result/result.js';
import { describeAssertion, diagnosticLines, failingStep, failureLocation, specReason } from './format.js';

/**
 * JUnit XML, the format CI systems understand, valid against the common JUnit schema (Jenkins
 * xunit plugin's junit-10.xsd, vendored in test/fixtures/junit): one testsuite per API, one
 * testcase per selected spec file (name = endpoint, classname = file), broken files included.
 * `failing` specs get a <failure>; `blocked`, `error` and `invalid` specs an <error> whose `type`
 * is the verdict (their test was not judged); `skipped` specs a <skipped>.
 *
 * junit-10 allows no `file` or `line` attribute on <testcase>, so the place to look is in the
 * message and on the first line of the body as `file:line` (where publishers such as
 * action-junit-report find it, with the file from `classname`).
 */
export function junitReport(result: RunResult): string {
  const byApi = new Map<string, SpecResult[]>();
  for (const s of result.specs) {
    const list = byApi.get(s.api) ?? [];
    list.push(s);
    byApi.set(s.api, list);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = counts(result.specs);
  // No `skipped` on <testsuites>: junit-10 does not allow it there (each <testsuite> has its own).
  out.push(`<testsuites name="endpoint-verify" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${seconds(result.summary.durationMs)}">`);
  for (const [api, specs] of byApi) {
    const c = counts(specs);
    const time = specs.reduce((n, x) => n + x.durationMs, 0);
    out.push(
      `  <testsuite name="${attr(api || '(no API)')}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(time)}" timestamp="${attr(result.startedAt)}">`,
    );
    const unwritten = specs.filter((x) => isFailedWriteBack(x.writeBack)).length;
    out.push(
      `    <properties><property name="environment" value="${attr(result.environment)}"/>${unwritten > 0 ? `<property name="writeBackFailures" value="${unwritten}"/>` : ''}</properties>`,
    );
    for (const spec of specs) out.push(...testcase(spec));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function counts(specs: readonly SpecResult[]): { tests: number; failures: number; errors: number; skipped: number } {
  const c = { tests: specs.length, failures: 0, errors: 0, skipped: 0 };
  for (const s of specs) {
    if (s.verdict === 'failing') c.failures++;
    else if (s.verdict === 'skipped') c.skipped++;
    else if (s.verdict !== 'verified') c.errors++;
  }
  return c;
}

function testcase(spec: SpecResult): string[] {
  // A file too broken to have an endpoint is still a testcase: it is named by its file.
  const open = `    <testcase name="${attr(spec.endpoint || spec.file)}" classname="${attr(spec.file)}" time="${seconds(spec.durationMs)}"`;
  const findings = spec.findings.map((f) => `OpenAPI ${f.aspect} (${f.stepId}): documented ${f.documented}; actual ${f.actual}${f.evidence ? `; evidence ${f.evidence}` : ''}`);
  const systemOut = findings.length > 0 ? [`      <system-out>${text(findings.join('\n'))}</system-out>`] : [];
  // A write-back that failed is not a test failure (the verdict stands) but must be seen: system-err.
  if (isFailedWriteBack(spec.writeBack)) systemOut.push(`      <system-err>${text(`write-back ${spec.writeBack!.outcome}: ${spec.writeBack!.message ?? 'not written'}`)}</system-err>`);
  if (spec.verdict === 'verified') return systemOut.length > 0 ? [`${open}>`, ...systemOut, '    </testcase>'] : [`${open}/>`];
  if (spec.verdict === 'skipped') return [`${open}>`, `      <skipped message="${attr(spec.reason ?? 'skipped')}"/>`, ...systemOut, '    </testcase>'];
  const tag = spec.verdict === 'failing' ? 'failure' : 'error';
  const loc = failureLocation(spec);
  // <failure> says "failing" itself; an <error> names which kind of not-judged it is.
  const message = `${spec.verdict === 'failing' ? '' : `${spec.verdict}: `}${specReason(spec)} (${loc.text})`;
  return [
    `${open}>`,
    `      <${tag} message="${attr(message)}" type="${spec.verdict}">${text(details(spec, loc.text))}</${tag}>`,
    ...systemOut,
    '    </testcase>',
  ];
}

function details(spec: SpecResult, location: string): string {
  const lines = [`${location}: ${spec.verdict}: ${specReason(spec)}`];
  lines.push(...diagnosticLines(spec));
  const step = failingStep(spec);
  if (step) {
    lines.push(`step ${step.id} (${step.phase}): ${step.method} ${step.url}${step.status !== undefined ? ` -> ${step.status}` : ''}`);
    for (const a of step.assertions.filter((x) => !x.passed)) lines.push(`  ${describeAssertion(a)}`);
    if (step.error) lines.push(`  error (${step.error.code}): ${step.error.message}`);
    if (step.requestBody) lines.push(`  request body: ${step.requestBody}`);
    if (step.responseSnippet) lines.push(`  response: ${step.responseSnippet}`);
  }
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

// XML 1.0 allows only these characters; anything else (NUL, ESC, lone surrogates) is dropped.
const ILLEGAL_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function xmlText(s: string): string {
  return s.replace(ILLEGAL_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also keep their line breaks and tabs (as character references). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const text = xmlText;
const attr = xmlAttr;
