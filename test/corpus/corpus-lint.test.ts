import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiForSpec } from '../../src/config/api-for-spec.js';
import { loadConfig } from '../../src/config/load.js';
import { resolveEnvironment } from '../../src/config/resolve.js';
import type { Environment } from '../../src/config/types.js';
import { lintPaths, type LintedFile } from '../../src/specfile/lint-run.js';
import { readSpec, type LoadedSpec } from '../../src/specfile/parse.js';
import { maskOwnedValues } from '../../src/specfile/front-matter-edit.js';
import { adoptTables, maskOwnedTables } from '../../src/specfile/tables/index.js';

const exec = promisify(execFile);

/** A file as committed at HEAD; undefined outside a git checkout (an unpacked tarball). */
async function committedFile(rel: string): Promise<Buffer | undefined> {
  try {
    const { stdout } = await exec('git', ['show', `HEAD:${rel}`], { cwd: REPO, encoding: 'buffer', maxBuffer: 1 << 24 });
    return stdout;
  } catch {
    return undefined;
  }
}

/**
 * The shipped corpus (specs/) against the shipped verify.config.yaml: every spec parses and lints
 * with no errors, and the conventions a newcomer copies from it hold. Nothing is sent anywhere.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SPECS = path.join(REPO, 'specs');
const BUILT_INS = new Set(['$uuid', '$timestamp', '$isoTimestamp', '$randomInt']);

let environment: Environment;
let linted: LintedFile[];
let specs: LoadedSpec[];

beforeAll(async () => {
  // A placeholder sandbox URL: the config is only resolved, the sandbox is never started.
  const env = { VERIFY_SANDBOX_URL: 'http://127.0.0.1:9' };
  const raw = await loadConfig({ cwd: REPO, envName: 'sandbox', env });
  expect(raw.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const resolved = resolveEnvironment(raw, { env: { ...raw.env, ...env }, overrides: {} });
  expect(resolved.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  environment = resolved.environment!;

  const knownVars = new Set([...Object.keys(environment.vars), ...environment.apis.flatMap((a) => Object.keys(a.vars))]);
  const result = await lintPaths({ paths: ['specs'], cwd: REPO, knownVars, mayComeFromEnv: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  linted = result.files;
  specs = await Promise.all(linted.map((f) => readSpec(path.join(REPO, f.file), f.file)));
});

describe('the spec corpus', () => {
  it('has a spec for each endpoint of the four APIs, one folder per API', () => {
    const byFolder = new Map<string, string[]>();
    for (const s of specs) {
      const folder = path.relative(SPECS, path.dirname(s.absPath)).split(path.sep)[0]!;
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), s.doc.frontMatter.endpoint ?? '']);
    }
    expect([...byFolder.keys()].sort()).toEqual(['agentclara', 'conversations-v2', 'platform', 'whatsapp']);
    expect(byFolder.get('platform')?.sort()).toEqual(['GET /platform/v1/clients', 'GET /platform/v1/clients/{client_id}/conversations']);
    expect(byFolder.get('conversations-v2')).toHaveLength(6);
    expect(byFolder.get('agentclara')).toHaveLength(6);
    expect(byFolder.get('whatsapp')?.length).toBeGreaterThanOrEqual(1);
    const all = specs.map((s) => s.doc.frontMatter.endpoint);
    expect(new Set(all).size, 'an endpoint is documented twice').toBe(all.length);
  });

  it('parses and lints every spec with no errors', () => {
    expect(linted.length).toBeGreaterThanOrEqual(15);
    const errors = linted.flatMap((f) => f.diagnostics.filter((d) => d.severity === 'error').map((d) => `${f.file}: ${d.code} ${d.message}`));
    expect(errors).toEqual([]);
  });

  it('keeps the seed spec byte for byte (with its owned-table markers), fallback gateway included', async () => {
    // `npm run verify` (the README's first command) rewrites the keys a run owns in the working
    // tree, and `npm run verify -- --update-docs` the owned tables: the committed file is compared
    // byte for byte with the seed as `docs adopt` marks it, the working tree's with those masked.
    const seed = Buffer.from(adoptTables((await readFile(path.join(REPO, 'seeds/000_11bf8588d5c8ca38.txt'), 'utf8'))).text, 'utf8');
    const rel = 'specs/platform/get-client-conversations.md';
    const committed = await committedFile(rel);
    if (committed) expect(committed.equals(seed), `${rel} as committed differs from the adopted seed`).toBe(true);
    const copy = await readFile(path.join(REPO, rel), 'utf8');
    const mask = (t: string): string => maskOwnedTables(maskOwnedValues(t));
    expect(mask(copy)).toBe(mask(seed.toString('utf8')));
    const spec = specs.find((s) => s.file === 'specs/platform/get-client-conversations.md')!;
    expect(spec.doc.frontMatter.useFallbackApi).toBe(true);
    expect(specs.filter((s) => s.doc.frontMatter.useFallbackApi === true).map((s) => s.file)).toEqual([spec.file]);
  });

  it('maps every spec to an API of the sandbox environment whose tokens include the ones it names', () => {
    for (const s of specs) {
      const found = apiForSpec(environment, s.absPath, s.doc.frontMatter);
      expect(found.ok, `${s.file}: ${found.ok ? '' : found.error.message}`).toBe(true);
      if (!found.ok) continue;
      const api = found.value;
      const types = new Set(Object.keys(api.tokens));
      for (const t of s.doc.frontMatter.tokens ?? []) expect(types.has(t), `${s.file} names token type ${t}`).toBe(true);
      for (const { step } of s.doc.steps) if (step.token && step.token !== 'none') expect(types.has(step.token), `${s.file} step ${step.id}`).toBe(true);
    }
  });

  it('uses only variables that an earlier step, a used spec, the config or a built-in provides', async () => {
    const configVars = new Set([...Object.keys(environment.vars), ...environment.apis.flatMap((a) => Object.keys(a.vars))]);
    const extractsOf = async (abs: string): Promise<Set<string>> => {
      const used = await readSpec(abs, abs);
      return new Set(used.doc.steps.flatMap(({ step }) => Object.keys(step.extract ?? {})));
    };
    const order = { prerequisites: 0, test: 1, cleanup: 2 } as const;
    for (const s of specs) {
      const steps = [...s.doc.steps].sort((a, b) => order[a.phase] - order[b.phase]);
      const defined = new Set([...configVars, ...BUILT_INS]);
      for (const { step, templates } of steps) {
        for (const t of templates) expect(defined.has(t.name), `${s.file}:${t.span.line} {{${t.name}}}`).toBe(true);
        if (step.use) for (const name of await extractsOf(path.resolve(path.dirname(s.absPath), step.use))) defined.add(name);
        for (const name of Object.keys(step.extract ?? {})) defined.add(name);
      }
    }
  });

  it('calls the front-matter endpoint in every Test Request', () => {
    for (const s of specs) {
      const [method, template] = (s.doc.frontMatter.endpoint ?? '').split(' ');
      const pattern = new RegExp(`^${template!.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const calls = s.doc.steps.filter(({ phase, step }) => phase === 'test' && step.method === method && pattern.test(step.path));
      expect(calls.length, `${s.file} never calls ${s.doc.frontMatter.endpoint}`).toBeGreaterThan(0);
    }
  });

  it('closes in Cleanup what a spec creates with POST, unless closing is what it tests', () => {
    for (const s of specs) {
      const creates = s.doc.steps.some(({ step }) => step.method === 'POST' && /\/conversations$/.test(step.path) && step.extract);
      if (!creates || /\/close$/.test(s.doc.frontMatter.endpoint ?? '')) continue;
      expect(s.doc.steps.some(({ phase }) => phase === 'cleanup'), `${s.file} has no Cleanup`).toBe(true);
    }
  });
});

describe('the OpenAPI documents the specs point at', () => {
  const expected: Record<string, RegExp> = {
    'specs/platform/mcp_swagger/communication.json': /^2\.0$/,
    'specs/conversations-v2/openapi/conversations-v2.yaml': /^3\.0\.\d+$/,
    'specs/whatsapp/openapi/whatsapp.yaml': /^3\.1\.\d+$/,
    'specs/agentclara/openapi/agentclara.json': /^3\.0\.\d+$/,
  };

  it('exist, in one OpenAPI version per API, and declare every spec endpoint', async () => {
    const docs = new Map<string, Record<string, unknown>>();
    for (const [rel, version] of Object.entries(expected)) {
      const text = await readFile(path.join(REPO, rel), 'utf8');
      const doc = (rel.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>;
      expect(String(doc.openapi ?? doc.swagger), rel).toMatch(version);
      docs.set(rel, doc);
    }
    for (const s of specs) {
      const swagger = path.relative(REPO, path.resolve(path.dirname(s.absPath), s.doc.frontMatter.swagger ?? '')).split(path.sep).join('/');
      expect(existsSync(path.join(REPO, swagger)), `${s.file}: ${swagger}`).toBe(true);
      const doc = docs.get(swagger);
      expect(doc, `${s.file} points at ${swagger}`).toBeDefined();
      const [method, template] = (s.doc.frontMatter.endpoint ?? '').split(' ');
      const item = (doc!.paths as Record<string, Record<string, unknown>>)[template!];
      expect(item?.[method!.toLowerCase()], `${s.file}: ${s.doc.frontMatter.endpoint}`).toBeDefined();
    }
  });

  it('keep the seed\'s gap: 422 is not documented for the client conversations endpoint', async () => {
    const doc = JSON.parse(await readFile(path.join(REPO, 'specs/platform/mcp_swagger/communication.json'), 'utf8')) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
      securityDefinitions: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths['/platform/v1/clients/{client_id}/conversations']!.get.responses)).toEqual(['200']);
    // The seed's other discrepancy: the document offers all three token types.
    expect(Object.keys(doc.securityDefinitions).sort()).toEqual(['app', 'directory', 'staff']);
  });
});
