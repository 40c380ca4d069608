/** Pieces several pages share: severity, advisory tables, the search form, pagination. */
import type { Severity } from '../../advisory/index.js';
import { advisoryPath, distributionPath, type AdvisoryGroup } from './data.js';
import { html, type Html } from './html.js';

export function severityLabel(s: Severity | null): Html {
  return s ? html`<span class="sev sev-${s}">${s}</span>` : html`<span class="muted">not rated</span>`;
}

export function dateOf(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">unknown</span>`;
  return html`<time datetime="${iso}">${iso.slice(0, 10)}</time>`;
}

function distributionLinks(names: string[]): Html {
  return html`${names.map((n, i) => html`${i ? ', ' : ''}<a href="${distributionPath(n)}">${n}</a>`)}`;
}

export function advisoryTable(groups: AdvisoryGroup[], caption: string, options: { distribution?: boolean } = {}): Html {
  const showDist = options.distribution ?? true;
  if (!groups.length) return html`<p>No advisories.</p>`;
  return html`<table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Advisory</th>${showDist ? html`<th scope="col">Distribution</th>` : ''}<th scope="col">Severity</th><th scope="col">Reported</th><th scope="col">Summary</th></tr></thead>
<tbody>
${groups.map(
  (g) => html`<tr><th scope="row"><a href="${advisoryPath(g.id)}" class="mono">${g.id}</a>${g.aliases.filter((a) => a.startsWith('CVE-')).map((a) => html`<br><span class="muted mono">${a}</span>`)}</th>${showDist ? html`<td>${distributionLinks(g.distributions)}</td>` : ''}<td>${severityLabel(g.severity)}</td><td>${dateOf(g.reported)}</td><td>${g.summary}</td></tr>\n`,
)}
</tbody>
</table>`;
}

export const SEARCH_KINDS: [string, string][] = [
  ['any', 'Anything'],
  ['distribution', 'Distribution'],
  ['module', 'Module'],
  ['cve', 'CVE or GHSA id'],
  ['id', 'Advisory id'],
  ['text', 'Free text'],
];

export function searchForm(q = '', kind = 'any', headingId?: string): Html {
  return html`<form class="search" role="search" action="/search" method="get"${headingId ? html` aria-labelledby="${headingId}"` : html` aria-label="Search advisories"`}>
<div class="field"><label for="q">Search for</label><input type="search" id="q" name="q" value="${q}" placeholder="Mojolicious, Mojo::DOM, CVE-2024-58134 …" maxlength="200"></div>
<div class="field"><label for="kind">Search in</label><select id="kind" name="kind">${SEARCH_KINDS.map(([v, l]) => html`<option value="${v}"${v === kind ? html` selected` : ''}>${l}</option>`)}</select></div>
<button type="submit">Search</button>
</form>`;
}

/** Page numbers to show: the first, the last, and two either side of the current one. */
function pageNumbers(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 2) out.push(p);
    else if (out.at(-1) !== null) out.push(null); // a gap
  }
  return out;
}

/**
 * Previous, numbered and next page links. `extra` is the rest of the query, already encoded,
 * starting with "&" ("&severity=high").
 */
export function pager(path: string, page: number, pages: number, extra = ''): Html {
  if (pages <= 1) return html``;
  const href = (p: number) => (p === 1 ? (extra ? `${path}?${extra.slice(1)}` : path) : `${path}?page=${p}${extra}`);
  return html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">Previous page</a>` : ''}
<ol>${pageNumbers(page, pages).map((p) =>
    p === null
      ? html`<li aria-hidden="true">…</li>`
      : p === page
        ? html`<li><a href="${href(p)}" aria-current="page" aria-label="Page ${p}, current">${p}</a></li>`
        : html`<li><a href="${href(p)}" aria-label="Page ${p}">${p}</a></li>`,
  )}</ol>
${page < pages ? html`<a href="${href(page + 1)}" rel="next">Next page</a>` : ''}
</nav>`;
}
