import type { ParsedStep } from '../../specfile/model.js';
import { planRequest, type RequestPlan } from '../chain/request.js';
import type { Token } from '../chain/token.js';
import type { ChainContext, HttpOutcome } from '../chain/types.js';
import type { Lookup } from '../template.js';

/**
 * Sends a request plan; when the API answers 401 to a token a provider
 * fetched, asks the provider for a fresh one (one refetch shared by every
 * caller that saw the same rejected token) and sends the request once more.
 * A 401 means the request was refused before it was processed (RFC 9110
 * §15.5.2), so resending a POST does not repeat its effect. A second 401 is
 * the answer the step is judged on. A failed refetch is the step's error.
 */
export async function sendWithTokenRefresh(
  built: RequestPlan,
  c: { parsed: ParsedStep; ctx: ChainContext; lookup: Lookup; token: Token | undefined },
): Promise<{ sent: HttpOutcome; built: RequestPlan; token: Token | undefined }> {
  const { ctx, token } = c;
  const sent = await ctx.http.request(built.request);
  if (!sent.ok || sent.response.status !== 401 || !token?.provider || !ctx.tokens) return { sent, built, token };
  const fresh = await ctx.tokens.refresh(ctx.api, token.type, token.value, token.auth);
  if ('error' in fresh) return { sent: { ok: false, error: fresh.error, attempts: sent.attempts, durationMs: sent.durationMs }, built, token };
  const next: Token = { ...token, value: fresh.value, provider: fresh.provider };
  const rebuilt = planRequest(c.parsed, ctx, c.lookup, next);
  if ('error' in rebuilt) return { sent, built, token };
  const again = await ctx.http.request(rebuilt.request);
  return { sent: { ...again, attempts: again.attempts + sent.attempts, durationMs: again.durationMs + sent.durationMs }, built: rebuilt, token: next };
}
