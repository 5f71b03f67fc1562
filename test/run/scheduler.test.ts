import { createRedactor } from '../../src/secret/index.js';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChainContext, ChainResult } from '../../src/run/chain/run-chain.js';
import type { RunEvent } from '../../src/result/result.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import type { LoadedSpec } from '../../src/specfile/parse.js';
import { api, chainResult, deferred, environment, fakeSpec, ROOT, runOptions, stepResult, tick } from './scheduler-fakes.js';

type Chain = (spec: LoadedSpec, ctx: ChainContext) => Promise<ChainResult>;

const options = runOptions;

/** A chain that follows `use:` steps the way the real one does: a failed use blocks the spec. */
function usingChain(verdicts: Record<string, ChainResult['verdict']> = {}, runs: string[] = []): Chain {
  return async (spec, ctx) => {
    runs.push(spec.file);
    const vars: Record<string, unknown> = {};
    for (const { step } of spec.doc.steps) {
      if (!step.use) continue;
      const used = await ctx.runUse(path.resolve(path.dirname(spec.absPath), step.use));
      if (!used.ok) return chainResult('blocked', { reason: `use ${step.use} failed: ${used.reason}` });
      Object.assign(vars, used.vars);
    }
    const name = path.basename(spec.absPath);
    return chainResult(verdicts[name] ?? 'verified', { vars: { ...vars, [`from_${name}`]: 'v' } });
  };
}

describe('runSpecs: order and concurrency', () => {
  it('reports results in input order whatever order the chains finish in', async () => {
    const specs = ['a.md', 'b.md', 'c.md', 'd.md'].map((n) => fakeSpec(n));
    const gates = new Map(specs.map((s) => [s.absPath, deferred()]));
    const events: RunEvent[] = [];
    const { opts } = options(
      specs,
      async (spec) => {
        await gates.get(spec.absPath)!.promise;
        return chainResult(spec.file.endsWith('c.md') ? 'failing' : 'verified');
      },
      { concurrency: 4, onEvent: (e) => events.push(e) },
    );
    const running = runSpecs(opts);
    for (const s of [...specs].reverse()) {
      await tick();
      gates.get(s.absPath)!.resolve();
    }
    const result = await running;
    expect(result.specs.map((s) => s.file)).toEqual(specs.map((s) => s.file));
    expect(result.specs.map((s) => s.verdict)).toEqual(['verified', 'verified', 'failing', 'verified']);
    const ends = events.flatMap((e) => (e.type === 'spec-end' ? [e.result.file] : []));
    expect(ends).toEqual(specs.map((s) => s.file).reverse());
    expect(result.summary).toMatchObject({ total: 4, verified: 3, failing: 1, blocked: 0, skipped: 0 });
  });

  it('opens one connection per host per spec in flight unless --per-host says otherwise', async () => {
    const asked: (number | undefined)[] = [];
    for (const extra of [{ concurrency: 16 }, { concurrency: 16, perHostConnections: 4 }, {}]) {
      const { opts, fakes } = options([fakeSpec('a.md')], async () => chainResult('verified'), extra);
      const real = fakes.deps.createHttpClient;
      fakes.deps.createHttpClient = (o) => {
        asked.push(o.perHostConnections);
        return real(o);
      };
      await runSpecs(opts);
    }
    expect(asked).toEqual([16, 4, 8]);
  });

  it('never has more chains in flight than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const specs = Array.from({ length: 12 }, (_, i) => fakeSpec(`s${i}.md`));
    const { opts } = options(
      specs,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        for (let i = 0; i < 3; i++) await tick();
        inFlight--;
        return chainResult('verified');
      },
      { concurrency: 3 },
    );
    const result = await runSpecs(opts);
    expect(result.summary.verified).toBe(12);
    expect(peak).toBe(3);
  });

  it('emits run-start, spec-start, step-end, spec-end and run-end in that order for a spec', async () => {
    const events: RunEvent[] = [];
    const { opts } = options(
      [fakeSpec('a.md')],
      async (_spec, ctx) => {
        ctx.onStep?.(stepResult('one'));
        return chainResult('verified', { steps: [stepResult('one')] });
      },
      { onEvent: (e) => events.push(e) },
    );
    await runSpecs(opts);
    expect(events.map((e) => e.type)).toEqual(['run-start', 'spec-start', 'step-end', 'spec-end', 'run-end']);
    expect(events[0]).toEqual({ type: 'run-start', total: 1 });
    expect(events[2]).toMatchObject({ type: 'step-end', file: 'specs/a.md', step: { id: 'one' } });
  });
});

