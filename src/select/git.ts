import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OWNED_KEYS } from '../specfile/model.js';

const run = promisify(execFile);

export class GitError extends Error {}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const line = (e.stderr ?? e.message).split('\n').find((l) => l.trim()) ?? 'git failed';
    throw new GitError(line.replace(/^fatal: /, ''));
  }
}

export async function gitTopLevel(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/** Absolute paths changed since `ref`: committed, staged, unstaged and untracked. */
export async function changedSince(cwd: string, ref: string): Promise<Set<string>> {
  const top = await gitTopLevel(cwd);
  await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new GitError(`unknown git ref "${ref}"`);
  });
  const diff = await git(top, ['diff', '--name-only', '-z', ref]);
  const untracked = await git(top, ['ls-files', '--others', '--exclude-standard', '-z']);
  const out = new Set<string>();
  for (const rel of `${diff}\0${untracked}`.split('\0')) if (rel) out.add(path.join(top, rel));
  return out;
}

const OWNED_LINE = new RegExp(`^[+-](?:${OWNED_KEYS.join('|')})\\s*:`);

/**
 * For each file, the date of the newest commit that changed something other
 * than the keys a run owns. A nightly job that commits written-back verdicts
 * must not make every spec look "edited after it was verified".
 */
export async function lastContentCommit(cwd: string, files: string[]): Promise<Map<string, Date>> {
  const result = new Map<string, Date>();
  if (files.length === 0) return result;
  const top = await gitTopLevel(cwd);
  const rels = files.map((f) => path.relative(top, f));
  const log = await git(top, ['log', '-p', '--no-color', '--no-renames', '--format=%x00commit %cI', '--', ...rels]);
  let date: Date | undefined;
  let file: string | undefined;
  for (const line of log.split('\n')) {
    if (line.startsWith('\0commit ')) {
      date = new Date(line.slice(8));
      file = undefined;
    } else if (line.startsWith('+++ b/')) {
      file = path.join(top, line.slice(6));
    } else if (line.startsWith('+++ /dev/null')) {
      file = undefined;
    } else if (date && file && !result.has(file) && /^[+-]/.test(line) && !line.startsWith('---') && !line.startsWith('+++')) {
      if (!OWNED_LINE.test(line)) result.set(file, date);
    }
  }
  return result;
}
