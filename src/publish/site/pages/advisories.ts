import { advisoryTable, pager } from '../components.js';
import type { SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

const PAGE_SIZE = 100;

export function advisoryPages(data: SiteData): number {
  return Math.max(1, Math.ceil(data.groups.length / PAGE_SIZE));
}

/** All advisories, newest first, a page at a time; undefined for a page out of range. */
export function renderAdvisories(data: SiteData, pageNumber = 1): string | undefined {
  const pages = advisoryPages(data);
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pages) return undefined;
  const slice = data.groups.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE);
  return page({
    title: pageNumber > 1 ? `All advisories, page ${pageNumber}` : 'All advisories',
    info: data.info,
    path: pageNumber > 1 ? `/advisories?page=${pageNumber}` : '/advisories',
    body: html`<h1>All advisories</h1>
<p>${data.groups.length} advisories, most recently reported first.</p>
${pager('/advisories', pageNumber, pages)}
${advisoryTable(slice, `Advisories ${(pageNumber - 1) * PAGE_SIZE + 1} to ${(pageNumber - 1) * PAGE_SIZE + slice.length}`)}
${pager('/advisories', pageNumber, pages)}`,
  });
}