describe('runSpecs: bail and interruption', () => {
  it('--bail stops scheduling after the first failing spec', async () => {
    const specs = ['a.md', 'b.md', 'c.md', 'd.md'].map((n) => fakeSpec(n));
    const ran: string[] = [];
    const { opts } = options(
      specs,
      async (spec) => {
        ran.push(spec.file);
        return chainResult(spec.file.endsWith('b.md') ? 'blocked' : 'verified');
      },
      { concurrency: 1, bail: true },
    );
    const result = await runSpecs(opts);
    expect(ran).toEqual(['specs/a.md', 'specs/b.md']);
    expect(result.specs.map((s) => [s.verdict, s.reason])).toEqual([
      ['verified', undefined],
      ['blocked', undefined],
      ['skipped', 'not run: --bail'],
      ['skipped', 'not run: --bail'],
    ]);
    expect(result.interrupted).toBe(false);
  });

  it('without --bail a failure does not stop the run', async () => {
    const specs = ['a.md', 'b.md', 'c.md'].map((n) => fakeSpec(n));
    const { opts } = options(specs, async (spec) => chainResult(spec.file.endsWith('a.md') ? 'failing' : 'verified'), { concurrency: 1 });
    const result = await runSpecs(opts);
    expect(result.specs.map((s) => s.verdict)).toEqual(['failing', 'verified', 'verified']);
  });

  it('an abort stops scheduling, lets the chain in flight see the signal, and finishes its write-back', async () => {
    const controller = new AbortController();
    const specs = ['a.md', 'b.md', 'c.md', 'd.md'].map((n) => fakeSpec(n));
    const writeGate = deferred();
    let sawAbort = false;
    const chain: Chain = async (spec, ctx) => {
      if (spec.file.endsWith('a.md')) return chainResult('verified');
      // b is in flight when Ctrl-C comes: it notices and stops.
      controller.abort();
      sawAbort = ctx.signal?.aborted === true;
      return chainResult('failing', { steps: [stepResult('x', { outcome: 'failed', error: { code: 'interrupted', message: 'interrupted' } })] });
    };
    const { opts, fakes } = options(specs, chain, { concurrency: 1, signal: controller.signal, write: { roots: [ROOT] } });
    let writesFinished = 0;
    fakes.deps.writeBack = async (req) => {
      fakes.writes.push(req);
      await writeGate.promise;
      writesFinished++;
      return { outcome: 'written' };
    };
    setTimeout(() => writeGate.resolve(), 5);
    const result = await runSpecs(opts);
    expect(sawAbort).toBe(true);
    expect(result.interrupted).toBe(true);
    expect(result.specs.map((s) => [s.verdict, s.reason])).toEqual([
      ['verified', undefined],
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted'],
      ['skipped', 'interrupted'],
    ]);
    // a's write-back was awaited; the interrupted b was not stamped with a verdict.
    expect(fakes.writes.map((w) => w.file)).toEqual([specs[0]!.absPath]);
    expect(writesFinished).toBe(1);
    expect(result.specs[0]!.writeBack).toEqual({ outcome: 'written' });
    expect(result.specs[1]!.writeBack).toBeUndefined();
  });

  it('an abort before the run starts runs nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    let runs = 0;
    const { opts } = options([fakeSpec('a.md'), fakeSpec('b.md')], async () => (runs++, chainResult('verified')), { signal: controller.signal });
    const result = await runSpecs(opts);
    expect(runs).toBe(0);
    expect(result.interrupted).toBe(true);
    expect(result.summary.skipped).toBe(2);
  });
});

