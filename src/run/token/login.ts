import { createDispatcher } from '../http/dispatcher.js';
import type { ChainContext } from '../chain/types.js';
import type { HttpClient, Redactor, SchedulerDeps } from '../scheduler/deps.js';
import type { LoadedSpec } from '../../specfile/parse.js';
import { TokenProviders, type RunLogin } from './providers.js';
import type { Dispatcher } from 'undici';

/** What the token providers and login specs read of the run's options (`RunOptions` has all of it). */
export type LoginRunOptions = Pick<ChainContext, 'environment' | 'env' | 'cliVars' | 'now' | 'signal'> & {
  dispatcher?: Dispatcher;
  requestTimeoutMs?: number;
  loadSpec(absPath: string): Promise<LoadedSpec>;
};

/**
 * The run's token providers: wired to the run's redactor, variables and
 * undici dispatcher (the injected one, else one of their own, closed with the
 * run), and able to run login specs through the run's own chain runner.
 */
export function createTokenProviders(c: { opts: LoginRunOptions; deps: SchedulerDeps; http: HttpClient; redact: Redactor }): { providers: TokenProviders; close(): Promise<void> } {
  const { opts } = c;
  const hasProvider = opts.environment.apis.some((a) => Object.values(a.tokens).some((t) => t.provider));
  let own: Dispatcher | undefined;
  const dispatcher = opts.dispatcher ?? (hasProvider ? (own = createDispatcher({ connections: 4, timeoutMs: opts.requestTimeoutMs ?? 30_000, env: opts.env })) : undefined);
  const providers = new TokenProviders(
    {
      redact: c.redact,
      env: opts.env,
      ...(dispatcher ? { dispatcher } : {}),
      runLogin: loginRunner(c),
      ...(opts.requestTimeoutMs ? { timeoutSec: Math.ceil(opts.requestTimeoutMs / 1000) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    opts.environment.apis,
  );
  return { providers, close: async () => own?.close() };
}

/**
 * A login spec runs as its own chain against the API that needs the token, on
 * its primary gateway, with no token providers (so a login can never wait on
 * itself) and no `use:`. Its verdict must be verified; its variables are the result.
 */
function loginRunner(c: { opts: LoginRunOptions; deps: SchedulerDeps; http: HttpClient; redact: Redactor }): RunLogin {
  return async (absPath, api) => {
    let spec;
    try {
      spec = await c.opts.loadSpec(absPath);
    } catch (err) {
      return { ok: false, reason: `cannot read ${absPath}: ${err instanceof Error ? err.message : String(err)}` };
    }
    const bad = spec.diagnostics.find((d) => d.severity === 'error');
    if (bad) return { ok: false, reason: `${spec.file} has errors: ${bad.span ? `${bad.span.file}:${bad.span.line}: ` : ''}${bad.message}` };
    const ctx: ChainContext = {
      api,
      environment: c.opts.environment,
      env: c.opts.env,
      gateway: 'primary',
      http: c.http,
      redact: c.redact,
      runUse: async () => ({ ok: false, reason: 'a login spec cannot use: other specs' }),
      ...(c.opts.cliVars ? { cliVars: c.opts.cliVars } : {}),
      ...(c.opts.now ? { now: c.opts.now } : {}),
      ...(c.opts.signal ? { signal: c.opts.signal } : {}),
    };
    const result = await c.deps.runChain(spec, ctx);
    if (result.verdict !== 'verified') return { ok: false, reason: `${spec.file} is ${result.verdict}${result.reason ? `: ${result.reason}` : ''}` };
    return { ok: true, vars: result.vars };
  };
}
