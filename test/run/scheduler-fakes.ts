import path from 'node:path';
import type { ApiConfig, Environment } from '../../src/config/types.js';
import { diag } from '../../src/diagnostics/diagnostic.js';
import type { ChainContext, ChainResult } from '../../src/run/chain/run-chain.js';
import type { StepResult, Verdict, WriteBackResult } from '../../src/result/result.js';
import type { HttpClient, Redactor, SchedulerDeps, WriteBackRequest } from '../../src/run/scheduler/deps.js';
import type { RunOptions } from '../../src/run/scheduler/run-specs.js';
import type { FrontMatter, ParsedStep, Step } from '../../src/specfile/model.js';
import type { LoadedSpec } from '../../src/specfile/parse.js';
import { fail, ok } from '../../src/result/ok.js';

/** Small stand-ins for the scheduler's collaborators, so its own logic is tested alone. */

export const ROOT = path.resolve('/virtual/specs');

export function fakeSpec(name: string, frontMatter: FrontMatter = {}, steps: Partial<Step>[] = []): LoadedSpec {
  const absPath = path.join(ROOT, name);
  const file = `specs/${name}`;
  const parsed: ParsedStep[] = steps.map((s, i) => ({
    step: { id: `s${i}`, method: 'GET', path: '/x', ...s },
    phase: 'test',
    span: { file, line: 10 + i, col: 3 },
    keySpans: {},
    templates: [],
    block: 0,
  }));
  return {
    file,
    absPath,
    bytes: Buffer.from(`---\nendpoint: GET /${name}\n---\n`),
    diagnostics: [],
    doc: {
      file,
      text: '',
      frontMatter: { endpoint: `GET /${name}`, ...frontMatter },
      frontMatterSpans: {},
      steps: parsed,
      blocks: [],
    },
  } as LoadedSpec;
}

export function api(overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    name: 'platform',
    baseUrl: 'http://127.0.0.1:1/apigw',
    fallbackUrl: 'http://127.0.0.1:1/api2',
    auth: { header: 'Authorization', scheme: 'Bearer' },
    tokens: {},
    vars: {},
    ...overrides,
  };
}

export function environment(apis: ApiConfig[] = [api()]): Environment {
  return { name: 'test', sandbox: false, apis, vars: {} };
}

export function chainResult(verdict: Verdict, extra: Partial<ChainResult> = {}): ChainResult {
  return { verdict, steps: [], findings: [], vars: {}, durationMs: 1, ...extra };
}

export function stepResult(id: string, extra: Partial<StepResult> = {}): StepResult {
  return {
    id,
    phase: 'test',
    outcome: 'passed',
    span: { file: 'x', line: 1, col: 1 },
    method: 'GET',
    url: 'http://h/x',
    gateway: 'primary',
    durationMs: 1,
    attempts: 1,
    assertions: [],
    extracted: {},
    ...extra,
  };
}

export function fakeRedactor(): Redactor {
  const secrets = new Set<string>();
  const redact = ((s: string) => {
    let out = s;
    for (const x of secrets) out = out.split(x).join('***');
    return out;
  }) as unknown as Redactor & { add(s: string): void; value(v: unknown): unknown };
  redact.add = (s: string) => {
    if (s) secrets.add(s);
  };
  redact.value = (v: unknown) => (typeof v === 'string' ? redact(v) : v);
  return redact;
}

export interface Fakes {
  deps: SchedulerDeps;
  writes: WriteBackRequest[];
  httpClosed: () => number;
}

/** `chain` decides each run; everything else is a plain, predictable fake. */
export function fakeDeps(
  chain: (spec: LoadedSpec, ctx: ChainContext) => Promise<ChainResult>,
  opts: { writeBack?: (req: WriteBackRequest) => Promise<WriteBackResult> } = {},
): Fakes {
  const writes: WriteBackRequest[] = [];
  let closed = 0;
  const deps: SchedulerDeps = {
    runChain: chain,
    apiForSpec: (environment, _abs, fm) => {
      const wanted = typeof fm.api === 'string' ? fm.api : environment.apis[0]?.name;
      const found = environment.apis.find((a) => a.name === wanted);
      return found ? ok(found) : fail(diag('error', 'config-api', `no API named "${String(wanted)}" in environment "${environment.name}"`));
    },
    resolveToken: (a, type, env) => {
      const name = `VERIFY_TOKEN_${type.toUpperCase()}`;
      const value = env[name];
      return { ...(value ? { value } : {}), tried: [name], auth: a.auth };
    },
    createHttpClient: () => ({ close: async () => void closed++ }) as unknown as HttpClient,
    createRedactor: () => fakeRedactor(),
    writeBack: async (req) => {
      writes.push(req);
      return opts.writeBack ? opts.writeBack(req) : { outcome: 'written' };
    },
  };
  return { deps, writes, httpClosed: () => closed };
}

/** A promise with its resolve function outside, to finish chains in a chosen order. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Options for runSpecs with fake collaborators: no `use:` loads unless a test gives loadSpec. */
export function runOptions(
  specs: RunOptions['specs'],
  chain: (spec: LoadedSpec, ctx: ChainContext) => Promise<ChainResult>,
  extra: Partial<RunOptions> = {},
): { opts: RunOptions; fakes: Fakes } {
  const fakes = fakeDeps(chain);
  const opts: RunOptions = {
    specs,
    environment: environment(),
    env: {},
    loadSpec: async (abs) => {
      throw new Error(`unexpected load of ${abs}`);
    },
    deps: fakes.deps,
    now: () => new Date('2026-03-01T10:00:00.000Z'),
    ...extra,
  };
  return { opts, fakes };
}
