import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/run-cli.js';

/**
 * The package as a user gets it: `npm pack`, then installed from the tarball into a fresh project
 * with no dev dependencies, and run there. npm is asked to use its cache first (the registry is
 * reached only for a package the cache lacks); the run itself talks to the in-process sandbox only.
 */

const exec = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ev-pack-'));
  // dist/ is built by `pretest`; --ignore-scripts keeps the pack from building it a second time.
  const { stdout } = await exec(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: REPO, maxBuffer: 1 << 24 });
  const info = (JSON.parse(stdout) as { filename: string; files: { path: string }[] }[])[0]!;
  tarball = path.join(work, info.filename);
  files = info.files.map((f) => f.path);
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/** Relative links of the Markdown files a user reads, and every docs/ path the CLI's hints name. */
async function linkedPaths(): Promise<{ from: string; target: string }[]> {
  const out: { from: string; target: string }[] = [];
  for (const doc of files.filter((f) => f.endsWith('.md'))) {
    const text = await readFile(path.join(REPO, doc), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      out.push({ from: doc, target: path.posix.normalize(path.posix.join(path.posix.dirname(doc), target)) });
    }
  }
  for (const js of files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
    const text = await readFile(path.join(REPO, js), 'utf8');
    for (const m of text.matchAll(/\bdocs\/[\w./-]+\.(?:md|yml|json)\b/g)) out.push({ from: js, target: m[0] });
  }
  return out;
}

/** A fresh project with one spec file and the tarball installed (once, for the tests that need it). */
let installing: Promise<string> | undefined;
function install(): Promise<string> {
  installing ??= (async () => {
    const project = path.join(work, 'docs-repo');
    await mkdir(path.join(project, 'specs/whatsapp'), { recursive: true });
    await writeFile(path.join(project, 'package.json'), '{ "name": "docs-repo", "private": true }\n');
    await writeFile(
      path.join(project, 'specs/whatsapp/list.md'),
      '---\nendpoint: "GET /api/conversations"\nstatus: draft\n---\n\n# List\n\n## Test Request\n\n```yaml\nsteps:\n  - id: list\n    method: GET\n    path: "/api/conversations"\n    expect:\n      status: [200]\n```\n',
    );
    await exec(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, maxBuffer: 1 << 24 });
    return project;
  })();
  return installing;
}