describe('runSpecs: gateways', () => {
  // The seed's case: the primary answers 422, the fallback works.
  const seedLike: Chain = async (_spec, ctx) =>
    ctx.gateway === 'fallback' ? chainResult('verified') : chainResult('failing', { reason: 'get_conversations: status 422' });

  it('--fallback spec (default) sends a useFallbackApi spec to the fallback and others to the primary', async () => {
    const gateways: string[] = [];
    const specs = [fakeSpec('fb.md', { useFallbackApi: true }), fakeSpec('plain.md')];
    const { opts } = options(specs, async (spec, ctx) => (gateways.push(`${spec.file}:${ctx.gateway}`), seedLike(spec, ctx)), { concurrency: 1 });
    const result = await runSpecs(opts);
    expect(gateways).toEqual(['specs/fb.md:fallback', 'specs/plain.md:primary']);
    expect(result.specs.map((s) => [s.verdict, s.gateway])).toEqual([
      ['verified', 'fallback'],
      ['failing', 'primary'],
    ]);
    expect(result.specs[0]!.gatewayAttempts).toBeUndefined();
  });

  it('--fallback never ignores useFallbackApi', async () => {
    const { opts } = options([fakeSpec('fb.md', { useFallbackApi: true })], seedLike, { fallback: 'never' });
    const result = await runSpecs(opts);
    expect(result.specs[0]).toMatchObject({ verdict: 'failing', gateway: 'primary', reason: 'get_conversations: status 422' });
  });

  it('--fallback auto retries on the fallback, verifies via it and writes useFallbackApi back', async () => {
    const { opts, fakes } = options([fakeSpec('conv.md')], seedLike, { fallback: 'auto', write: { roots: [ROOT] } });
    const result = await runSpecs(opts);
    const spec = result.specs[0]!;
    expect(spec).toMatchObject({ verdict: 'verified', gateway: 'fallback' });
    expect(spec.reason).toContain('verified via the fallback gateway');
    expect(spec.gatewayAttempts).toEqual([
      { gateway: 'primary', verdict: 'failing', reason: 'get_conversations: status 422' },
      { gateway: 'fallback', verdict: 'verified' },
    ]);
    expect(fakes.writes).toHaveLength(1);
    expect(fakes.writes[0]!.changes).toEqual({
      status: 'verified',
      verifiedAt: '2026-03-01T10:00:00.000Z',
      timesReusedDelta: 1,
      useFallbackApi: true,
    });
  });

  it('--fallback auto does not retry when the primary verifies, and reports the primary when both fail', async () => {
    const calls: string[] = [];
    const chain: Chain = async (spec, ctx) => {
      calls.push(`${spec.file}:${ctx.gateway}`);
      return spec.file.endsWith('ok.md') ? chainResult('verified') : chainResult('failing', { reason: `status 500 on ${ctx.gateway}` });
    };
    const { opts, fakes } = options([fakeSpec('ok.md'), fakeSpec('bad.md')], chain, { fallback: 'auto', concurrency: 1, write: { roots: [ROOT] } });
    const result = await runSpecs(opts);
    expect(calls).toEqual(['specs/ok.md:primary', 'specs/bad.md:primary', 'specs/bad.md:fallback']);
    expect(result.specs[0]!.gatewayAttempts).toEqual([{ gateway: 'primary', verdict: 'verified' }]);
    expect(result.specs[1]).toMatchObject({ verdict: 'failing', gateway: 'primary' });
    expect(result.specs[1]!.reason).toBe('status 500 on primary; fallback gateway: failing (status 500 on fallback)');
    expect(fakes.writes.map((w) => w.changes.useFallbackApi)).toEqual([undefined, undefined]);
  });

  it('--fallback auto has nothing to retry on when the API has no fallback', async () => {
    const fakesEnv = environment([api({ fallbackUrl: undefined })]);
    let calls = 0;
    const { opts } = options([fakeSpec('conv.md')], async (s, c) => (calls++, seedLike(s, c)), { fallback: 'auto', environment: fakesEnv });
    const result = await runSpecs(opts);
    expect(calls).toBe(1);
    expect(result.specs[0]!.verdict).toBe('failing');
  });

  it('useFallbackApi without a configured fallback is a config error, not a verdict', async () => {
    const { opts, fakes } = options([fakeSpec('fb.md', { useFallbackApi: true })], seedLike, {
      environment: environment([api({ fallbackUrl: undefined })]),
      write: { roots: [ROOT] },
    });
    const result = await runSpecs(opts);
    expect(result.specs[0]!.verdict).toBe('invalid');
    expect(result.specs[0]!.reason).toMatch(/^config: .*useFallbackApi: true.*no fallbackUrl/);
    expect(result.specs[0]!.diagnostics).toMatchObject([{ code: 'config-no-fallback', severity: 'error' }]);
    expect(result.specs[0]!.diagnostics![0]!.hint).toMatch(/fallbackUrl/);
    expect(fakes.writes).toHaveLength(0);
  });

  it('a spec whose API cannot be found is invalid with the config diagnostic, and the rest runs', async () => {
    const { opts } = options([fakeSpec('a.md', { api: 'nope' }), fakeSpec('b.md')], async () => chainResult('verified'));
    const result = await runSpecs(opts);
    expect(result.specs[0]).toMatchObject({ verdict: 'invalid', api: 'nope', reason: 'config: no API named "nope" in environment "test"' });
    expect(result.specs[0]!.diagnostics?.[0]?.message).toBe('no API named "nope" in environment "test"');
    expect(result.summary).toMatchObject({ invalid: 1, verified: 1, skipped: 0 });
    expect(result.specs[1]!.verdict).toBe('verified');
  });
});

