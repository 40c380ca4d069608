import { advisoryTable, searchForm } from '../components.js';
import type { SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

const LATEST = 25;

export function renderHome(data: SiteData): string {
  const groups = data.groups;
  const distributions = data.distributions;
  return page({
    title: data.info.title,
    info: data.info,
    path: '/',
    description: 'Security advisories for CPAN distributions: search, feeds, OSV-compatible API.',
    body: html`<h1>${data.info.title}</h1>
<p>${groups.length} advisories for ${distributions.length} CPAN distributions.
Check a project with <code>cpansec audit</code>, query the <a href="/api">OSV-compatible API</a>, or follow the <a href="/feed.atom">Atom</a> or <a href="/feed.rss">RSS</a> feed.</p>
<h2 id="search-heading">Search</h2>
${searchForm('', 'any', 'search-heading')}
<h2>Latest advisories</h2>
${advisoryTable(groups.slice(0, LATEST), `The ${Math.min(LATEST, groups.length)} most recently reported advisories`)}
<p><a href="/advisories">All advisories</a></p>`,
  });
}
