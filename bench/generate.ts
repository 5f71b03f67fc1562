import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * N spec files in the seed's format: a Prerequisites step lists items and
 * extracts an id, the Test Request gets that item. Plus a verify.config.yaml
 * with one API whose gateway comes from BENCH_URL.
 */
export function benchSpec(i: number): string {
  return `---
endpoint: GET /items/{item_id}
domain: bench
tags:
  - bench
  - items
swagger: null
status: draft
savedAt: 2026-01-01T00:00:00Z
verifiedAt: null
timesReused: 0
useFallbackApi: false
tokens:
  - staff
---
# Get item ${i}

## Summary

Fetches one item by id. The id comes from the list endpoint, page ${i}.

## Prerequisites

\`\`\`yaml
steps:
  - id: list_items
    description: List items on page ${i} and take the first id
    method: GET
    path: /items
    params:
      page: ${i}
      per_page: 3
    extract:
      item_id: "$.data[0].id"
    expect:
      status: [200]
    onFail: abort
\`\`\`

## Test Request

\`\`\`yaml
steps:
  - id: get_item
    description: Get the item by id
    method: GET
    path: /items/{{item_id}}
    expect:
      status: [200]
\`\`\`

## Parameters Reference

| Parameter | In | Required | Notes |
|---|---|---|---|
| item_id | path | yes | from list_items |
`;
}

export const BENCH_CONFIG = `default: bench
apis:
  bench:
    specs: specs
    tokens:
      staff: { env: BENCH_TOKEN }
environments:
  bench:
    apis:
      bench:
        baseUrl: \${BENCH_URL}
`;

export async function generateCorpus(dir: string, n: number): Promise<void> {
  await mkdir(path.join(dir, 'specs'), { recursive: true });
  await writeFile(path.join(dir, 'verify.config.yaml'), BENCH_CONFIG);
  const width = String(n).length;
  const batch = 200;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
        const idx = i + k;
        return writeFile(path.join(dir, 'specs', `item-${String(idx).padStart(width, '0')}.md`), benchSpec(idx));
      }),
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, n] = process.argv.slice(2);
  if (!dir || !n) {
    process.stderr.write('usage: generate <dir> <count>\n');
    process.exit(2);
  }
  await generateCorpus(dir, Number(n));
}
