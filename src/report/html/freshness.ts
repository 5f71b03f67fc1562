import { escapeHtml, text } from './escape.js';

/** One spec's freshness, from front-matter or from a run. */
export interface FreshnessRow {
  file: string;
  endpoint: string;
  domain?: string;
  status: string;
  /** ISO time of the last successful verification; absent when never verified. */
  verifiedAt?: string;
}

/**
 * Exclusive age buckets so they stack into one bar: "week" is older than a
 * day and at most 7 days, and so on. "Verified within 7 days" is day + week.
 */
export const BUCKETS = ['day', 'week', 'month', 'older', 'never'] as const;
export type Bucket = (typeof BUCKETS)[number];
export type BucketCounts = Record<Bucket, number>;

export const BUCKET_LABEL: Record<Bucket, string> = {
  day: 'within 1 day',
  week: '1 to 7 days',
  month: '7 to 30 days',
  older: 'over 30 days',
  never: 'never verified',
};

export const NO_DOMAIN = '(no domain)';

export interface FreshnessSummary {
  all: BucketCounts;
  /** One entry per domain, sorted by name, specs without a domain last. */
  domains: { domain: string; counts: BucketCounts }[];
}

const DAY = 86_400_000;

export function emptyCounts(): BucketCounts {
  return { day: 0, week: 0, month: 0, older: 0, never: 0 };
}

/** Which bucket a verification time falls in; an unreadable time counts as never. */
export function bucketOf(verifiedAt: string | undefined, now: number): Bucket {
  if (verifiedAt === undefined) return 'never';
  const at = Date.parse(verifiedAt);
  if (Number.isNaN(at)) return 'never';
  // A time slightly ahead of this clock (another machine's) is as fresh as it gets.
  const age = Math.max(0, now - at);
  if (age <= DAY) return 'day';
  if (age <= 7 * DAY) return 'week';
  if (age <= 30 * DAY) return 'month';
  return 'older';
}

export function freshnessBuckets(rows: readonly FreshnessRow[], now: Date | number): FreshnessSummary {
  const t = typeof now === 'number' ? now : now.getTime();
  const all = emptyCounts();
  const byDomain = new Map<string, BucketCounts>();
  for (const row of rows) {
    const b = bucketOf(row.verifiedAt, t);
    all[b]++;
    const domain = row.domain?.trim() ? row.domain : NO_DOMAIN;
    let counts = byDomain.get(domain);
    if (!counts) byDomain.set(domain, (counts = emptyCounts()));
    counts[b]++;
  }
  const domains = [...byDomain.entries()]
    .sort(([a], [b]) => Number(a === NO_DOMAIN) - Number(b === NO_DOMAIN) || a.localeCompare(b))
    .map(([domain, counts]) => ({ domain, counts }));
  return { all, domains };
}

function total(c: BucketCounts): number {
  return BUCKETS.reduce((n, b) => n + c[b], 0);
}

const LABEL_W = 190;
const BAR_W = 420;
const ROW_H = 26;
const BAR_H = 18;

/**
 * A stacked horizontal bar per domain (and one for all specs), each bar the
 * domain's share of specs per bucket. Plain SVG: no script, colours from CSS classes.
 */
export function freshnessChartSvg(summary: FreshnessSummary): string {
  const rows = [{ domain: 'all specs', counts: summary.all, all: true }, ...summary.domains.map((d) => ({ ...d, all: false }))];
  const width = LABEL_W + BAR_W + 60;
  const height = rows.length * ROW_H + 8;
  const out: string[] = [
    `<svg class="fresh-chart" role="img" aria-labelledby="fresh-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    '<title id="fresh-title">Specs by time since their last verification, per domain</title>',
  ];
  rows.forEach((row, i) => {
    const y = 4 + i * ROW_H;
    const n = total(row.counts);
    const name = row.domain.length > 28 ? `${row.domain.slice(0, 27)}…` : row.domain;
    out.push(`<g class="fresh-row${row.all ? ' fresh-all' : ''}">`);
    out.push(`<text class="fresh-label" x="${LABEL_W - 8}" y="${y + BAR_H - 5}" text-anchor="end">${text(name)}</text>`);
    let x = LABEL_W;
    for (const b of BUCKETS) {
      const count = row.counts[b];
      if (count === 0 || n === 0) continue;
      const w = (count / n) * BAR_W;
      out.push(
        `<rect class="b-${b}" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}"><title>${text(row.domain)}: ${count} ${escapeHtml(BUCKET_LABEL[b])}</title></rect>`,
      );
      // Counts inside a segment only where they fit.
      if (w >= 22) out.push(`<text class="seg-count" x="${(x + w / 2).toFixed(2)}" y="${y + BAR_H - 5}" text-anchor="middle">${count}</text>`);
      x += w;
    }
    out.push(`<text class="fresh-total" x="${LABEL_W + BAR_W + 8}" y="${y + BAR_H - 5}">${n}</text>`, '</g>');
  });
  out.push('</svg>');
  return out.join('');
}

/** Legend plus a table with the exact numbers (the chart is a picture; the table can be read and copied). */
export function freshnessSection(summary: FreshnessSummary, heading = 'Freshness'): string {
  const legend = BUCKETS.map((b) => `<li><span class="swatch b-${b}"></span>${escapeHtml(BUCKET_LABEL[b])}</li>`).join('');
  const head = `<tr><th scope="col">Domain</th>${BUCKETS.map((b) => `<th scope="col" class="n">${escapeHtml(BUCKET_LABEL[b])}</th>`).join('')}<th scope="col" class="n">Total</th></tr>`;
  const row = (name: string, c: BucketCounts, cls = ''): string =>
    `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${text(name)}</th>${BUCKETS.map((b) => `<td class="n b-cell-${b}">${c[b]}</td>`).join('')}<td class="n total">${total(c)}</td></tr>`;
  const within = (days: Bucket[]): number => days.reduce((n, b) => n + summary.all[b], 0);
  const facts = [
    `<strong>${within(['day'])}</strong> verified within 1 day`,
    `<strong>${within(['day', 'week'])}</strong> within 7 days`,
    `<strong>${within(['day', 'week', 'month'])}</strong> within 30 days`,
    `<strong>${summary.all.older}</strong> longer ago`,
    `<strong>${summary.all.never}</strong> never`,
  ].join(' · ');
  return [
    `<section id="freshness" class="card"><h2>${escapeHtml(heading)}</h2>`,
    `<p class="fresh-facts">${facts}</p>`,
    `<ul class="legend">${legend}</ul>`,
    freshnessChartSvg(summary),
    `<details class="fresh-numbers"><summary>Numbers by domain</summary><table class="grid"><thead>${head}</thead><tbody>`,
    row('all specs', summary.all, 'all'),
    ...summary.domains.map((d) => row(d.domain, d.counts)),
    '</tbody></table></details></section>',
  ].join('\n');
}
