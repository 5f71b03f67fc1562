import { createRequire } from 'node:module';
import type * as JsonP3 from 'json-p3';
import type * as LosslessJson from 'lossless-json';
import type * as Tinyglobby from 'tinyglobby';
import type * as Undici from 'undici';
import type * as Yaml from 'yaml';

/**
 * The one place a third-party package is loaded on first use instead of at start-up: a run
 * that never needs one of these never pays for loading it. One `load<Name>()` per package,
 * each a plain `import()`, or `require` for a caller that cannot await (Node caches the module;
 * callers that build something costly from it keep their own memo). The dependency rules
 * (.dependency-cruiser.cjs) allow `import()` or `require` of a package in this module only,
 * and `import()` of our own modules in `src/cli/` only.
 */

const require = createRequire(import.meta.url);

/** ajv (JSON Schema draft-07): response schemas (`run/json-schema.ts`), OpenAPI 2/3.0 bodies. */
export function loadAjv() {
  return import('ajv');
}

/** ajv's draft 2020-12 build: OpenAPI 3.1 bodies (`openapi/schema-validate.ts`). */
export function loadAjv2020() {
  return import('ajv/dist/2020.js');
}

/** ajv-formats (CommonJS: the caller unwraps its default export). */
export function loadAjvFormats() {
  return import('ajv-formats');
}

/** @apidevtools/swagger-parser: reading an OpenAPI document (`openapi/load.ts`). */
export function loadSwaggerParser() {
  return import('@apidevtools/swagger-parser');
}

/** openid-client: OAuth2 token requests (`run/token/providers.ts`). */
export function loadOpenidClient() {
  return import('openid-client');
}

/** jose: a JWT's `exp` (`run/token/providers.ts`). */
export function loadJose() {
  return import('jose');
}

/** tinyglobby: glob paths on the command line (`specfile/discover.ts`). */
export function loadTinyglobby() {
  return import('tinyglobby');
}

/**
 * undici's `Agent`, with `request` on it, without undici's index: the index loads every
 * dispatcher, the mock agents, the caches and fetch (about three times the load time of the
 * Agent and `request`, measured in docs/performance.md). The index itself adds `request` (and
 * the other API methods) to the Dispatcher prototype; this adds only `request`, the one method
 * the run calls, the same function, and only when the index has not already done it.
 */
export function loadUndiciAgent(): typeof Undici.Agent {
  try {
    const Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: Partial<Undici.Dispatcher> };
    Dispatcher.prototype.request ??= require('undici/lib/api/api-request.js') as Undici.Dispatcher['request'];
    return Agent;
  } catch (err) {
    // These are undici's internal files, not its API: should an undici 7 release move them, the
    // run pays for the index instead of failing.
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    return loadUndici().Agent;
  }
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

/**
 * yaml, synchronously: its Node build is CommonJS, so `require` returns the very module an import
 * would. Loaded when a run writes a front-matter or meets YAML outside the fast reader's plain
 * subset (`yaml/lib.ts`).
 */
export function loadYamlSync(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}
