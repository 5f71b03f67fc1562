import type { ExtractRule } from '../spec/model.js';
import { queryJsonPath } from '../spec/jsonpath.js';
import type { HttpResponse } from './chain-types.js';

/** The response as extraction and assertions see it: JSON parsed once, on demand. */
export class ResponseView {
  #json: { ok: true; value: unknown } | { ok: false; message: string } | undefined;
  constructor(
    readonly response: HttpResponse,
    readonly redact: (s: string) => string,
  ) {}

  json(): { ok: true; value: unknown } | { ok: false; message: string } {
    if (this.#json) return this.#json;
    const type = this.response.headers['content-type'] ?? '';
    const text = this.response.bodyText ?? '';
    try {
      this.#json = { ok: true, value: JSON.parse(text) };
    } catch {
      const got = type ? type.split(';')[0]!.trim() : text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
      this.#json = { ok: false, message: `expected JSON, got ${got}${text.trim() ? `: ${this.snippet(80)}` : ''}` };
    }
    return this.#json;
  }

  snippet(max = 300): string {
    const text = (this.response.bodyText ?? '').replace(/\s+/g, ' ').trim();
    return this.redact(text.length > max ? `${text.slice(0, max)}…` : text);
  }
}

export type ExtractOutcome = { ok: true; value: unknown } | { ok: false; message: string };

export function extractValue(rule: ExtractRule, view: ResponseView): ExtractOutcome {
  const r = typeof rule === 'string' ? { from: 'body' as const, path: rule } : rule;
  let source: unknown;
  let described: string;
  if (r.from === 'status') {
    source = view.response.status;
    described = 'the status';
  } else if (r.from === 'header') {
    const name = (r.header ?? '').toLowerCase();
    source = view.response.headers[name];
    described = `header ${r.header}`;
    if (source === undefined) return { ok: false, message: `no ${r.header} header in the response` };
  } else if (r.path) {
    const json = view.json();
    if (!json.ok) return json;
    const found = queryJsonPath(json.value, r.path);
    if (found.length === 0 || found[0] === undefined) return { ok: false, message: `no match for ${r.path} in ${view.snippet(160) || 'an empty body'}` };
    source = found[0];
    described = r.path;
  } else {
    source = view.response.bodyText ?? '';
    described = 'the body';
  }
  if (r.regex) {
    let re: RegExp;
    try {
      re = new RegExp(r.regex);
    } catch {
      return { ok: false, message: `the regex ${r.regex} does not compile` };
    }
    const m = re.exec(String(source));
    const v = m?.[r.group ?? 1] ?? (r.group === undefined ? m?.[0] : undefined);
    if (v === undefined) return { ok: false, message: `regex ${r.regex} did not match ${described}` };
    return { ok: true, value: v };
  }
  return { ok: true, value: source };
}
