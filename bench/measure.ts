import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Wall time, CPU time and peak memory of one child process. CPU time (user +
 * system, all of the child's threads) and peak memory (maxRSS) are the child's
 * own, written at exit by a preloaded one-liner, so the measuring process and
 * the server are never counted. CPU time is the figure to trust on a loaded
 * machine: it hardly moves when other processes take the cores.
 */
export interface Sample {
  ms: number;
  /** User + system CPU time of the child, milliseconds. */
  cpuMs: number;
  rssMB: number;
  code: number | null;
  output: string;
}

const PROBE =
  'data:text/javascript,' +
  encodeURIComponent(
    `import{writeFileSync}from"node:fs";process.on("exit",()=>{const u=process.resourceUsage();if(process.env.BENCH_RSS_FILE)writeFileSync(process.env.BENCH_RSS_FILE,u.maxRSS+" "+(u.userCPUTime+u.systemCPUTime))})`,
  );

let seq = 0;

export async function measure(script: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<Sample> {
  const rssFile = path.join(tmpdir(), `ev-bench-rss-${process.pid}-${seq++}`);
  const started = process.hrtime.bigint();
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PROBE, script, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Keep only the tail: a 2,000-spec console report is not what is measured.
    const keep = (d: Buffer): void => {
      output = (output + d.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, output }));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const [kb = 0, cpuUs = 0] = (await readFile(rssFile, 'utf8').catch(() => '0 0')).split(' ').map(Number);
  await rm(rssFile, { force: true });
  return { ms, cpuMs: cpuUs / 1000, rssMB: kb / 1024, code, output };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
