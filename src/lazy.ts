import { createRequire } from 'node:module';
import type * as JsonP3 from 'json-p3';
import type * as LosslessJson from 'lossless-json';
import type * as Tinyglobby from 'tinyglobby';
import type * as Undici from 'undici';

/**
 * The one place third-party packages are loaded on first use rather than at start-up: a run
 * loads only what it uses (docs/performance.md, "Start-up"). One `load<Name>()` per package;
 * each is cheap after the first call (the module cache). The synchronous ones go through
 * `require` because their callers are synchronous (a dispatcher is created, a path checked,
 * a body parsed) and these packages ship CommonJS.
 */

const require = createRequire(import.meta.url);

/**
 * undici's `Agent`, with `request` on it, without undici's index: the index loads every
 * dispatcher, the mock agents, the caches and fetch (about three times the load time of the
 * Agent and `request`, measured in docs/performance.md). The index itself adds `request` (and
 * the other API methods) to the Dispatcher prototype; this adds only `request`, the one method
 * the run calls, the same function, and only when the index has not already done it.
 */
export function loadUndiciAgent(): typeof Undici.Agent {
  const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
  const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: Partial<Undici.Dispatcher> };
  Dispatcher.prototype.request ??= require('undici/lib/api/api-request.js') as Undici.Dispatcher['request'];
  return Agent;
}

/** All of undici (its index): for a proxy (`EnvHttpProxyAgent`) and for `fetch` (token providers). */
export function loadUndici(): typeof Undici {
  return require('undici') as typeof Undici;
}

/** json-p3 (RFC 9535 JSONPath), for the first path that is not a plain `$.name[0]` walk. */
export function loadJsonP3(): typeof JsonP3 {
  return require('json-p3') as typeof JsonP3;
}

/** lossless-json, the first time a body may hold an integer beyond 2^53. */
export function loadLosslessJson(): typeof LosslessJson {
  return require('lossless-json') as typeof LosslessJson;
}

/** tinyglobby, synchronously (its CommonJS build): for `isDynamicPattern` on a path with glob syntax. */
export function loadTinyglobbySync(): typeof Tinyglobby {
  return require('tinyglobby') as typeof Tinyglobby;
}
