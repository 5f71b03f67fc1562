import { Agent, request } from 'undici';

/**
 * The baseline every ratio is measured against: what a hand-written undici 7
 * script does for the same workflows (keep-alive, JSON parse, extract an id,
 * get by id), with no spec files, templating or reporting.
 * Usage: node baseline.js <baseUrl> <workflows> <concurrency>
 */
const [base, n = '1', c = '1'] = process.argv.slice(2);
if (!base) {
  process.stderr.write('usage: baseline <baseUrl> <workflows> <concurrency>\n');
  process.exit(2);
}
const workflows = Number(n);
const concurrency = Number(c);
const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
const headers = { authorization: 'Bearer bench-token', accept: 'application/json' };

async function workflow(i: number): Promise<void> {
  const list = await request(`${base}/items?page=${i}&per_page=3`, { dispatcher, headers });
  const body = (await list.body.json()) as { data: { id: string }[] };
  if (list.statusCode !== 200) throw new Error(`list ${list.statusCode}`);
  const id = body.data[0]?.id;
  if (!id) throw new Error('no id');
  const item = await request(`${base}/items/${encodeURIComponent(id)}`, { dispatcher, headers });
  await item.body.json();
  if (item.statusCode !== 200) throw new Error(`get ${item.statusCode}`);
}

let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < workflows) {
      const i = next++;
      await workflow(i).catch(() => failed++);
    }
  }),
);
await dispatcher.close();
process.stdout.write(`${workflows - failed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
