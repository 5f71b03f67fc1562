import { createHttpClient } from '../../src/run/http/client.js';
import { createRedactor } from '../../src/secret/index.js';
import type { ApiConfig, Environment } from '../../src/config/types.js';
import type { ChainContext } from '../../src/run/chain/types.js';
import { parseSpec, type LoadedSpec } from '../../src/specfile/parse.js';
import type { TestServer } from './test-server.js';

/** Spec files and chain contexts for runChain tests against the test server. */

export const TOKEN = 'tok-harness-7f3a91c2d4';

/** A spec file's text: front-matter lines plus a steps block per phase (each given as YAML list items). */
export function specText(o: { fm?: string; prereq?: string; test?: string; cleanup?: string }): string {
  const block = (items: string): string => `\`\`\`yaml\nsteps:\n${items}\n\`\`\`\n`;
  return [
    `---\nendpoint: GET /x\n${o.fm ?? 'tokens: [staff]\n'}---\n# Spec\n`,
    o.prereq ? `## Prerequisites\n\n${block(o.prereq)}` : '',
    o.test ? `## Test Request\n\n${block(o.test)}` : '',
    o.cleanup ? `## Cleanup\n\n${block(o.cleanup)}` : '',
  ].join('');
}

/** Parses spec text as if read from /specs/<file>; fails the test on parse errors. */
export function loadSpec(text: string, file = 'spec.md'): LoadedSpec {
  const { doc, diagnostics } = parseSpec(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`spec does not parse: ${errors.map((d) => d.message).join('; ')}`);
  return { file, absPath: `/specs/${file}`, bytes: Buffer.from(text), doc, diagnostics };
}

export function testApi(server: TestServer, over: Partial<ApiConfig> = {}): ApiConfig {
  return {
    name: 'platform',
    baseUrl: `${server.url}/apigw`,
    fallbackUrl: `${server.url}/api2`,
    auth: { header: 'Authorization', scheme: 'Bearer' },
    tokens: { staff: { env: 'STAFF_TOKEN' } },
    vars: { business_id: 'biz_001' },
    ...over,
  };
}

export function testEnvironment(api: ApiConfig, vars: Record<string, string> = {}): Environment {
  return { name: 'test', sandbox: false, apis: [api], vars };
}

/** A context with a real HTTP client and redactor; close `ctx.http` when done. */
export function chainContext(server: TestServer, over: Partial<ChainContext> = {}): ChainContext {
  const api = over.api ?? testApi(server);
  return {
    api,
    environment: testEnvironment(api),
    env: { STAFF_TOKEN: TOKEN },
    gateway: 'primary',
    http: createHttpClient({ requestTimeoutMs: 5000 }),
    redact: createRedactor(),
    runUse: async () => ({ ok: true, vars: {} }),
    ...over,
  };
}