describe('runSpecs: token matrix', () => {
  it('runs each configured type once, reuses the normal run for the first, and lists missing ones', async () => {
    const forced: (string | undefined)[] = [];
    const chain: Chain = async (_spec, ctx) => {
      forced.push(ctx.forceTokenType);
      const type = ctx.forceTokenType ?? 'staff';
      return type === 'directory' ? chainResult('failing', { tokenType: type, reason: 'status 403' }) : chainResult('verified', { tokenType: type });
    };
    const spec = fakeSpec('conv.md', { tokens: ['staff', 'app', 'directory'] });
    const { opts } = options([spec], chain, {
      tokenMatrix: true,
      env: { VERIFY_TOKEN_STAFF: 'staff-secret', VERIFY_TOKEN_DIRECTORY: 'dir-secret' },
    });
    const result = await runSpecs(opts);
    expect(forced).toEqual([undefined, 'directory']);
    expect(result.specs[0]!.verdict).toBe('verified');
    expect(result.specs[0]!.tokenType).toBe('staff');
    expect(result.specs[0]!.tokenMatrix).toEqual([
      { tokenType: 'staff', verdict: 'verified' },
      { tokenType: 'app', verdict: 'unavailable', reason: 'no token: set VERIFY_TOKEN_APP' },
      { tokenType: 'directory', verdict: 'failing', reason: 'status 403' },
    ]);
  });

  it('without --token-matrix there is no table', async () => {
    const { opts } = options([fakeSpec('conv.md', { tokens: ['staff'] })], async () => chainResult('verified'), {
      env: { VERIFY_TOKEN_STAFF: 't' },
    });
    expect((await runSpecs(opts)).specs[0]!.tokenMatrix).toBeUndefined();
  });
});

