import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChainContext, ChainResult } from '../../src/run/chain/run-chain.js';
import type { RunEvent } from '../../src/result/result.js';
import { runSpecs } from '../../src/run/scheduler/run-specs.js';
import type { LoadedSpec } from '../../src/specfile/parse.js';
import { chainResult, fakeSpec, ROOT, runOptions, stepResult } from './scheduler-fakes.js';

type Chain = (spec: LoadedSpec, ctx: ChainContext) => Promise<ChainResult>;

async function* stream(specs: LoadedSpec[], pulled: string[] = []): AsyncGenerator<LoadedSpec> {
  for (const s of specs) {
    pulled.push(s.file);
    yield s;
  }
}

const options = runOptions;

const withSteps = (verdict: ChainResult['verdict']): ChainResult =>
  chainResult(verdict, {
    steps: [
      stepResult('list', { status: 200, responseSnippet: '{"data":[1]}', requestHeaders: { Accept: 'application/json' }, extracted: { id: '1' } }),
      stepResult('get', verdict === 'verified' ? { status: 200, responseSnippet: '{"id":1}' } : { outcome: 'failed', status: 500, responseSnippet: '{"error":"boom"}' }),
    ],
  });

describe('runSpecs: a stream of specs', () => {
  it('gives the same results, in order, as the same specs in an array', async () => {
    const names = ['a.md', 'b.md', 'c.md', 'd.md', 'e.md'];
    const chain: Chain = async (spec) => chainResult(spec.file.endsWith('c.md') ? 'failing' : 'verified');
    const fromArray = await runSpecs(options(names.map((n) => fakeSpec(n)), chain, { concurrency: 2 }).opts);
    const events: RunEvent[] = [];
    const paths = new Set(names.map((n) => path.join(ROOT, n)));
    const fromStream = await runSpecs(
      options(stream(names.map((n) => fakeSpec(n))), chain, { concurrency: 2, streamPaths: paths, onEvent: (e) => events.push(e) }).opts,
    );
    expect(fromStream.specs.map((s) => [s.file, s.verdict])).toEqual(fromArray.specs.map((s) => [s.file, s.verdict]));
    expect(fromStream.summary).toEqual({ ...fromArray.summary, durationMs: fromStream.summary.durationMs });
    expect(events[0]).toEqual({ type: 'run-start', total: 5 });
  });

  it('pulls specs only as workers free up (concurrency 1: one spec ahead at most)', async () => {
    const pulled: string[] = [];
    const seenWhenRunning: number[] = [];
    const specs = ['a.md', 'b.md', 'c.md'].map((n) => fakeSpec(n));
    await runSpecs(
      options(stream(specs, pulled), async () => {
        seenWhenRunning.push(pulled.length);
        return chainResult('verified');
      }, { concurrency: 1 }).opts,
    );
    expect(seenWhenRunning).toEqual([1, 2, 3]);
  });

  it('a spec used before its turn runs once; its step events come between its own start and end', async () => {
    const user = fakeSpec('a.md', {}, [{ use: 'b.md' }]);
    const used = fakeSpec('b.md');
    const runs: string[] = [];
    const events: RunEvent[] = [];
    const chain: Chain = async (spec, ctx) => {
      runs.push(spec.file);
      for (const { step } of spec.doc.steps) {
        if (!step.use) continue;
        const r = await ctx.runUse(path.resolve(path.dirname(spec.absPath), step.use));
        if (!r.ok) return chainResult('blocked', { reason: r.reason });
      }
      ctx.onStep?.(stepResult(`step-of-${path.basename(spec.file)}`));
      return chainResult('verified', { vars: { id: '7' } });
    };
    const { opts, fakes } = options(stream([user, used]), chain, {
      concurrency: 1,
      streamPaths: new Set([user.absPath, used.absPath]),
      // The stream does not keep specs for `use:`: the used one is read by the run itself.
      loadSpec: async (abs) => (abs === used.absPath ? used : Promise.reject(new Error('ENOENT'))),
      write: { roots: [ROOT] },
      onEvent: (e) => events.push(e),
    });
    const result = await runSpecs(opts);
    expect(runs).toEqual(['specs/a.md', 'specs/b.md']);
    expect(result.specs.map((s) => s.verdict)).toEqual(['verified', 'verified']);
    const order = events.filter((e) => e.type !== 'run-start' && e.type !== 'run-end').map((e) => (e.type === 'step-end' ? `step ${e.file} ${e.step.id}` : `${e.type} ${e.type === 'spec-end' ? e.result.file : e.file}`));
    expect(order).toEqual([
      'spec-start specs/a.md',
      'step specs/a.md step-of-a.md',
      'spec-end specs/a.md',
      'spec-start specs/b.md',
      'step specs/b.md step-of-b.md',
      'spec-end specs/b.md',
    ]);
    // b.md: its own run (+1) and a's use of it (+1).
    expect(fakes.writes.map((w) => [path.relative(ROOT, w.file), w.changes.timesReusedDelta])).toEqual([
      ['a.md', 1],
      ['b.md', 1],
      ['b.md', 1],
    ]);
  });

  it('a settled spec still answers a later use with its variables', async () => {
    const first = fakeSpec('a.md');
    const later = fakeSpec('z.md', {}, [{ use: 'a.md' }]);
    const got: unknown[] = [];
    const chain: Chain = async (spec, ctx) => {
      for (const { step } of spec.doc.steps) {
        if (!step.use) continue;
        const r = await ctx.runUse(path.resolve(path.dirname(spec.absPath), step.use));
        got.push(r.ok ? r.vars : r.reason);
      }
      return chainResult('verified', { vars: { token_id: 'abc' }, steps: [stepResult('s', { responseSnippet: 'x' })] });
    };
    const { opts } = options(stream([first, later]), chain, { concurrency: 1, streamPaths: new Set([first.absPath, later.absPath]) });
    const result = await runSpecs(opts);
    expect(got).toEqual([{ token_id: 'abc' }]);
    expect(result.specs.map((s) => s.verdict)).toEqual(['verified', 'verified']);
  });
});