describe('the npm package', () => {
  it('carries LICENSE, README, the docs its links and hints name, and no build leftovers or sources', async () => {
    for (const f of ['LICENSE', 'README.md', 'package.json', 'dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'docs/configuration.md', 'docs/getting-started.md']) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /\.tsbuildinfo$|^(src|test|bench|specs|seeds|scripts)\//.test(f))).toEqual([]);
    const missing = (await linkedPaths()).filter((l) => !files.includes(l.target) && !l.target.endsWith('.png'));
    expect(missing).toEqual([]);
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { license?: string; repository?: { url?: string } };
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository?.url).toMatch(/^git\+https:\/\//);
    // dist/ is built from nothing: every compiled file it ships has its module in src/ today (a
    // renamed module's old output would have none), and every other file is a copy of one in src/.
    const orphans: string[] = [];
    for (const f of files.filter((f) => f.startsWith('dist/'))) {
      const compiled = /^dist\/(.+)\.(?:js|d\.ts)(?:\.map)?$/.exec(f);
      const sources = compiled ? [`src/${compiled[1]}.ts`, `src/${f.slice(5)}`] : [`src/${f.slice(5)}`];
      if (!(await Promise.all(sources.map((s) => exists(path.join(REPO, s))))).some(Boolean)) orphans.push(f);
    }
    expect(orphans).toEqual([]);
  });

  it('installs from the tarball into a fresh project and runs --version, lint, verify --sandbox and init there', async () => {
    const project = await install();
    // Only runtime dependencies: no TypeScript, no test runner.
    const installed = await readdir(path.join(project, 'node_modules'));
    expect(installed).toContain('endpoint-verify');
    expect(installed.filter((n) => ['typescript', 'vitest', 'fast-check', 'playwright-core'].includes(n))).toEqual([]);

    const bin = path.join(project, 'node_modules/.bin/endpoint-verify');
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VERIFY_')));
    const run = (args: string[]) => exec(bin, args, { cwd: project, env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect((await run(['--version'])).stdout.trim()).toBe(pkg.version);
    const lint = await run(['lint', 'specs']);
    expect(lint.stdout).toContain('1 file checked: 0 errors');
    const verify = await run(['verify', '--sandbox', '--reporter', 'console', '--reporter', 'html:report.html']);
    expect(verify.stdout).toContain('1 verified');
    expect(verify.code).toBe(0);
    // The HTML report inlines the browser assets shipped in dist/, the same text as in src/.
    const html = await readFile(path.join(project, 'report.html'), 'utf8');
    const asset = (name: string) => readFile(path.join(REPO, 'src/report/html/assets', name), 'utf8');
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]).toBe(await asset('report.css'));
    expect(/<script>([\s\S]*?)<\/script>\s*<\/body>/.exec(html)?.[1]).toBe(await asset('report.js'));
    const init = await run(['init']);
    expect(init.code).toBe(0);
    expect(await readFile(path.join(project, 'verify.config.yaml'), 'utf8')).toContain('baseUrl: ${WHATSAPP_BASE_URL}');
    // The docs ship with it: the links in hints resolve inside the installed package.
    expect(await readFile(path.join(project, 'node_modules/endpoint-verify/docs/getting-started.md'), 'utf8')).toContain('init');
  }, 180_000);

  it('exports the sandbox as endpoint-verify/sandbox, with types, and not from the main entry', async () => {
    const project = await install();
    await writeFile(
      path.join(project, 'sandbox-check.mjs'),
      [
        "import * as main from 'endpoint-verify';",
        "import { startSandbox, SANDBOX_IDS } from 'endpoint-verify/sandbox';",
        'const sb = await startSandbox();',
        "const res = await fetch(`${sb.url}/platform/apigw/platform/v1/clients`, { headers: { authorization: `Bearer ${sb.env.SANDBOX_PLATFORM_STAFF}` } });",
        'const body = await res.json();',
        'await sb.close();',
        "console.log(JSON.stringify({ status: res.status, business: body.data.clients[0].business_id, ids: SANDBOX_IDS.platform !== undefined, mainHasSandbox: 'startSandbox' in main, mainHasRunner: 'runSpecs' in main }));",
        '',
      ].join('\n'),
    );
    const { stdout } = await exec(process.execPath, ['sandbox-check.mjs'], { cwd: project });
    expect(JSON.parse(stdout)).toEqual({ status: 200, business: 'biz_001', ids: true, mainHasSandbox: false, mainHasRunner: true });

    // The types resolve through the export map (TypeScript from this repository; the project has none).
    await writeFile(
      path.join(project, 'sandbox-check.mts'),
      [
        "import { startSandbox, type Sandbox } from 'endpoint-verify/sandbox';",
        'const sb: Sandbox = await startSandbox({ port: 0, knobs: { seed: 7 } });',
        'const url: string = sb.url;',
        '// @ts-expect-error the sandbox has no such option',
        'await startSandbox({ colour: true });',
        'export { url };',
        '',
      ].join('\n'),
    );
    // ...and the main entry's types no longer name it.
    await writeFile(path.join(project, 'main-check.mts'), "import { startSandbox } from 'endpoint-verify';\nexport { startSandbox };\n");
    await writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: [], skipLibCheck: true }, files: ['sandbox-check.mts', 'main-check.mts'] }),
    );
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    const typed = await exec(process.execPath, [tsc, '-p', '.'], { cwd: project }).then(() => '', (e: { stdout: string }) => e.stdout);
    expect(typed.trim().split('\n')).toEqual([expect.stringMatching(/^main-check\.mts\(1,10\): error TS2305: Module '"endpoint-verify"' has no exported member 'startSandbox'/)]);
  }, 180_000);
});
