/**
 * SIGINT and SIGTERM, from the first moment of the process (bin.ts installs this before it loads
 * anything else). Both mean the same: exit 130 (the shell's 128 + SIGINT, which CI systems and
 * users read as "interrupted"; SIGTERM is not given its own 143, so one code says "stopped early").
 * - While a command has registered an interrupt handler (a run in progress), the first signal is
 *   passed to it: the run stops scheduling, finishes the write-backs in flight, reports and exits
 *   130 on its own.
 * - Any other signal (before a run starts, after it, or a second one) exits 130 at once. The exit
 *   handlers then remove every temp file and lock this process registered (src/specfile/owned-paths.ts),
 *   which are registered before they exist on disk, so nothing is left behind whenever it comes.
 */

export const INTERRUPTED_EXIT = 130;

type Handler = (signal: NodeJS.Signals) => void;
let current: Handler | undefined;
let received = 0;
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  received++;
  if (received === 1 && current) {
    current(signal);
    return;
  }
  process.exit(INTERRUPTED_EXIT);
}

/** Installs the SIGINT/SIGTERM handlers (once per process). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Lets a run handle the first signal itself (graceful stop) until the returned function is called.
 * Installs the handlers if the process had not (a program calling main() directly).
 */
export function onInterrupt(handler: Handler): () => void {
  installSignalHandlers();
  current = handler;
  return () => {
    if (current === handler) current = undefined;
  };
}