describe('runSpecs: use', () => {
  const shared = fakeSpec('clients/list.md');
  const loader = (specs: LoadedSpec[]) => async (abs: string) => {
    const found = specs.find((s) => s.absPath === abs);
    if (!found) throw new Error(`ENOENT: ${abs}`);
    return found;
  };

  it('runs a used spec once when three specs use it, imports its vars, and counts each use', async () => {
    const users = ['a.md', 'b.md', 'c.md'].map((n) => fakeSpec(n, {}, [{ use: 'clients/list.md' }]));
    const runs: string[] = [];
    const seenVars: unknown[] = [];
    const base = usingChain({}, runs);
    const { opts, fakes } = options(
      users,
      async (spec, ctx) => {
        const r = await base(spec, ctx);
        if (spec !== shared) seenVars.push(r.vars['from_list.md']);
        return r;
      },
      { concurrency: 3, loadSpec: loader([shared]), write: { roots: [ROOT] } },
    );
    const result = await runSpecs(opts);
    expect(runs.filter((f) => f === shared.file)).toHaveLength(1);
    expect(result.summary.verified).toBe(3);
    expect(seenVars).toEqual(['v', 'v', 'v']);
    // Own runs (+1 each), then one write for the used file with all three uses.
    expect(fakes.writes.map((w) => [path.relative(ROOT, w.file), w.changes.timesReusedDelta])).toEqual([
      ['a.md', 1],
      ['b.md', 1],
      ['c.md', 1],
      ['clients/list.md', 3],
    ]);
    expect(fakes.writes[3]!.changes).toEqual({ timesReusedDelta: 3 });
    expect(result.reuseWrites).toEqual([{ file: shared.file, delta: 3, writeBack: { outcome: 'written' } }]);
  });

  it('a used spec that is also selected runs once, gets its own +1 and the uses at the end', async () => {
    const user = fakeSpec('a.md', {}, [{ use: 'clients/list.md' }]);
    const runs: string[] = [];
    const events: RunEvent[] = [];
    const { opts, fakes } = options([user, shared], usingChain({}, runs), {
      concurrency: 1,
      loadSpec: loader([]),
      write: { roots: [ROOT] },
      onEvent: (e) => events.push(e),
    });
    const result = await runSpecs(opts);
    expect(runs).toEqual(['specs/a.md', 'specs/clients/list.md']);
    expect(result.specs.map((s) => s.verdict)).toEqual(['verified', 'verified']);
    expect(fakes.writes.map((w) => [path.relative(ROOT, w.file), w.changes])).toEqual([
      ['a.md', { status: 'verified', verifiedAt: '2026-03-01T10:00:00.000Z', timesReusedDelta: 1 }],
      ['clients/list.md', { status: 'verified', verifiedAt: '2026-03-01T10:00:00.000Z', timesReusedDelta: 1 }],
      ['clients/list.md', { timesReusedDelta: 1 }],
    ]);
    expect(events.filter((e) => e.type === 'spec-start').map((e) => (e.type === 'spec-start' ? e.file : ''))).toEqual([
      'specs/a.md',
      'specs/clients/list.md',
    ]);
  });

  it('a failed used spec blocks every spec that uses it, naming why', async () => {
    const users = ['a.md', 'b.md'].map((n) => fakeSpec(n, {}, [{ use: 'clients/list.md' }]));
    const runs: string[] = [];
    const chain = usingChain({ 'list.md': 'failing' }, runs);
    const { opts, fakes } = options(
      users,
      async (spec, ctx) => (spec === shared ? chainResult('failing', { reason: 'get_clients: status 500' }) : chain(spec, ctx)),
      { loadSpec: loader([shared]), write: { roots: [ROOT] } },
    );
    const result = await runSpecs(opts);
    expect(result.specs.map((s) => s.verdict)).toEqual(['blocked', 'blocked']);
    expect(result.specs[0]!.reason).toBe('use clients/list.md failed: specs/clients/list.md is failing: get_clients: status 500');
    // It ran, so both uses still count.
    expect(fakes.writes.at(-1)!.changes).toEqual({ timesReusedDelta: 2 });
  });

  it('a use that cannot be loaded blocks the user and counts nothing', async () => {
    const user = fakeSpec('a.md', {}, [{ use: 'missing.md' }]);
    const { opts, fakes } = options([user], usingChain(), { loadSpec: loader([]), write: { roots: [ROOT] } });
    const result = await runSpecs(opts);
    expect(result.specs[0]!.verdict).toBe('blocked');
    expect(result.specs[0]!.reason).toContain('ENOENT');
    expect(fakes.writes).toHaveLength(1);
    expect(result.reuseWrites).toBeUndefined();
  });

  it('a used spec with parse errors blocks the user with the error and its line', async () => {
    const broken = fakeSpec('broken.md');
    broken.diagnostics.push({ code: 'yaml-syntax', severity: 'error', message: 'bad front-matter', span: { file: broken.file, line: 3, col: 1 } });
    const user = fakeSpec('a.md', {}, [{ use: 'broken.md' }]);
    const { opts } = options([user], usingChain(), { loadSpec: loader([broken]) });
    const result = await runSpecs(opts);
    expect(result.specs[0]!.reason).toContain('specs/broken.md has errors: specs/broken.md:3: bad front-matter');
  });

  it('a cycle between selected specs is an error naming the cycle, not a deadlock', async () => {
    const a = fakeSpec('a.md', {}, [{ use: 'b.md' }]);
    const b = fakeSpec('b.md', {}, [{ use: 'a.md' }]);
    const { opts } = options([a, b], usingChain(), { concurrency: 2, loadSpec: loader([]) });
    const result = await runSpecs(opts);
    expect(result.specs.map((s) => s.verdict)).toEqual(['blocked', 'blocked']);
    const reasons = result.specs.map((s) => s.reason ?? '').join('\n');
    expect(reasons).toMatch(/use cycle: specs\/(a|b)\.md -> specs\/(a|b)\.md -> specs\/(a|b)\.md/);
  });

  it('a cycle through specs that are only used is found too, and a spec using itself', async () => {
    const a = fakeSpec('a.md', {}, [{ use: 'x.md' }]);
    const x = fakeSpec('x.md', {}, [{ use: 'y.md' }]);
    const y = fakeSpec('y.md', {}, [{ use: 'x.md' }]);
    const self = fakeSpec('self.md', {}, [{ use: 'self.md' }]);
    const { opts } = options([a, self], usingChain(), { loadSpec: loader([x, y]) });
    const result = await runSpecs(opts);
    expect(result.specs[0]!.verdict).toBe('blocked');
    expect(result.specs[0]!.reason).toContain('use cycle: specs/y.md -> specs/x.md -> specs/y.md');
    expect(result.specs[1]!.reason).toContain('use cycle: specs/self.md -> specs/self.md');
  });
});

