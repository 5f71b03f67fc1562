/**
 * The closed list of diagnostic codes. A `Diagnostic.code` is one of these
 * keys and nothing else, so a typo or a new code without documentation fails
 * the typecheck; docs/diagnostics.md documents exactly these keys (a test
 * compares the two lists both ways).
 *
 * Each value is the code's one-line meaning. The full table (severity,
 * example, fix) is docs/diagnostics.md.
 */
export const DIAGNOSTIC_CODES = {
  // Reading the file
  'read-error': 'the file could not be read',
  'invalid-utf8': 'the file is not valid UTF-8',
  'empty-file': 'the file holds nothing but whitespace',
  'no-such-path': 'a path given on the command line does not exist, or a glob matches nothing',

  // Front-matter
  'missing-front-matter': 'the file does not start with a --- line',
  'front-matter-language': 'the opening --- names a language (---js, ---toml)',
  'unclosed-front-matter': 'the front-matter has no closing --- line',
  'front-matter-not-mapping': 'the front-matter is not key: value lines',
  'missing-key': 'a required key is missing',
  'bad-endpoint': 'endpoint is not "METHOD /path"',
  'invalid-value': 'a known key has the wrong type or value',
  'unknown-key': 'a front-matter key endpoint-verify does not know',

  // YAML
  'yaml-syntax': 'the YAML does not parse',
  'duplicate-key': 'a key appears twice in one mapping',
  'yaml-unknown-tag': 'a YAML tag other than the core schema tags',
  'yaml-alias': 'too many alias expansions, or an unknown alias',
  'yaml-merge-key': '<< merge keys are not supported',
  'forbidden-key': 'the key __proto__',
  'yaml-complex-key': 'a mapping key that is not a plain scalar',
  'yaml-too-deep': 'nesting deeper than 64 levels',

  // Steps
  'steps-outside-phase': 'a steps block is not under a Prerequisites, Test Request or Cleanup heading',
  'steps-not-list': 'steps: is not a list',
  'step-not-mapping': 'an item under steps: is not a mapping',
  'unknown-step-key': 'an unknown key in a step, expect, assertion, extract or retry',
  'bad-regex': 'matches or regex is not a valid JavaScript regular expression',

  // Lint rules
  'duplicate-step-id': 'two steps of the file share an id',
  'undefined-var': '{{name}} is used before anything defines it',
  'maybe-undefined-var': '{{name}} is not defined by the file or the config, but may come from outside',
  'bad-jsonpath': 'a JSONPath is not RFC 9535 JSONPath',
  'bad-method': 'a method is not an HTTP method in upper case',
  'bad-path': 'a path does not start with / or names a host',
  'endpoint-not-called': 'no Test Request step calls the front-matter endpoint',
  'swagger-missing': 'the swagger: file does not exist',
  'use-missing': 'the spec named by use: does not exist',

  // OpenAPI lint
  'endpoint-not-documented': 'the endpoint is not an operation of the swagger: document',
  'swagger-unreadable': 'the swagger: file cannot be read as an OpenAPI document',
  'step-not-documented': "a step's method and path match no operation of the document",

  // Configuration
  'config-read': 'the config file could not be read',
  'config-yaml': 'the config file is not valid YAML',
  'config-invalid': 'an unknown config key, a wrong type or a bad value',
  'config-env': 'the environment asked for does not exist',
  'config-unset-var': 'a ${VAR} the environment needs is not set',
  'config-no-base-url': 'an API has no baseUrl in the environment',
  'config-bad-url': 'a gateway is not a plain http(s) URL',
  'config-no-api': 'no API of the environment can be used',
  'config-api': 'a spec maps to no API',
  'config-none': 'no config file and no base URL',
  'config-no-fallback': 'useFallbackApi: true but the API has no fallbackUrl',
  'config-dotenv': 'a .env line cannot be read',

  // Writing back into spec files
  'write-back-no-front-matter': 'the file has no front-matter to update any more',
  'write-back-unsupported': 'the front-matter cannot be updated without rewriting other lines',

  // new (scaffolding a spec file)
  'new-bad-endpoint': 'endpoint-verify new: --endpoint is not "METHOD /path"',
  'new-bad-swagger': 'endpoint-verify new: the --swagger document cannot be read',
  'new-unknown-operation': 'endpoint-verify new: the endpoint is not an operation of the --swagger document',

  // report merge
  'merge-no-reports': 'report merge was given no reports',
  'merge-not-a-report': 'a file given to report merge is not an endpoint-verify JSON report',
  'merge-schema-version': 'a report was written with another schemaVersion',
  'merge-duplicate-spec': 'the same spec file is in two of the merged reports',
} as const satisfies Record<string, string>;

/** One of the documented diagnostic codes (see DIAGNOSTIC_CODES). */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