describe('runSpecs: retain', () => {
  it('failures: a verified spec keeps one line per step, a failing one keeps everything', async () => {
    const specs = [fakeSpec('ok.md'), fakeSpec('bad.md')];
    const ends: RunEvent[] = [];
    const { opts } = options(specs, async (spec) => withSteps(spec.file.endsWith('ok.md') ? 'verified' : 'failing'), {
      retain: 'failures',
      onEvent: (e) => e.type === 'spec-end' && ends.push(structuredClone(e)),
    });
    const result = await runSpecs(opts);
    const [ok, bad] = result.specs;
    expect(ok!.steps.map((s) => [s.id, s.status, s.responseSnippet, s.requestHeaders, s.extracted])).toEqual([
      ['list', 200, undefined, undefined, {}],
      ['get', 200, undefined, undefined, {}],
    ]);
    expect(bad!.steps[0]!.responseSnippet).toBe('{"data":[1]}');
    expect(bad!.steps[1]!.responseSnippet).toBe('{"error":"boom"}');
    // Reporters listening to events saw the whole verified spec before it was cut.
    const seen = ends[0]!.type === 'spec-end' ? ends[0]!.result : undefined;
    expect(seen?.steps[0]!.responseSnippet).toBe('{"data":[1]}');
  });

  it('failures: the chain is told to skip snippets of passed steps; all (the default) is not', async () => {
    const told: (boolean | undefined)[] = [];
    for (const retain of ['failures', 'all'] as const) {
      const { opts } = options([fakeSpec('ok.md')], async (_spec, ctx) => {
        told.push(ctx.passedSnippets);
        return withSteps('verified');
      }, { retain });
      await runSpecs(opts);
    }
    expect(told).toEqual([false, undefined]);
  });

  it('counts: quiet verified specs leave the result once out, everything a reporter shows after the run stays, the summary counts all', async () => {
    const specs = ['quiet.md', 'bad.md', 'finding.md', 'unwritten.md', 'quiet2.md'].map((n) => fakeSpec(n));
    const ends: string[] = [];
    const { opts, fakes } = options(
      stream(specs),
      async (spec) => {
        if (spec.file.endsWith('bad.md')) return withSteps('failing');
        const r = withSteps('verified');
        if (spec.file.endsWith('finding.md')) r.findings = [{ stepId: 'get', severity: 'warning', aspect: 'status', documented: '200', actual: '201' } as never];
        return r;
      },
      {
        retain: 'counts',
        streamPaths: new Set(specs.map((s) => s.absPath)),
        write: { roots: [ROOT] },
        onEvent: (e) => e.type === 'spec-end' && ends.push(e.result.file),
      },
    );
    fakes.deps.writeBack = async (req) => (req.file.endsWith('unwritten.md') ? { outcome: 'conflict', message: 'changed during the run, not updated' } : { outcome: 'written' });
    const result = await runSpecs(opts);
    expect(ends).toEqual(specs.map((s) => s.file));
    expect(result.specs.map((s) => s.file)).toEqual(['specs/bad.md', 'specs/finding.md', 'specs/unwritten.md']);
    expect(result.summary).toMatchObject({ total: 5, verified: 4, failing: 1 });
  });

  it('all (the default) keeps every step of every spec', async () => {
    const { opts } = options([fakeSpec('ok.md')], async () => withSteps('verified'));
    const result = await runSpecs(opts);
    expect(result.specs[0]!.steps[1]!.responseSnippet).toBe('{"id":1}');
  });
});