describe('runSpecs: write-back and secrets', () => {
  it('writes each verdict with verifiedAt only when verified, and attaches the result', async () => {
    const specs = [fakeSpec('ok.md'), fakeSpec('bad.md'), fakeSpec('blk.md')];
    const verdicts: Record<string, ChainResult['verdict']> = { 'ok.md': 'verified', 'bad.md': 'failing', 'blk.md': 'blocked' };
    const { opts, fakes } = options(specs, async (s) => chainResult(verdicts[path.basename(s.absPath)]!), {
      concurrency: 1,
      write: { roots: [ROOT] },
    });
    fakes.deps.writeBack = async (req) => {
      fakes.writes.push(req);
      return req.changes.status === 'blocked' ? { outcome: 'conflict', message: 'changed during the run, not updated' } : { outcome: 'written' };
    };
    const result = await runSpecs(opts);
    expect(fakes.writes.map((w) => w.changes)).toEqual([
      { status: 'verified', verifiedAt: '2026-03-01T10:00:00.000Z', timesReusedDelta: 1 },
      { status: 'failing', timesReusedDelta: 1 },
      { status: 'blocked', timesReusedDelta: 1 },
    ]);
    expect(fakes.writes.every((w, i) => w.originalBytes === specs[i]!.bytes && w.roots[0] === ROOT)).toBe(true);
    expect(result.specs.map((s) => s.writeBack?.outcome)).toEqual(['written', 'written', 'conflict']);
  });

  it('writes nothing without `write`', async () => {
    const { opts, fakes } = options([fakeSpec('a.md')], async () => chainResult('verified'));
    const result = await runSpecs(opts);
    expect(fakes.writes).toHaveLength(0);
    expect(result.specs[0]!.writeBack).toBeUndefined();
  });

  it('a chain that throws is reported error (nothing learned) and never written back', async () => {
    const { opts, fakes } = options([fakeSpec('a.md')], async () => {
      throw new Error('boom');
    }, { write: { roots: [ROOT] } });
    const result = await runSpecs(opts);
    expect(result.specs[0]).toMatchObject({ verdict: 'error', reason: 'internal error: boom' });
    expect(result.specs[0]!.writeBack?.outcome).toBe('skipped');
    expect(fakes.writes).toHaveLength(0);
  });

  it('copies front-matter facts into the result', async () => {
    const spec = fakeSpec('a.md', { domain: 'communication', tags: ['x', 'y'], status: 'failing', verifiedAt: '2026-02-04T08:30:00.000Z' });
    const { opts } = options([spec], async () => chainResult('verified', { tokenType: 'staff', durationMs: 42 }));
    const r = (await runSpecs(opts)).specs[0]!;
    expect(r).toMatchObject({
      file: 'specs/a.md',
      endpoint: 'GET /a.md',
      domain: 'communication',
      tags: ['x', 'y'],
      api: 'platform',
      gateway: 'primary',
      tokenType: 'staff',
      durationMs: 42,
      previousStatus: 'failing',
      previousVerifiedAt: '2026-02-04T08:30:00.000Z',
    });
  });

  it('one redactor knows every configured token before the first request, and the client is closed', async () => {
    const environmentWithTokens = environment([api({ tokens: { staff: { env: 'PLATFORM_STAFF' } } })]);
    const redactors = new Set<unknown>();
    const seen: string[] = [];
    const specs = [fakeSpec('a.md', { tokens: ['app'] }), fakeSpec('b.md')];
    const { opts, fakes } = options(
      specs,
      async (_s, ctx) => {
        redactors.add(ctx.redact);
        seen.push(ctx.redact('staff=s3cr3t app=app-tok url=a%2Fbc'));
        return chainResult('verified');
      },
      { environment: environmentWithTokens, env: { VERIFY_TOKEN_STAFF: 's3cr3t', VERIFY_TOKEN_APP: 'app-tok', VERIFY_TOKEN_X: 'a/bc' } },
    );
    // The real redactor: it finds the URL-encoded form of a token it was given raw.
    opts.deps = { ...opts.deps!, createRedactor };
    await runSpecs(opts);
    expect(redactors.size).toBe(1);
    expect(seen).toEqual(['staff=*** app=*** url=***', 'staff=*** app=*** url=***']);
    expect(fakes.httpClosed()).toBe(1);
  });
});
