/**
 * The dependency rules of src/, checked by `npm run depcruise` (run by `npm test`'s pretest, so
 * CI holds them). docs/architecture.md quotes them; change both together.
 *
 * `allowed` lists every arrow between folders that may exist; an import matching none of them is
 * an error. `forbidden` adds what no arrow may do: a cycle (type-only imports count: a cycle of
 * types is a type living in the wrong module), and `import()` (or a package's `require()`)
 * outside the two places that may load on demand.
 */

/** `^src/(a|b)/`: a module in one of these folders. */
const inFolder = (...names) => `^src/(${names.join('|')})/`;

module.exports = {
  allowed: [
    { comment: 'Node built-ins and packages (dynamic loads: see no-dynamic-package-import).', from: {}, to: { pathNot: '^src/' } },
    { comment: 'Within one folder (and its subfolders).', from: { path: '^src/([^/]+)/' }, to: { path: '^src/$1/' } },
    { comment: 'src/lazy.ts loads packages on first use; any module may call it.', from: { pathNot: inFolder('sandbox') }, to: { path: '^src/lazy\\.ts$' } },
    { comment: 'The one failure convention, Result<T, E> (src/result/ok.ts), is usable everywhere but the sandbox.', from: { pathNot: inFolder('sandbox') }, to: { path: '^src/result/ok\\.ts$' } },
    { comment: 'diagnostics/ (Diagnostic, renderer) reads source/ (spans).', from: { path: inFolder('diagnostics') }, to: { path: inFolder('source') } },
    { comment: 'yaml/: the one YAML owner (readers, front-matter edits); low level.', from: { path: inFolder('yaml') }, to: { path: inFolder('source', 'diagnostics') } },
    { comment: 'secret/: the one secret owner (secret names, encoded forms, redactor); low level.', from: { path: inFolder('secret') }, to: { path: inFolder('source', 'diagnostics') } },
    {
      comment: 'result/: the run result types, plain data; they name the spec model only.',
      from: { path: inFolder('result') },
      to: { path: [inFolder('source', 'diagnostics'), '^src/specfile/model\\.ts$'] },
    },
    {
      comment: 'openapi/: reads OpenAPI documents; its findings are result data; of specfile/ only the model (HTTP_METHODS).',
      from: { path: inFolder('openapi') },
      to: { path: [inFolder('source', 'diagnostics', 'result'), '^src/specfile/model\\.ts$'] },
    },
    {
      comment: 'specfile/: the spec-file reader (parse, schema, lint, write-back) knows nothing of HTTP, config, run/, report/, cli/.',
      from: { path: inFolder('specfile') },
      to: { path: inFolder('source', 'diagnostics', 'yaml', 'openapi') },
    },
    { comment: 'Write-back records outcomes typed by result/.', from: { path: '^src/specfile/write-back\\.ts$' }, to: { path: inFolder('result') } },
    {
      comment: 'select/: filters and git over the spec model.',
      from: { path: inFolder('select') },
      to: { path: [inFolder('source', 'diagnostics'), '^src/specfile/model\\.ts$'] },
    },
    {
      comment: 'config/: verify.config.yaml (YAML through yaml/), tokens, API for a spec; of specfile/ only the model, discovery and step order.',
      from: { path: inFolder('config') },
      to: { path: [inFolder('source', 'diagnostics', 'yaml', 'secret'), '^src/specfile/(model|parse|discover|chain-order)\\.ts$'] },
    },
    {
      comment: 'run/: runs specs and returns plain data; never imports report/, cli/, select/.',
      from: { path: inFolder('run') },
      to: { path: inFolder('source', 'diagnostics', 'specfile', 'config', 'openapi', 'result', 'secret') },
    },
    {
      comment: 'report/: renders results only: no run/ internals, no select/, no config.',
      from: { path: inFolder('report') },
      to: { path: [inFolder('source', 'diagnostics', 'result', 'secret'), '^src/specfile/model\\.ts$'] },
    },
    {
      comment: 'docs-tables/: turns what a run observed into owned-table rows (the docs hook); above run/, below cli/, which wires it.',
      from: { path: inFolder('docs-tables') },
      to: { path: inFolder('source', 'diagnostics', 'result', 'specfile', 'config', 'openapi', 'run') },
    },
    { comment: 'cli/ wires everything (sandbox/ included).', from: { path: inFolder('cli') }, to: { path: '^src/' } },
    { comment: 'src/index.ts, the public API, re-exports everything but the sandbox (its own export).', from: { path: '^src/index\\.ts$' }, to: { path: '^src/', pathNot: inFolder('sandbox') } },
  ],
  allowedSeverity: 'error',

  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No cycle, type-only imports included: move the type to the module that owns it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-dynamic-own-import',
      severity: 'error',
      comment: 'import() of our own modules only in src/cli/ (what a command loads on demand is the CLI\'s decision).',
      from: { pathNot: inFolder('cli') },
      to: { path: '^src/', dynamic: true },
    },
    {
      name: 'no-dynamic-package-import',
      severity: 'error',
      comment: 'import() of a package only in src/lazy.ts, the one list of what loads on first use.',
      from: { pathNot: '^src/lazy\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'], dynamic: true },
    },
    {
      name: 'no-package-require',
      severity: 'error',
      comment: 'require() of a package (through createRequire) is a load on first use too: only in src/lazy.ts.',
      from: { pathNot: '^src/lazy\\.ts$' },
      to: { dependencyTypes: ['require'], dependencyTypesNot: ['local', 'core'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a renamed module, a package missing from package.json).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'src/ ships: it may not import a devDependency.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],

  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {},
  },
};
