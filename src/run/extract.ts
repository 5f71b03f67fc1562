import type { ExtractRule } from '../specfile/model.js';
import { evaluateJsonPath } from '../specfile/jsonpath.js';
import type { HttpResponse, Redactor } from './chain/types.js';
import { addNamed, isSecretName, MASK } from '../secret/index.js';
import { displayText, mayHoldBigInt, parseJson, stringifyJson, toDoubles } from './json-value.js';
import type { AssertionResult } from '../result/result.js';

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

/** The response as extraction and assertions see it: JSON parsed once, on demand, everything shown redacted. */
export class ResponseView {
  #json: JsonBody | undefined;
  constructor(
    readonly response: HttpResponse,
    readonly redact: (s: string) => string,
  ) {}

  /** The media type without parameters ("application/json"), or undefined. */
  get contentType(): string | undefined {
    const t = this.response.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    return t || undefined;
  }

  #numbers: unknown;
  #numbersDone = false;

  /** The parsed body with big integers as numbers, for JSONPath filters; the body itself when it has none. */
  numbers(): unknown {
    if (this.#numbersDone) return this.#numbers;
    const json = this.json();
    const value = json.ok ? json.value : undefined;
    this.#numbers = json.ok && mayHoldBigInt(this.response.bodyText ?? '') ? toDoubles(value) : value;
    this.#numbersDone = true;
    return this.#numbers;
  }

  json(): JsonBody {
    if (this.#json) return this.#json;
    const text = this.response.bodyText ?? '';
    if (text.trim() === '') {
      this.#json = { ok: false, message: `expected JSON, got an empty body${this.contentType ? ` (${this.contentType})` : ''}` };
      return this.#json;
    }
    try {
      this.#json = { ok: true, value: parseJson(text) };
    } catch {
      const type = this.contentType;
      // A JSON content type that does not parse is a different problem from an HTML error page.
      const got = !type ? 'a body that is not JSON' : /[/+]json$/.test(type) ? `${type} that does not parse` : type;
      this.#json = { ok: false, message: `expected JSON, got ${got}: ${this.snippet(80)}` };
    }
    return this.#json;
  }

  /** Whitespace-collapsed, truncated, redacted body text. */
  snippet(max = 300): string {
    const text = (this.response.bodyText ?? '').replace(/\s+/g, ' ').trim();
    // Redact before truncating, so a secret cut in half at the edge is still caught.
    const red = this.redact(text);
    return red.length > max ? `${red.slice(0, max - 1)}…` : red;
  }
}

export type ExtractOutcome = { ok: true; value: unknown } | { ok: false; message: string };

function normalize(rule: ExtractRule): Exclude<ExtractRule, string> {
  return typeof rule === 'string' ? { from: 'body', path: rule } : rule;
}

/** One extraction rule applied to a response. Never throws. */
export function extractValue(rule: ExtractRule, view: ResponseView): ExtractOutcome {
  const r = normalize(rule);
  let source: unknown;
  let described: string;
  if (r.from === 'status') {
    source = view.response.status;
    described = 'the status';
  } else if (r.from === 'header') {
    const name = (r.header ?? '').toLowerCase();
    source = view.response.headers[name];
    described = `header ${r.header ?? ''}`;
    if (source === undefined) return { ok: false, message: `no ${r.header ?? ''} header in the response` };
  } else if (r.path !== undefined) {
    const json = view.json();
    if (!json.ok) return json;
    const found = evaluateJsonPath(json.value, r.path, { numbers: () => view.numbers() });
    if (!found.ok) return found;
    if (found.values.length === 0) return { ok: false, message: `no match for ${r.path} in ${view.snippet(160)}` };
    // RFC 9535 nodelists: a singular query gives its value, any other query the list of what it selected.
    source = found.singular ? found.values[0] : found.values;
    described = r.path;
  } else {
    source = view.response.bodyText ?? '';
    described = 'the body';
  }
  if (r.regex === undefined) return { ok: true, value: source };
  let re: RegExp;
  try {
    re = new RegExp(r.regex);
  } catch {
    return { ok: false, message: `the regex ${r.regex} does not compile` };
  }
  let text: string;
  try {
    text = typeof source === 'string' ? source : (stringifyJson(source) ?? String(source));
  } catch {
    return { ok: false, message: `${described} is nested too deeply to match the regex ${r.regex} against` };
  }
  const m = re.exec(text);
  if (!m) return { ok: false, message: `regex ${r.regex} did not match ${described}: ${view.redact(shorten(text, 120))}` };
  const group = r.group ?? (m.length > 1 ? 1 : 0);
  const v = m[group];
  if (v === undefined) return { ok: false, message: `regex ${r.regex} matched ${described} but group ${group} captured nothing` };
  return { ok: true, value: v };
}

function shorten(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

const show = displayText;

export interface Extractions {
  /** Values to add to the chain's variables, in rule order. */
  vars: [string, unknown][];
  /** What results show: redacted, `***` for secret-looking names. */
  shown: Record<string, string>;
  /** One `extract` assertion per rule. */
  assertions: AssertionResult[];
}

/**
 * Registers the values of secret-looking extractions before anything about
 * the response (snippet, assertion values) is shown, whatever the status.
 */
export function registerSecretExtractions(rules: Record<string, ExtractRule> | undefined, view: ResponseView, redact: Redactor): void {
  for (const [name, rule] of Object.entries(rules ?? {})) {
    if (!isSecretName(name)) continue;
    const x = extractValue(rule, view);
    if (x.ok) addNamed(redact, name, x.value, show);
  }
}

/**
 * Every `extract` rule of a step. A value whose name looks secret is
 * registered with the redactor before anything can print it.
 */
export function runExtractions(rules: Record<string, ExtractRule> | undefined, view: ResponseView, redact: Redactor): Extractions {
  const out: Extractions = { vars: [], shown: {}, assertions: [] };
  for (const [name, rule] of Object.entries(rules ?? {})) {
    const expected = typeof rule === 'string' ? rule : { ...rule };
    const x = extractValue(rule, view);
    if (!x.ok) {
      out.assertions.push({ kind: 'extract', target: name, op: 'found', expected, actual: undefined, passed: false, message: redact(x.message) });
      continue;
    }
    const shown = addNamed(redact, name, x.value, show) ? MASK : redact(show(x.value));
    out.vars.push([name, x.value]);
    out.shown[name] = shown;
    out.assertions.push({ kind: 'extract', target: name, op: 'found', expected, actual: shown, passed: true });
  }
  return out;
}
