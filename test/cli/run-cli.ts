import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the built CLI as a user would: a child process, real files, real exit code. */

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'dist/cli/bin.js');

/** A one-API config for CLI tests: API `items` covers `specs/`, its gateway is `$ITEMS_URL`. */
export const ITEMS_CONFIG = `default: local
apis:
  items:
    specs: specs
environments:
  local:
    apis:
      items:
        baseUrl: \${ITEMS_URL}
`;

/** The same API with a `staff` token type read from `$ITEMS_TOKEN`. */
export const ITEMS_STAFF_CONFIG = `default: local
apis:
  items:
    specs: specs
    tokens:
      staff: { env: ITEMS_TOKEN }
environments:
  local:
    apis:
      items:
        baseUrl: \${ITEMS_URL}
`;

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: {
    cwd: string;
    env?: Record<string, string | undefined>;
    /** Options for node itself, before the CLI's path (e.g. --import). */
    nodeArgs?: string[];
    onSpawn?: (kill: (s: NodeJS.Signals) => void, out: () => string, pid: number) => void;
  },
): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The test must see what a user's plain terminal-less run prints, whatever CI sets.
    if (v === undefined || k.startsWith('VERIFY_') || k.startsWith('GITHUB_') || k === 'FORCE_COLOR' || k === 'NO_COLOR') continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    opts.onSpawn?.((s) => child.kill(s), () => stdout + stderr, child.pid ?? 0);
  });
}

/** A scratch copy of the repo's corpus (specs/ and verify.config.yaml), so runs can write back. */
export async function corpusCopy(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ev-cli-'));
  await cp(path.join(REPO, 'specs'), path.join(dir, 'specs'), { recursive: true });
  await cp(path.join(REPO, 'verify.config.yaml'), path.join(dir, 'verify.config.yaml'));
  // The login spec verify.config.yaml's sandbox environment fetches a token with.
  await cp(path.join(REPO, 'auth'), path.join(dir, 'auth'), { recursive: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function scratch(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ev-cli-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function listMarkdown(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.md') && e.name !== 'README.md') {
      out.push(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

export async function readJson<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}
