import type { RunResult, SpecResult } from '../run/result.js';
import { describeAssertion, failingStep, failureLocation, specReason } from './format.js';

/**
 * JUnit XML, the format CI systems understand: one testsuite per API, one
 * testcase per spec (name = endpoint, classname = file). Failing specs get a
 * <failure>, blocked specs an <error> (their test never ran: a prerequisite
 * did not hold), skipped specs a <skipped>.
 */
export function junitReport(result: RunResult): string {
  const byApi = new Map<string, SpecResult[]>();
  for (const s of result.specs) {
    const list = byApi.get(s.api) ?? [];
    list.push(s);
    byApi.set(s.api, list);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = result.summary;
  out.push(
    `<testsuites name="endpoint-verify" tests="${s.total}" failures="${s.failing}" errors="${s.blocked}" skipped="${s.skipped}" time="${seconds(s.durationMs)}">`,
  );
  for (const [api, specs] of byApi) {
    const count = (v: SpecResult['verdict']): number => specs.filter((x) => x.verdict === v).length;
    const time = specs.reduce((n, x) => n + x.durationMs, 0);
    out.push(
      `  <testsuite name="${attr(api)}" tests="${specs.length}" failures="${count('failing')}" errors="${count('blocked')}" skipped="${count('skipped')}" time="${seconds(time)}" timestamp="${attr(result.startedAt)}">`,
    );
    out.push(`    <properties><property name="environment" value="${attr(result.environment)}"/></properties>`);
    for (const spec of specs) out.push(...testcase(spec));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(spec: SpecResult): string[] {
  const open = `    <testcase name="${attr(spec.endpoint)}" classname="${attr(spec.file)}" time="${seconds(spec.durationMs)}"`;
  const findings = spec.findings.map((f) => `OpenAPI ${f.aspect} (${f.stepId}): documented ${f.documented}; actual ${f.actual}${f.evidence ? `; evidence ${f.evidence}` : ''}`);
  const systemOut = findings.length > 0 ? [`      <system-out>${text(findings.join('\n'))}</system-out>`] : [];
  switch (spec.verdict) {
    case 'verified':
      return systemOut.length > 0 ? [`${open}>`, ...systemOut, '    </testcase>'] : [`${open}/>`];
    case 'skipped':
      return [`${open}>`, `      <skipped message="${attr(spec.reason ?? 'skipped')}"/>`, ...systemOut, '    </testcase>'];
    case 'failing':
    case 'blocked':
    case 'error':
    case 'invalid': {
      const tag = spec.verdict === 'failing' ? 'failure' : 'error';
      const loc = failureLocation(spec);
      const prefix = spec.verdict === 'blocked' ? 'blocked: ' : '';
      const message = `${prefix}${specReason(spec)} (${loc.text})`;
      return [
        `${open}>`,
        `      <${tag} message="${attr(message)}" type="${spec.verdict}">${text(details(spec, loc.text))}</${tag}>`,
        ...systemOut,
        '    </testcase>',
      ];
    }
  }
}

function details(spec: SpecResult, location: string): string {
  const lines = [`${spec.verdict}: ${specReason(spec)}`, `at ${location}`];
  const step = failingStep(spec);
  if (step) {
    lines.push(`step ${step.id} (${step.phase}): ${step.method} ${step.url}${step.status !== undefined ? ` -> ${step.status}` : ''}`);
    for (const a of step.assertions.filter((x) => !x.passed)) lines.push(`  ${describeAssertion(a)}`);
    if (step.error) lines.push(`  error (${step.error.code}): ${step.error.message}`);
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
