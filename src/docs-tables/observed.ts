import { STATUS_CODES } from 'node:http';
import { isDocumentUnusable } from '../openapi/conformance.js';
import { ASPECT, code, escapeCell } from '../openapi/discrepancies.js';
import type { DocsObservation } from '../run/scheduler/observe.js';
import type { Finding, Gateway } from '../result/result.js';
import { KINDS, type ObservedRow, type ObservedTable, type TableKind } from '../specfile/tables/index.js';

/**
 * Turns what a run observed of a spec into the rows of its owned tables (docs/spec-format.md,
 * "Owned tables"). Only observations with an answer (verified, failing, blocked) count; when
 * any run of the spec got no answer, no row is marked "not observed" (an outage teaches nothing).
 */

const ANSWERED = new Set(['verified', 'failing', 'blocked']);

export interface ObserveOptions {
  /** Conformance was off: the discrepancies table cannot be judged and stays as it is. */
  conformance: boolean;
}

export function observedTables(kinds: readonly TableKind[], observations: readonly DocsObservation[], opts: ObserveOptions): ObservedTable[] {
  const answered = observations.filter((o) => ANSWERED.has(o.verdict));
  const incomplete = observations.some((o) => o.verdict !== 'unavailable' && !ANSWERED.has(o.verdict));
  // A document that could not be used judged nothing: its table is left as a person wrote it.
  const judged = opts.conformance && !observations.some((o) => o.findings.some(isDocumentUnusable));
  const out: ObservedTable[] = [];
  for (const kind of kinds) {
    if (kind === 'auth') out.push(authTable(observations));
    else if (kind === 'responses') out.push({ kind, rows: responseRows(answered, observations), ...(incomplete ? { unknown: 'all' as const } : {}) });
    else if (kind === 'discrepancies' && judged) out.push({ kind, rows: discrepancyRows(answered, observations), ...(incomplete ? { unknown: 'all' as const } : {}) });
  }
  return out;
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const GATEWAYS: Gateway[] = ['primary', 'fallback'];

/**
 * auth: one row per token type. Works: ✅ on the gateway the spec uses, ⚠️ only on another
 * gateway, ❌ on none. Observed: the Test Request's status per gateway ("422 via primary, 200 via
 * fallback"). A type with any run that got no answer, or with no token in the environment, is unknown.
 */
function authTable(observations: readonly DocsObservation[]): ObservedTable {
  const own = observations.find((o) => o.own);
  const byType = new Map<string, DocsObservation[]>();
  for (const o of observations) {
    if (!o.tokenType) continue;
    const k = KINDS.auth.normalizeKey(o.tokenType);
    byType.set(k, [...(byType.get(k) ?? []), o]);
  }
  const rows: ObservedRow[] = [];
  const unknown = new Set<string>();
  for (const [k, list] of byType) {
    if (list.some((o) => !ANSWERED.has(o.verdict))) {
      unknown.add(k);
      continue;
    }
    const sorted = [...list].sort((a, b) => GATEWAYS.indexOf(a.gateway) - GATEWAYS.indexOf(b.gateway));
    const worksOn = sorted.filter((o) => o.verdict === 'verified').map((o) => o.gateway);
    const works = own && worksOn.includes(own.gateway) ? '✅' : worksOn.length > 0 ? '⚠️' : '❌';
    rows.push({ key: capital(list[0]!.tokenType!), cells: { works, observed: escapeCell(sorted.map((o) => `${answerOf(o)} via ${o.gateway}`).join(', ')) } });
  }
  return { kind: 'auth', rows, unknown };
}

/** The status the Test Request got, or why it was not sent ("blocked: get_client 401"). */
function answerOf(o: DocsObservation): string {
  const test = o.steps.filter((s) => s.phase === 'test' && s.status !== undefined);
  const last = test[test.length - 1];
  if (o.verdict !== 'blocked' && last) return String(last.status);
  const failed = o.steps.find((s) => s.outcome === 'failed');
  return failed ? `blocked: ${failed.id}${failed.status !== undefined ? ` ${failed.status}` : ''}` : o.verdict;
}

/** "staff via fallback", or grouped: "staff via primary; app, directory via primary and fallback". */
function contexts(list: readonly DocsObservation[]): string {
  const byToken = new Map<string, Set<Gateway>>();
  for (const o of list) {
    const t = o.tokenType ?? 'no token';
    byToken.set(t, (byToken.get(t) ?? new Set()).add(o.gateway));
  }
  const groups = new Map<string, string[]>();
  for (const [t, gws] of byToken) {
    const g = GATEWAYS.filter((x) => gws.has(x)).join(' and ');
    groups.set(g, [...(groups.get(g) ?? []), t]);
  }
  return [...groups].map(([g, ts]) => `${ts.join(', ')} via ${g}`).join('; ');
}

/** responses: one row per status any step got, with the steps (and tokens/gateways) that got it. */
function responseRows(answered: readonly DocsObservation[], all: readonly DocsObservation[]): ObservedRow[] {
  const onlyOwn = all.every((o) => o.own || o.verdict === 'unavailable');
  const byStatus = new Map<number, Map<string, DocsObservation[]>>();
  for (const o of answered) {
    for (const s of o.steps) {
      if (s.status === undefined) continue;
      const steps = byStatus.get(s.status) ?? new Map<string, DocsObservation[]>();
      steps.set(s.id, [...(steps.get(s.id) ?? []), o]);
      byStatus.set(s.status, steps);
    }
  }
  return [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, steps]) => ({
      key: String(status),
      cells: {
        meaning: escapeCell(STATUS_CODES[status] ?? ''),
        observed: escapeCell([...steps].map(([id, os]) => (onlyOwn ? code(id) : `${code(id)} (${contexts(os)})`)).join(', ')),
      },
    }));
}

