import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Span } from '../source/span.js';

/**
 * The spec file model. These types ARE the file format: the JSON Schema in
 * schema.ts describes the same shapes, and `endpoint-verify schema` prints it.
 */

export const SPEC_STATUSES = ['draft', 'verified', 'failing', 'blocked'] as const;
export type SpecStatus = (typeof SPEC_STATUSES)[number];

export const PHASES = ['prerequisites', 'test', 'cleanup'] as const;
/** Prerequisites, then Test Request, then Cleanup (always runs last). */
export type Phase = (typeof PHASES)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] as const;

/** Keys a run may change in a spec file; everything else is the user's. */
export const OWNED_KEYS = ['status', 'verifiedAt', 'timesReused', 'useFallbackApi'] as const;

export const KNOWN_FRONT_MATTER_KEYS = [
  'endpoint',
  'domain',
  'tags',
  'swagger',
  'status',
  'savedAt',
  'verifiedAt',
  'timesReused',
  'useFallbackApi',
  'tokens',
  /** Which API of the environment this spec targets (overrides the folder mapping). */
  'api',
] as const;

export interface FrontMatter {
  /** "METHOD /path/{param}" */
  endpoint?: string;
  domain?: string;
  tags?: string[];
  /** Path to the OpenAPI document, relative to the spec file (or the repo root, see docs). */
  swagger?: string;
  status?: SpecStatus;
  savedAt?: string;
  verifiedAt?: string;
  timesReused?: number;
  useFallbackApi?: boolean;
  /** Token types, in order of preference. */
  tokens?: string[];
  api?: string;
  /** Unknown keys are kept (and linted), never dropped. */
  [key: string]: unknown;
}

/** Short form: a JSONPath into the JSON body. Long form: header, status or regex. */
export type ExtractRule =
  | string
  | {
      from: 'body' | 'header' | 'status';
      /** JSONPath, for from: body. */
      path?: string;
      /** Header name, for from: header. */
      header?: string;
      /** Applied to the body text (from: body without path) or to the header value; capture group 1 (or `group`) is taken. */
      regex?: string;
      group?: number;
    };

export const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const;
export type JsonType = (typeof JSON_TYPES)[number];

/** Every key is one assertion on the selected value; several keys all must hold. */
export interface ValueAssertion {
  equals?: unknown;
  exists?: boolean;
  type?: JsonType;
  /** A regular expression (JS syntax) the value (as string) must match. */
  matches?: string;
  /** Exact length, or bounds, of an array or string. */
  length?: number | { min?: number; max?: number };
  /** Array contains the element, or string contains the substring. */
  contains?: unknown;
  oneOf?: unknown[];
}

export interface Expect {
  status?: number | number[];
  /** JSONPath -> assertion. */
  body?: Record<string, ValueAssertion>;
  /** Header name (case-insensitive) -> exact string, or an assertion. */
  headers?: Record<string, string | ValueAssertion>;
  /** The step (request to full body) must finish within this many ms. */
  maxMs?: number;
  /** Inline JSON Schema for the whole JSON body. */
  schema?: Record<string, unknown>;
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  /** Base backoff; jitter is added. Default 200. */
  backoffMs?: number;
}

export interface Step {
  id: string;
  description?: string;
  method: string;
  path: string;
  params?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  body?: unknown;
  extract?: Record<string, ExtractRule>;
  expect?: Expect;
  /** abort (default): skip the rest of the chain (Cleanup still runs). */
  onFail?: 'abort' | 'continue';
  /** Run another spec's chain first (path relative to this file) and import its extracted variables. */
  use?: string;
  retry?: number | RetryPolicy;
  timeoutMs?: number;
  /** Token type for this step, or "none" to send no credentials. */
  token?: string;
  /** Follow redirects (off by default); cross-origin hops drop credentials. */
  followRedirects?: boolean;
}

export interface TemplateRef {
  /** Variable name without braces, e.g. "client_id" or "$uuid". */
  name: string;
  /** Where the `{{name}}` text starts in the .md file. */
  span: Span;
  /** Dotted location inside the step, e.g. "path", "params.business_id", "body.user.id". */
  at: string;
}

/** A step as parsed: the data plus where each part came from. */
export interface ParsedStep {
  step: Step;
  phase: Phase;
  /** Position of the step's list item (its `- ` or first key). */
  span: Span;
  /** Span of each key and value by dotted path: "id", "path", "extract.client_id", "expect.status". */
  keySpans: Record<string, Span>;
  /** Span of each value by the same dotted path (where a diagnostic about the value points). */
  valueSpans?: Record<string, Span>;
  templates: TemplateRef[];
  /** Index of the fenced block in the file (0-based), for messages. */
  block: number;
}

export interface StepBlock {
  phase: Phase;
  /** 1-based line of the opening ``` fence. */
  fenceLine: number;
  /** The block's text (without the fences). */
  text: string;
  /** Offset of the block text inside the whole file text. */
  offset: number;
}

export interface SpecDocument {
  file: string;
  /** The decoded text (BOM stripped for parsing; write-back works on bytes). */
  text: string;
  frontMatter: FrontMatter;
  /** Span of each front-matter key (value position under "<key>.value"). */
  frontMatterSpans: Record<string, Span>;
  steps: ParsedStep[];
  blocks: StepBlock[];
  /** Parsed endpoint, when `endpoint` is well-formed. */
  endpoint?: { method: string; path: string };
}

export interface ParseResult {
  doc: SpecDocument;
  diagnostics: Diagnostic[];
}
