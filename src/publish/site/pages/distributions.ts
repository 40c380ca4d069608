import type { SiteData } from '../data.js';
import { distributionPath } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';

export function renderDistributions(data: SiteData): string {
  const list = data.distributions;
  return page({
    title: 'Distributions',
    info: data.info,
    path: '/distributions',
    body: html`<h1>Distributions with advisories</h1>
<p>${list.length} distributions. “Unfixed” counts the advisories that still affect the newest stable release the database lists.</p>
<table>
<caption>Distributions, by name</caption>
<thead><tr><th scope="col">Distribution</th><th scope="col" class="num">Advisories</th><th scope="col" class="num">Unfixed</th><th scope="col">Newest listed release</th></tr></thead>
<tbody>
${list.map((d) => html`<tr><th scope="row"><a href="${distributionPath(d.name)}">${d.name}</a></th><td class="num">${d.advisories}</td><td class="num">${d.unfixed}</td><td>${d.latest ? html`<code>${d.latest}</code>` : html`<span class="muted">none listed</span>`}</td></tr>\n`)}
</tbody>
</table>`,
  });
}
