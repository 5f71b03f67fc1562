export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything the CLI touches of the outside world, injected so it can be tested in-process too. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * `--color` / `--no-color` anywhere before `--` (the last one wins), taken out of the arguments and
 * turned into the environment variables every colour decision reads: FORCE_COLOR=1 or NO_COLOR=1.
 */
export function colorFlags(argv: readonly string[], env: Record<string, string | undefined>): { argv: string[]; env: Record<string, string | undefined> } {
  const out: string[] = [];
  let choice: boolean | undefined;
  let rest = false;
  for (const a of argv) {
    if (!rest && a === '--') rest = true;
    if (!rest && (a === '--color' || a === '--no-color')) choice = a === '--color';
    else out.push(a);
  }
  if (choice === undefined) return { argv: out, env };
  const next = { ...env };
  if (choice) {
    next.FORCE_COLOR = '1';
    delete next.NO_COLOR;
  } else {
    next.NO_COLOR = '1';
    delete next.FORCE_COLOR;
  }
  return { argv: out, env: next };
}

/**
 * Whether to colour `stream`: never with NO_COLOR (no-color.org) or FORCE_COLOR=0; always with
 * another FORCE_COLOR value (CI logs that render colour); else only on a terminal that is not dumb.
 */
export function useColor(stream: OutStream, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
