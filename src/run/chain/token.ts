import { resolveToken } from '../../config/tokens.js';
import { addToken } from '../../secret/index.js';
import type { TokenProvider } from '../../config/token-provider.js';
import type { ApiConfig, AuthConfig } from '../../config/types.js';
import type { SpecDocument } from '../../specfile/model.js';
import type { ChainContext } from './types.js';
import type { StepError } from '../../result/result.js';
import type { TokenAnswer } from '../token/providers.js';

/**
 * Which token a step sends. Order: --token-matrix's forced type, the step's
 * own `token:`, then the first of the spec's `tokens` the environment has.
 * A spec that lists no token types sends the API's first configured token
 * that has a value, or nothing. Every chosen token is registered with the
 * redactor before the request exists, so nothing can print it.
 */

export interface Token {
  type: string;
  value: string;
  auth: AuthConfig;
  /** Set when a provider fetched the token: a 401 then gets one refetch and resend. */
  provider?: string;
}

/**
 * Where provider tokens (oauth2, login) come from: the run's `TokenProviders`, or `--dry-run`'s
 * stand-in that fetches nothing and names the provider a run would ask.
 */
export interface TokenFetcher {
  providerOf(api: ApiConfig, type: string): TokenProvider | undefined;
  get(api: ApiConfig, type: string, auth: AuthConfig): Promise<TokenAnswer>;
}

/** What choosing a token needs of the chain's context (the run and `--dry-run` both pass theirs). */
export type TokenContext = Pick<ChainContext, 'api' | 'env' | 'redact' | 'forceTokenType'> & { tokens?: TokenFetcher };

/** `token` undefined: send no credentials. */
export type TokenChoice = { token?: Token } | { error: StepError };

/** The token types a spec's front-matter `tokens:` lists, in order of preference (non-strings and blanks ignored). */
function listedTokenTypes(fmTokens: unknown): string[] {
  return Array.isArray(fmTokens) ? fmTokens.filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [];
}

/**
 * Every token type a spec may send with this API: configured for the API, listed in the
 * front-matter, or named by a step (`token: none` is no type). The scheduler registers each one's
 * value with the redactor before the spec sends anything.
 */
export function tokenTypesOf(doc: Pick<SpecDocument, 'frontMatter' | 'steps'>, api: ApiConfig): Set<string> {
  const types = new Set([...Object.keys(api.tokens), ...listedTokenTypes(doc.frontMatter.tokens)]);
  for (const s of doc.steps) if (typeof s.step.token === 'string' && s.step.token !== 'none') types.add(s.step.token);
  return types;
}

/** The first of `types` with a value; an error naming every variable tried when `required` and none has one. */
export async function pickToken(ctx: TokenContext, types: readonly string[], required: boolean): Promise<TokenChoice> {
  const tried: string[] = [];
  for (const type of types) {
    const provided = await providedToken(ctx, type, required);
    if (provided === 'skip') continue;
    if (provided) return provided;
    const r = resolveToken(ctx.api, type, ctx.env);
    // resolveToken already treats an empty value as missing; checked again so "Bearer " can never be built.
    if (r.value !== undefined && r.value.trim() !== '') {
      addToken(ctx.redact, r.value, r.auth);
      return { token: { type, value: r.value, auth: r.auth } };
    }
    tried.push(...r.tried);
  }
  if (!required) return {};
  const vars = [...new Set(tried)];
  return {
    error: {
      code: 'token',
      message: `no ${types.join(' or ')} token: set ${vars.join(' or ')} (nothing was sent)`,
    },
  };
}

/**
 * A type with a provider (oauth2, login) is fetched, never read from a
 * variable. Not required (a spec that lists no types): provider types are
 * skipped, so a spec that names no token type never starts a fetch or a login.
 */
async function providedToken(ctx: TokenContext, type: string, required: boolean): Promise<TokenChoice | 'skip' | undefined> {
  const provider = ctx.tokens?.providerOf(ctx.api, type) ?? ctx.api.tokens[type.toLowerCase()]?.provider;
  if (!provider) return undefined;
  if (!required) return 'skip';
  if (!ctx.tokens) return { error: { code: 'token', message: `token type "${type}" is fetched by a provider, which cannot run here (nothing was sent)` } };
  const auth = resolveToken(ctx.api, type, {}).auth;
  const got = await ctx.tokens.get(ctx.api, type, auth);
  if ('error' in got) return { error: got.error };
  return { token: { type, value: got.value, auth, provider: got.provider } };
}

/** The spec-level choice, made once per chain. */
export async function specToken(ctx: TokenContext, fmTokens: unknown): Promise<TokenChoice> {
  if (ctx.forceTokenType) return pickToken(ctx, [ctx.forceTokenType], true);
  const listed = listedTokenTypes(fmTokens);
  if (listed.length > 0) return pickToken(ctx, listed, true);
  return pickToken(ctx, Object.keys(ctx.api.tokens), false);
}

/** The choice for one step, given the spec-level one. */
export async function stepToken(ctx: TokenContext, stepTokenType: string | undefined, spec: TokenChoice): Promise<TokenChoice> {
  // "none" marks an anonymous request (a login, a public endpoint), even in a token matrix.
  if (stepTokenType === 'none') return {};
  if (ctx.forceTokenType || !stepTokenType) return spec;
  return pickToken(ctx, [stepTokenType], true);
}
