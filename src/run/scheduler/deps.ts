import type { Dispatcher } from 'undici';
import type { ApiConfig, AuthConfig, Environment } from '../../config/types.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import type { FrontMatter, SpecStatus } from '../../specfile/model.js';
import { runChain, type ChainContext, type ChainResult } from '../chain/run-chain.js';
import { createHttpClient, type HttpClientOptions } from '../http/client.js';
import { createRedactor } from '../../secret/index.js';
import { apiForSpec } from '../../config/api-for-spec.js';
import { resolveToken } from '../../config/tokens.js';
import { writeBack } from '../../specfile/write-back.js';
import type { WriteBackResult } from '../../result/result.js';
import type { Result } from '../../result/ok.js';

/**
 * The scheduler's collaborators, gathered in one object so tests can swap any
 * of them for a small fake.
 */

export type HttpClient = ChainContext['http'];
export type Redactor = ChainContext['redact'];

export interface WriteBackRequest {
  file: string;
  originalBytes: Buffer;
  roots: string[];
  changes: { status?: SpecStatus; verifiedAt?: string; timesReusedDelta?: number; useFallbackApi?: boolean };
  /** Owned tables (--update-docs): applied to the text under the lock, in the same write. */
  editText?: (text: string) => { text: string } | { error: string };
  /** Blanks owned tables' contents for the conflict check (a docs run gives it). */
  maskTables?: (text: string) => string;
}

export interface SchedulerDeps {
  runChain(spec: LoadedSpec, ctx: ChainContext): Promise<ChainResult>;
  apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): Result<ApiConfig, Diagnostic>;
  resolveToken(api: ApiConfig, type: string, env: Record<string, string | undefined>): { value?: string; tried: string[]; auth: AuthConfig };
  createHttpClient(opts: HttpClientOptions): HttpClient;
  createRedactor(secrets?: string[]): Redactor;
  writeBack(opts: WriteBackRequest): Promise<WriteBackResult>;
}

/** The real collaborators. */
export function realDeps(): SchedulerDeps {
  return { runChain, apiForSpec, resolveToken, createHttpClient, createRedactor, writeBack };
}

/** The real collaborators, with any the caller gives in their place. */
export async function resolveDeps(partial: Partial<SchedulerDeps> | undefined): Promise<SchedulerDeps> {
  return { ...realDeps(), ...partial };
}
