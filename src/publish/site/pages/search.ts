import { advisoryTable, searchForm, SEARCH_KINDS } from '../components.js';
import { distributionPath, type SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { search, SEARCH_KIND_NAMES, type SearchKind } from '../search.js';

export function parseSearchKind(kind: unknown): SearchKind {
  return SEARCH_KIND_NAMES.includes(kind as SearchKind) ? (kind as SearchKind) : 'any';
}

export function renderSearch(data: SiteData, query: string, kind: SearchKind): string {
  const r = search(data, query, kind);
  const label = SEARCH_KINDS.find(([k]) => k === kind)?.[1] ?? 'Anything';
  const found = r.distributions.length + r.advisories.length;
  return page({
    title: r.query ? `Search: ${r.query}` : 'Search',
    info: data.info,
    path: '/search',
    body: html`<h1>Search</h1>
${searchForm(r.query, kind)}
${r.query
  ? html`<p role="status">${found ? `${r.distributions.length} distribution${r.distributions.length === 1 ? '' : 's'} and ${r.advisories.length}${r.truncated ? '+' : ''} advisor${r.advisories.length === 1 ? 'y' : 'ies'}` : 'Nothing'} found for “${r.query}” (${label.toLowerCase()}).</p>
${r.distributions.length
  ? html`<h2>Distributions</h2><ul>${r.distributions.map((d) => html`<li><a href="${distributionPath(d.name)}">${d.name}</a>${d.module ? html` (contains <code>${d.module}</code>)` : ''}</li>`)}</ul>`
  : ''}
${r.advisories.length ? html`<h2>Advisories</h2>${advisoryTable(r.advisories, `Advisories matching “${r.query}”`)}` : ''}
${r.truncated ? html`<p>Only the first ${r.advisories.length} advisories are listed; narrow the search.</p>` : ''}`
  : html`<p>Search by distribution (<code>Mojolicious</code>), module (<code>Mojo::DOM</code>), CVE (<code>CVE-2024-58134</code>), advisory id, or any words of the description.</p>`}`,
  });
}