/** The row key of a finding: its aspect, and what tells two findings of one aspect apart. */
function aspectKey(f: Finding): string {
  if (f.aspect === 'status') {
    // The seed's word for undocumented error statuses; other statuses get a row each.
    const code = /\d{3}/.exec(f.actual)?.[0];
    return code && Number(code) >= 400 ? 'Error responses' : `${ASPECT.status} ${code ?? ''}`.trim();
  }
  if (f.aspect === 'schema' && f.pointer) return `${ASPECT.schema} ${f.pointer}`;
  if (f.aspect === 'parameter') {
    const name = /"([^"]+)"/.exec(f.actual)?.[1] ?? /"([^"]+)"/.exec(f.documented)?.[1];
    return name ? `Query parameter ${name}` : ASPECT.parameter;
  }
  return ASPECT[f.aspect];
}

/** discrepancies: one row per finding key, in the seed's layout (Aspect | Swagger Says | Actual Behavior | Evidence). */
function discrepancyRows(answered: readonly DocsObservation[], all: readonly DocsObservation[]): ObservedRow[] {
  const onlyOwn = all.every((o) => o.own || o.verdict === 'unavailable');
  const rows = new Map<string, { f: Finding; actual: string[]; seen: DocsObservation[] }>();
  for (const o of answered) {
    for (const f of o.findings) {
      const key = aspectKey(f);
      const row = rows.get(key);
      if (!row) rows.set(key, { f, actual: [f.actual], seen: [o] });
      else {
        if (!row.seen.includes(o)) row.seen.push(o);
        if (!row.actual.includes(f.actual)) row.actual.push(f.actual);
      }
    }
  }
  return [...rows].map(([key, { f, actual, seen }]) => ({
    key,
    cells: {
      documented: escapeCell(f.documented),
      actual: escapeCell(actual.join('; ')),
      evidence: escapeCell([`step ${code(f.stepId)}`, f.pointer ? `at ${code(f.pointer)}` : '', f.evidence ? code(f.evidence) : '', onlyOwn ? '' : `(${contexts(seen)})`].filter(Boolean).join(' ')),
    },
  }));
}
