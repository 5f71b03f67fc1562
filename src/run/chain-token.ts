import { resolveToken, tokenSecrets } from '../config/tokens.js';
import type { AuthConfig } from '../config/types.js';
import type { ChainContext } from './chain-types.js';
import type { StepError } from './result.js';

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
}

/** What choosing a token needs of the chain's context (the run and `--dry-run` both pass theirs). */
export type TokenContext = Pick<ChainContext, 'api' | 'env' | 'redact' | 'forceTokenType'>;

/** `token` undefined: send no credentials. */
export type TokenChoice = { token?: Token } | { error: StepError };

export function tokenTypesOf(fmTokens: unknown): string[] {
  return Array.isArray(fmTokens) ? fmTokens.filter((t): t is string => typeof t === 'string' && t.trim() !== '') : [];
}

/** The first of `types` with a value; an error naming every variable tried when `required` and none has one. */
export function pickToken(ctx: TokenContext, types: readonly string[], required: boolean): TokenChoice {
  const tried: string[] = [];
  for (const type of types) {
    const r = resolveToken(ctx.api, type, ctx.env);
    // resolveToken already treats an empty value as missing; checked again so "Bearer " can never be built.
    if (r.value !== undefined && r.value.trim() !== '') {
      for (const secret of tokenSecrets(r.value, r.auth)) ctx.redact.add(secret);
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

/** The spec-level choice, made once per chain. */
export function specToken(ctx: TokenContext, fmTokens: unknown): TokenChoice {
  if (ctx.forceTokenType) return pickToken(ctx, [ctx.forceTokenType], true);
  const listed = tokenTypesOf(fmTokens);
  if (listed.length > 0) return pickToken(ctx, listed, true);
  return pickToken(ctx, Object.keys(ctx.api.tokens), false);
}

/** The choice for one step, given the spec-level one. */
export function stepToken(ctx: TokenContext, stepTokenType: string | undefined, spec: TokenChoice): TokenChoice {
  // "none" marks an anonymous request (a login, a public endpoint), even in a token matrix.
  if (stepTokenType === 'none') return {};
  if (ctx.forceTokenType || !stepTokenType) return spec;
  return pickToken(ctx, [stepTokenType], true);
}
