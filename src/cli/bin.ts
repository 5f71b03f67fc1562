#!/usr/bin/env node
// Signals first: a Ctrl-C or SIGTERM at any moment, even while the rest of the CLI loads, exits 130
// and removes whatever temp files and locks the process registered (src/cli/signals.ts).
import { installSignalHandlers } from './signals.js';
import { installExitCleanup } from '../specfile/owned-paths.js';

installSignalHandlers();
installExitCleanup();

// `endpoint-verify ... | head` closes the pipe early: that is the reader's choice, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const { main } = await import('./main.js');
const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// A stray keep-alive socket must not keep a finished run alive; unref'd, so a clean exit is not delayed.
setTimeout(() => process.exit(code), 1500).unref();
