import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptTables, applyObservedTables, findOwnedTables, maskOwnedTables, type ObservedTable } from '../../src/specfile/tables/index.js';

const SEED = readFileSync(path.join(import.meta.dirname, '../../seeds/000_11bf8588d5c8ca38.txt'), 'utf8');

const auth = (rows: [string, string, string][], unknown?: string[]): ObservedTable => ({
  kind: 'auth',
  rows: rows.map(([key, works, observed]) => ({ key, cells: { works, observed } })),
  ...(unknown ? { unknown: new Set(unknown) } : {}),
});

function table(text: string, kind: string): string {
  const r = findOwnedTables(text).regions.find((x) => x.kind === kind)!;
  return r.table ? text.slice(r.table.start, r.table.end) : '';
}

describe('docs adopt', () => {
  it('marks the seed\'s three tables and inserts nothing but the six marker lines', () => {
    const { text, adopted } = adoptTables(SEED);
    expect(adopted.map((a) => a.kind)).toEqual(['responses', 'auth', 'discrepancies']);
    const added = text.split('\n').filter((l) => l.startsWith('<!-- '));
    expect(added).toEqual([
      '<!-- endpoint-verify:responses -->',
      '<!-- /endpoint-verify:responses -->',
      '<!-- endpoint-verify:auth -->',
      '<!-- /endpoint-verify:auth -->',
      '<!-- endpoint-verify:discrepancies -->',
      '<!-- /endpoint-verify:discrepancies -->',
    ]);
    expect(text.split('\n').filter((l) => !l.startsWith('<!-- endpoint-verify') && !l.startsWith('<!-- /endpoint-verify')).join('\n')).toBe(SEED);
    // The Parameters Reference tables are not owned.
    expect(findOwnedTables(text).regions).toHaveLength(3);
    expect(adoptTables(text).adopted).toEqual([]);
  });

  it('matches headings and header rows case-insensitively, keeps CRLF, and skips a table whose header is not the kind\'s', () => {
    const crlf = '# X\r\n\r\n## RESPONSE CODES\r\n\r\n| STATUS | meaning |\r\n|---|---|\r\n| 200 | ok |\r\n\r\n## Authentication\r\n\r\n| Parameter | Type |\r\n|---|---|\r\n| a | b |\r\n';
    const { text, adopted } = adoptTables(crlf);
    expect(adopted.map((a) => a.kind)).toEqual(['responses']);
    expect(text).toBe(crlf.replace('| STATUS', '<!-- endpoint-verify:responses -->\r\n| STATUS').replace('| 200 | ok |', '| 200 | ok |\r\n<!-- /endpoint-verify:responses -->'));
  });
});

