import type { Finding } from '../result/result.js';

/**
 * What the runner hands the OpenAPI conformance checker after each step, and
 * what it gets back. The checker never does HTTP; it compares what came back
 * with what the spec's `swagger` document says.
 */
export interface ConformanceInput {
  /** Display path of the spec file. */
  specFile: string;
  specAbsPath: string;
  /** The front-matter `swagger` value as written (relative to the spec file). */
  swagger: string;
  stepId: string;
  method: string;
  /** step.path as written, e.g. /platform/v1/clients/{{client_id}}/conversations */
  pathTemplate: string;
  /** The path sent, without the gateway base and query string. */
  path: string;
  query: Record<string, string>;
  status: number;
  contentType?: string;
  /** Parsed JSON body, when the body was JSON. */
  body?: unknown;
  /** Redacted body text, for evidence excerpts. */
  bodyText?: string;
}

export interface ConformanceChecker {
  /** Never throws: a missing or broken document is one finding (aspect "operation"). */
  check(input: ConformanceInput): Promise<Finding[]>;
}
