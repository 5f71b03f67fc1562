import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineIndex, Span } from '../source/span.js';

/*
 * What both YAML readers (fast.ts and load.ts) take and give, in a module of
 * its own so that neither reader imports the other for a type.
 */

/** A string scalar and where its source is, for finding `{{templates}}`. */
export interface StringSite {
  /** Dotted path of the value, e.g. "steps.0.params.business_id". */
  at: string;
  value: string;
  /** Offsets in the file text of the scalar's source (quotes included). */
  start: number;
  end: number;
}

export interface Located {
  value: unknown;
  /** Dotted path -> span of the key through the end of its value ("" is the root). */
  keySpans: Map<string, Span>;
  /** Dotted path -> span of the value. */
  valueSpans: Map<string, Span>;
  strings: StringSite[];
}

export interface LoadContext {
  file: string;
  index: LineIndex;
  /** Offset of the YAML text inside the file text. */
  base: number;
  diagnostics: Diagnostic[];
  /** Always use the full reader (the differential test compares the two). */
  noFastPath?: boolean;
}
