import { diag, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../source/span.js';
import { Checker, describe, isRecord } from './check.js';
import { SPEC_STATUSES, type FrontMatter } from './model.js';
import type { Located } from '../yaml/located.js';

export interface FrontMatterResult {
  frontMatter: FrontMatter;
  spans: Record<string, Span>;
  endpoint?: { method: string; path: string };
  diagnostics: Diagnostic[];
}

const ENDPOINT = /^\s*([A-Za-z]+)\s+(\S+)\s*$/;

/**
 * Checks the types of the known front-matter keys. Unknown keys are kept as
 * they are (lint warns about them); a known key of the wrong type is an
 * error and left out of the typed result.
 */
export function checkFrontMatter(loaded: Located, at: Span): FrontMatterResult {
  const spans: Record<string, Span> = {};
  for (const [k, s] of loaded.keySpans) if (!k.includes('.')) spans[k] = s;
  for (const [k, s] of loaded.valueSpans) if (!k.includes('.')) spans[`${k}.value`] = s;

  const value = loaded.value;
  if (!isRecord(value)) {
    const d = diag('error', 'front-matter-not-mapping', `the front-matter must be a mapping of keys, not ${describe(value)}`, {
      span: at,
      hint: 'write key: value lines, e.g. endpoint: "GET /path"',
    });
    return { frontMatter: {}, spans, diagnostics: [d] };
  }
  const c = new Checker({ keySpans: loaded.keySpans, valueSpans: loaded.valueSpans, fallback: at });
  const typed: Record<string, unknown> = {
    endpoint: c.string(value, '', 'endpoint'),
    domain: c.string(value, '', 'domain'),
    tags: c.stringList(value, '', 'tags'),
    swagger: c.string(value, '', 'swagger'),
    status: c.oneOf(value, '', 'status', SPEC_STATUSES),
    savedAt: dateString(c, value, 'savedAt'),
    verifiedAt: dateString(c, value, 'verifiedAt'),
    timesReused: c.integer(value, '', 'timesReused', 0),
    useFallbackApi: c.boolean(value, '', 'useFallbackApi'),
    tokens: c.stringList(value, '', 'tokens'),
    api: c.string(value, '', 'api'),
  };
  // The user's key order, typed values in place of the known keys, and no known key of the wrong type.
  const fm: FrontMatter = {};
  for (const k of Object.keys(value)) {
    const v = Object.hasOwn(typed, k) ? typed[k] : value[k];
    if (v !== undefined) fm[k] = v;
  }

  let endpoint: FrontMatterResult['endpoint'];
  if (value.endpoint === undefined || value.endpoint === null) {
    c.error('missing-key', 'the front-matter has no "endpoint"', at, 'add endpoint: "METHOD /path/{param}", the endpoint this spec documents');
  } else if (typeof fm.endpoint === 'string') {
    const m = ENDPOINT.exec(fm.endpoint);
    if (m && (m[2] as string).length > 0) endpoint = { method: m[1] as string, path: m[2] as string };
    else c.error('bad-endpoint', `endpoint "${fm.endpoint}" is not "METHOD /path"`, c.valueSpan('endpoint'), 'write it as e.g. "GET /platform/v1/clients/{client_id}"');
  }
  return { frontMatter: fm, spans, ...(endpoint ? { endpoint } : {}), diagnostics: c.diagnostics };
}

/** YAML 1.2 core keeps unquoted dates as strings already; anything else (a number) is a mistake. */
function dateString(c: Checker, obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    c.typeError(key, key, 'a date string like "2026-02-04T08:30:00.000Z"', v);
    return undefined;
  }
  return v;
}