describe('owned tables', () => {
  const adopted = adoptTables(SEED).text;

  it('rewrites the owned columns, keeps the Notes cells, adds the Observed column and changes nothing outside the markers', () => {
    const r = applyObservedTables(adopted, [
      auth([
        ['Staff', '✅', '422 via primary, 200 via fallback'],
        ['App', '❌', '422 via primary, 422 via fallback'],
        ['Directory', '❌', '422 via primary, 422 via fallback'],
      ]),
    ]);
    expect(table(r.text, 'auth')).toBe(
      [
        '| Token Type | Works | Observed | Notes |',
        '|------------|-------|----------|-------|',
        '| Staff | ✅ | 422 via primary, 200 via fallback | Requires staff to be associated with a business |',
        '| App | ❌ | 422 via primary, 422 via fallback | May fail via apigw, use fallback |',
        '| Directory | ❌ | 422 via primary, 422 via fallback | May fail via apigw, use fallback |',
      ].join('\n'),
    );
    expect(maskOwnedTables(r.text)).toBe(maskOwnedTables(adopted));
    expect(r.text).not.toBe(adopted);
    // Applying the same observation again changes nothing.
    expect(applyObservedTables(r.text, [auth([['Staff', '✅', '422 via primary, 200 via fallback'], ['App', '❌', '422 via primary, 422 via fallback'], ['Directory', '❌', '422 via primary, 422 via fallback']])]).text).toBe(r.text);
  });

  it('marks rows it did not observe, unmarks them when seen again, deletes them only with prune, and leaves unknown rows alone', () => {
    const marked = applyObservedTables(adopted, [auth([['Staff', '✅', '200 via fallback']], ['directory'])]).text;
    const rows = table(marked, 'auth').split('\n').slice(2);
    expect(rows[1]).toBe('| App (not observed) | ⚠️ |  | May fail via apigw, use fallback |');
    expect(rows[2]).toBe('| Directory | ⚠️ |  | May fail via apigw, use fallback |');
    const again = applyObservedTables(marked, [auth([['Staff', '✅', '200 via fallback'], ['app', '✅', '200 via fallback']])]).text;
    expect(table(again, 'auth')).toContain('| App | ✅ | 200 via fallback | May fail via apigw, use fallback |');
    const pruned = applyObservedTables(adopted, [auth([['Staff', '✅', '200 via fallback']])], { prune: true }).text;
    expect(table(pruned, 'auth').split('\n')).toHaveLength(3);
  });

  it('fills a Meaning cell only in new rows and keeps the person\'s wording', () => {
    const r = applyObservedTables(adopted, [
      { kind: 'responses', rows: [{ key: '200', cells: { meaning: 'OK', observed: '`get_client`' } }, { key: '404', cells: { meaning: 'Not Found', observed: '`x`' } }] },
    ]).text;
    expect(table(r, 'responses').split('\n')).toEqual([
      '| Status | Meaning | Observed |',
      '|--------|---------|----------|',
      '| 200 | Success - Conversations retrieved | `get_client` |',
      '| 422 (not observed) | Unprocessable Entity - Upstream error (includes Unauthorized) |  |',
      '| 404 | Not Found | `x` |',
    ]);
  });

  it('follows an aligned table\'s padding and keeps an unchanged table byte for byte', () => {
    const text = [
      '<!-- endpoint-verify:auth -->',
      '| Token Type | Works | Observed         | Notes |',
      '| :--------- | ----- | ---------------- | ----- |',
      '| Staff      | ✅    | 200 via primary  | x     |',
      '| Directory  | ⚠️    | 200 via fallback | y     |',
      '<!-- /endpoint-verify:auth -->',
      '',
    ].join('\n');
    const same = [auth([['Staff', '✅', '200 via primary'], ['Directory', '⚠️', '200 via fallback']])];
    expect(applyObservedTables(text, same).text).toBe(text);
    const changed = applyObservedTables(text, [auth([['Staff', '✅', '200 via primary'], ['Directory', '⚠️', '200 via fallback'], ['App', '❌', '401 via primary, 401 via fallback']])]).text;
    expect(table(changed, 'auth').split('\n')).toEqual([
      '| Token Type | Works | Observed                          | Notes |',
      '| :--------- | ----- | --------------------------------- | ----- |',
      '| Staff      | ✅    | 200 via primary                   | x     |',
      '| Directory  | ⚠️    | 200 via fallback                  | y     |',
      '| App        | ❌    | 401 via primary, 401 via fallback |       |',
    ]);
  });

  it('fills empty markers with a new table in the file\'s line breaks', () => {
    const text = '# T\r\n\r\n<!-- endpoint-verify:responses -->\r\n<!-- /endpoint-verify:responses -->\r\n';
    const r = applyObservedTables(text, [{ kind: 'responses', rows: [{ key: '200', cells: { meaning: 'OK', observed: '`a`' } }] }]);
    expect(r.text).toBe('# T\r\n\r\n<!-- endpoint-verify:responses -->\r\n| Status | Meaning | Observed |\r\n|--------|---------|----------|\r\n| 200 | OK | `a` |\r\n<!-- /endpoint-verify:responses -->\r\n');
    expect(r.changes[0]).toMatchObject({ kind: 'responses', line: 3, before: '' });
  });

  it('ignores markers in code blocks and reports markers that do not pair up', () => {
    const text = ['```md', '<!-- endpoint-verify:auth -->', '```', '', '<!-- endpoint-verify:auth -->', '| Token Type | Works |', '|---|---|', '', '<!-- endpoint-verify:nope -->', '<!-- /endpoint-verify:nope -->', ''].join('\n');
    const found = findOwnedTables(text);
    expect(found.regions).toEqual([]);
    expect(found.problems.map((p) => p.line)).toEqual([5, 9]);
    expect(found.problems[0]?.message).toMatch(/no closing/);
    expect(found.problems[1]?.message).toMatch(/unknown owned table kind "nope"/);
    expect(applyObservedTables(text, [auth([['Staff', '✅', '200']])]).text).toBe(text);
  });
});

describe('owned tables in the write-back', () => {
  const adopted = adoptTables(SEED).text;
  const observed = [auth([['Staff', '✅', '422 via primary, 200 via fallback'], ['App', '❌', '422 via primary, 422 via fallback'], ['Directory', '❌', '422 via primary, 422 via fallback']])];

  it('writes the verdict and the tables in one write, and keeps a Notes cell a person edited during the run', async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { writeBack } = await import('../../src/specfile/write-back.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'ev-owned-'));
    try {
      const file = path.join(dir, 'spec.md');
      // The run read `adopted`; meanwhile a person rewrote App's note.
      const edited = adopted.replace('| App | ⚠️ | May fail via apigw, use fallback |', '| App | ⚠️ | Ask the platform team |');
      await writeFile(file, edited);
      const r = await writeBack({
        file,
        originalBytes: Buffer.from(adopted),
        roots: [dir],
        changes: { status: 'verified', timesReusedDelta: 1 },
        editText: (t) => ({ text: applyObservedTables(t, observed).text }),
        maskTables: maskOwnedTables,
      });
      expect(r.outcome).toBe('written');
      const now = await readFile(file, 'utf8');
      expect(table(now, 'auth')).toContain('| App | ❌ | 422 via primary, 422 via fallback | Ask the platform team |');
      expect(now).toContain('timesReused: 1');

      // An edit outside the tables during the run is a conflict: nothing written.
      await writeFile(file, adopted.replace('## Notes', '## Notes (edited)'));
      const c = await writeBack({ file, originalBytes: Buffer.from(adopted), roots: [dir], changes: { status: 'failing' }, editText: (t) => ({ text: applyObservedTables(t, observed).text }), maskTables: maskOwnedTables });
      expect(c.outcome).toBe('conflict');
      expect(await readFile(file, 'utf8')).toBe(adopted.replace('## Notes', '## Notes (edited)'));

      // Without the table masker (a run that is not a docs run), an edit inside a table is a
      // conflict too: the person's edit is kept, never lost.
      await writeFile(file, edited);
      const plain = await writeBack({ file, originalBytes: Buffer.from(adopted), roots: [dir], changes: { status: 'verified', timesReusedDelta: 1 } });
      expect(plain.outcome).toBe('conflict');
      expect(await readFile(file, 'utf8')).toBe(edited);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
