/** All advisories a page at a time, with filters (distribution, severity, year, fix) and sorting. */
import { SEVERITIES } from '../../../advisory/index.js';
import { advisoryTable, pager } from '../components.js';
import type { AdvisoryGroup, SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

const PAGE_SIZE = 100;

export const SORTS = {
  newest: 'Newest report first',
  oldest: 'Oldest report first',
  severity: 'Most severe first',
  id: 'By advisory id',
} as const;
export type SortOrder = keyof typeof SORTS;

export interface AdvisoryQuery {
  distribution?: string;
  /** a severity, or "unrated" */
  severity?: string;
  /** YYYY, or "unknown" */
  year?: string;
  /** "yes": fixed in a listed release; "no": still affects the newest release */
  fix?: 'yes' | 'no';
  sort: SortOrder;
  page: number;
}

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** The query string as a filter; values no form offers are dropped (a hand-typed URL still shows a page). */
export function parseAdvisoryQuery(q: Record<string, unknown>): AdvisoryQuery {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : '');
  const out: AdvisoryQuery = { sort: 'newest', page: q.page === undefined ? 1 : Number(s('page')) };
  const d = s('distribution');
  if (d && d.length <= 200) out.distribution = d;
  const sev = s('severity').toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(sev) || sev === 'unrated') out.severity = sev;
  const year = s('year');
  if (/^\d{4}$/.test(year) || year === 'unknown') out.year = year;
  const fix = s('fix');
  if (fix === 'yes' || fix === 'no') out.fix = fix;
  const sort = s('sort');
  if (sort in SORTS) out.sort = sort as SortOrder;
  return out;
}

/** The query's filters (and sort) encoded, "&…", page left out; also the page cache key. */
export function advisoryQueryString(q: AdvisoryQuery): string {
  const parts: string[] = [];
  for (const k of ['distribution', 'severity', 'year', 'fix'] as const) if (q[k]) parts.push(`${k}=${encodeURIComponent(q[k]!)}`);
  if (q.sort !== 'newest') parts.push(`sort=${q.sort}`);
  return parts.map((p) => `&${p}`).join('');
}

function filtered(data: SiteData, q: AdvisoryQuery): AdvisoryGroup[] {
  const dist = q.distribution?.toLowerCase();
  const unfixed = data.unfixedIds;
  let list = data.groups.filter(
    (g) =>
      (!dist || g.distributions.some((d) => d.toLowerCase() === dist)) &&
      (!q.severity || (q.severity === 'unrated' ? g.severity === null : g.severity === q.severity)) &&
      (!q.year || (q.year === 'unknown' ? !g.reported : g.reported?.startsWith(q.year))) &&
      (!q.fix || (q.fix === 'yes') !== unfixed.has(g.id)),
  );
  // data.groups is newest first, undated last
  if (q.sort === 'oldest') list = [...list.filter((g) => g.reported).reverse(), ...list.filter((g) => !g.reported)];
  else if (q.sort === 'severity') list = [...list].sort((a, b) => (RANK[b.severity ?? ''] ?? 0) - (RANK[a.severity ?? ''] ?? 0));
  else if (q.sort === 'id') list = [...list].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return list;
}

export function advisoryPages(data: SiteData, q?: AdvisoryQuery): number {
  return Math.max(1, Math.ceil((q ? filtered(data, q) : data.groups).length / PAGE_SIZE));
}

function years(data: SiteData): string[] {
  return [...new Set(data.groups.map((g) => g.reported?.slice(0, 4)).filter((y): y is string => !!y))].sort().reverse();
}

const option = (value: string, label: string, current: string | undefined) =>
  html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;

function filterForm(data: SiteData, q: AdvisoryQuery) {
  return html`<form class="filters" action="/advisories" method="get" aria-label="Filter and sort the advisories">
<div class="field"><label for="f-distribution">Distribution</label><input type="text" id="f-distribution" name="distribution" value="${q.distribution ?? ''}" maxlength="200" autocomplete="off"></div>
<div class="field"><label for="f-severity">Severity</label><select id="f-severity" name="severity">${option('', 'Any', q.severity)}${SEVERITIES.map((s) => option(s, s[0]!.toUpperCase() + s.slice(1), q.severity))}${option('unrated', 'Not rated', q.severity)}</select></div>
<div class="field"><label for="f-year">Reported in</label><select id="f-year" name="year">${option('', 'Any year', q.year)}${years(data).map((y) => option(y, y, q.year))}${option('unknown', 'Unknown', q.year)}</select></div>
<div class="field"><label for="f-fix">Fixed release</label><select id="f-fix" name="fix">${option('', 'Any', q.fix)}${option('yes', 'Fixed in a release', q.fix)}${option('no', 'Not fixed in the newest release', q.fix)}</select></div>
<div class="field"><label for="f-sort">Sort</label><select id="f-sort" name="sort">${Object.entries(SORTS).map(([k, l]) => option(k, l, q.sort))}</select></div>
<button type="submit">Show</button>
</form>`;
}

/** One page of the advisories the query selects; undefined for a page out of range. */
export function renderAdvisories(data: SiteData, query: AdvisoryQuery | number = 1): string | undefined {
  const q: AdvisoryQuery = typeof query === 'number' ? { sort: 'newest', page: query } : query;
  const list = filtered(data, q);
  const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
  const n = q.page;
  if (!Number.isInteger(n) || n < 1 || n > pages) return undefined;
  const slice = list.slice((n - 1) * PAGE_SIZE, n * PAGE_SIZE);
  const extra = advisoryQueryString(q);
  const filteredBy = extra.replace(/&sort=[^&]*/, '') !== '';
  const self = n > 1 ? `/advisories?page=${n}${extra}` : extra ? `/advisories?${extra.slice(1)}` : '/advisories';
  return page({
    title: `${filteredBy ? 'Advisories, filtered' : 'All advisories'}${n > 1 ? `, page ${n}` : ''}`,
    info: data.info,
    path: self,
    body: html`<h1>All advisories</h1>
${filterForm(data, q)}
<p role="status">${filteredBy ? `${list.length} of ${data.groups.length} advisories match` : `${data.groups.length} advisories`}; ${SORTS[q.sort].toLowerCase()}${q.sort === 'newest' || q.sort === 'oldest' ? ', undated last' : ''}.${filteredBy ? html` <a href="/advisories">Show all</a>` : ''}</p>
${pager('/advisories', n, pages, extra)}
${slice.length ? advisoryTable(slice, `Advisories ${(n - 1) * PAGE_SIZE + 1} to ${(n - 1) * PAGE_SIZE + slice.length}`) : html`<p>No advisory matches.</p>`}
${pager('/advisories', n, pages, extra)}`,
  });
}
