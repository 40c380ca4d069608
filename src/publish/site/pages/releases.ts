/** Every listed release of a distribution with the advisories affecting it, a page at a time. */
import { dateOf, pager } from '../components.js';
import { advisoryPath, distributionPath, type SiteData } from '../data.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { releaseStatuses, type ReleaseStatus } from '../releases.js';

export const RELEASES_PAGE_SIZE = 100;
/**
 * Bytes of advisory links on one page at most (a link is its id twice and ~30 bytes of markup):
 * old perl releases are affected by a hundred advisories each, and a page stays under 100 kB.
 */
const LINK_BYTES_PER_PAGE = 64_000;
const linkBytes = (r: ReleaseStatus) => (r.ids ?? []).reduce((n, id) => n + 2 * id.length + 30, 0);

export const releasesPath = (name: string) => `${distributionPath(name)}/releases`;

/** Where each page starts in the newest-first list: at most RELEASES_PAGE_SIZE releases and LINK_BYTES_PER_PAGE of links a page. */
export function releasePageStarts(newestFirst: ReleaseStatus[]): number[] {
  const starts = [0];
  let releases = 0;
  let links = 0;
  newestFirst.forEach((r, i) => {
    const n = linkBytes(r);
    if (releases > 0 && (releases === RELEASES_PAGE_SIZE || links + n > LINK_BYTES_PER_PAGE)) {
      starts.push(i);
      releases = 0;
      links = 0;
    }
    releases++;
    links += n;
  });
  return starts;
}

export function releasePages(statuses: ReleaseStatus[]): number {
  return releasePageStarts([...statuses].reverse()).length;
}

/** One page of a distribution's releases, newest first; undefined for no such distribution or page. */
export function renderReleases(data: SiteData, name: string, pageNumber = 1): string | undefined {
  const record = data.index.distribution(name);
  if (!record || !record.advisories.length) return undefined;
  const all = [...releaseStatuses(data, name)].reverse();
  const starts = releasePageStarts(all);
  const pages = starts.length;
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pages) return undefined;
  const from = starts[pageNumber - 1]!;
  const slice = all.slice(from, starts[pageNumber] ?? all.length);
  const path = releasesPath(name);
  return page({
    title: pageNumber > 1 ? `Releases of ${name}, page ${pageNumber}` : `Releases of ${name}`,
    info: data.info,
    path: pageNumber > 1 ? `${path}?page=${pageNumber}` : path,
    description: `Every listed release of the CPAN distribution ${name} and the security advisories affecting it.`,
    body: html`<h1>Releases of ${name}</h1>
<p>${all.length} release${all.length === 1 ? '' : 's'} listed, newest first. <a href="${distributionPath(name)}">${name}: advisories and summary</a>.</p>
${pager(path, pageNumber, pages)}
${all.length
  ? html`<table>
<caption>Releases ${from + 1} to ${from + slice.length} of ${name}, newest first</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Date</th><th scope="col">Status</th></tr></thead>
<tbody>${slice.map(
      (r) => html`<tr><th scope="row"><code>${r.version}</code></th><td>${dateOf(r.date)}</td><td class="ids">${
        r.ids === undefined
          ? html`<span class="muted">version not readable</span>`
          : r.ids.length
            ? html`Affected by ${r.ids.map((id, i) => html`${i ? ', ' : ''}<a href="${advisoryPath(id)}">${id}</a>`)}`
            : 'No known advisory'
      }</td></tr>\n`,
    )}</tbody>
</table>`
  : html`<p>The database lists no releases of ${name}.</p>`}
${pager(path, pageNumber, pages)}`,
  });
}
