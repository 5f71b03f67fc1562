#!/usr/bin/env node
import { main } from './main.js';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
// A stray keep-alive socket must not keep a finished run alive; unref'd, so a clean exit is not delayed.
setTimeout(() => process.exit(code), 1500).unref();
