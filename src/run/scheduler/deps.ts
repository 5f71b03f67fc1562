import type { Dispatcher } from 'undici';
import type { ApiConfig, AuthConfig, Environment } from '../../config/types.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import type { FrontMatter, SpecStatus } from '../../specfile/model.js';
import type { ChainContext, ChainResult } from '../chain/run-chain.js';
import type { WriteBackResult } from '../result.js';

/**
 * The scheduler's collaborators, gathered in one object so tests can swap any
 * of them for a small fake. The real ones are loaded on first use.
 */

export type HttpClient = ChainContext['http'];
export type Redactor = ChainContext['redact'];

export interface HttpClientOptions {
  dispatcher?: Dispatcher;
  perHostConnections?: number;
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  maxWaitMs?: number;
  ratePerHost?: number;
}

export interface WriteBackRequest {
  file: string;
  originalBytes: Buffer;
  roots: string[];
  changes: { status?: SpecStatus; verifiedAt?: string; timesReusedDelta?: number; useFallbackApi?: boolean };
  /** Owned tables (--update-docs): applied to the text under the lock, in the same write. */
  editText?: (text: string) => { text: string } | { error: string };
}

export interface SchedulerDeps {
  runChain(spec: LoadedSpec, ctx: ChainContext): Promise<ChainResult>;
  apiForSpec(environment: Environment, absFile: string, frontMatter: FrontMatter): ApiConfig | Diagnostic;
  resolveToken(api: ApiConfig, type: string, env: Record<string, string | undefined>): { value?: string; tried: string[]; auth: AuthConfig };
  /** The secret values a token brings (the token; for Basic, also the password); the redactor finds their forms. */
  tokenSecrets(value: string, auth?: AuthConfig): readonly string[];
  createHttpClient(opts: HttpClientOptions): HttpClient;
  createRedactor(secrets?: string[]): Redactor;
  writeBack(opts: WriteBackRequest): Promise<WriteBackResult>;
}

export async function realDeps(): Promise<SchedulerDeps> {
  const [chain, http, redact, api, tokens] = await Promise.all([
    import('../chain/run-chain.js'),
    import('../http/client.js'),
    import('../redact.js'),
    import('../../config/api-for-spec.js'),
    import('../../config/tokens.js'),
  ]);
  return {
    runChain: chain.runChain,
    apiForSpec: api.apiForSpec,
    resolveToken: tokens.resolveToken,
    tokenSecrets: tokens.tokenSecrets,
    createHttpClient: http.createHttpClient,
    createRedactor: redact.createRedactor,
    // Loaded on the first write: a --no-write run never loads the write-back code.
    writeBack: async (o) => (await import('../../specfile/write-back.js')).writeBack(o),
  };
}

export async function resolveDeps(partial: Partial<SchedulerDeps> | undefined): Promise<SchedulerDeps> {
  const given = partial ?? {};
  const complete =
    given.runChain && given.apiForSpec && given.resolveToken && given.tokenSecrets && given.createHttpClient && given.createRedactor && given.writeBack;
  if (complete) return given as SchedulerDeps;
  return { ...(await realDeps()), ...given };
}
