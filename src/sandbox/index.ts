/**
 * `endpoint-verify/sandbox`: the built-in sandbox API (docs/sandbox.md) as its own package export,
 * apart from the main entry, so a program that verifies docs does not load a test server and one
 * that only wants the server (a test suite of its own, a demo) loads nothing else.
 * `startSandbox(opts?)` resolves to a running server on 127.0.0.1 (port 0 unless told); its `env`
 * holds VERIFY_SANDBOX_URL and the SANDBOX_* tokens, `close()` stops it.
 */
export {
  startSandbox,
  SANDBOX_IDS,
  knobsFromEnv,
  type Sandbox,
  type SandboxOptions,
  type SandboxKnobs,
  type SandboxFault,
  type SandboxLogEntry,
  type PathCounts,
} from './server.js';
