/** One distribution: its advisories with affected and fixed ranges, and every listed release's status. */
import { dateOf, severityLabel } from '../components.js';
import { advisoryPath, distributionPath, type SiteData } from '../data.js';
import { releaseRuns, releaseStatuses, type ReleaseRun, type ReleaseStatus } from '../releases.js';
import { releasePages, releasesPath } from './releases.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';

function rangeList(list: string[]): Html {
  return list.length ? html`${list.map((r, i) => html`${i ? html`<br>` : ''}<code>${r}</code>`)}` : html`<span class="muted">none</span>`;
}

function version(r: ReleaseStatus): Html {
  return html`<code>${r.version}</code>`;
}

function runRow(run: ReleaseRun): Html {
  const span = run.count === 1 ? version(run.first) : html`${version(run.first)} to ${version(run.last)}`;
  const status =
    run.kind === 'unreadable'
      ? html`<span class="muted">versions not readable</span>`
      : run.kind === 'clean'
        ? 'No known advisory'
        : html`Affected by ${run.min === run.max ? run.max : `${run.min} to ${run.max}`} known advisor${run.max === 1 ? 'y' : 'ies'} each (${run.advisories} in all)`;
  return html`<tr><th scope="row">${span}</th><td class="num">${run.count}</td><td>${dateOf(run.first.date)}${run.count > 1 ? html` to ${dateOf(run.last.date)}` : ''}</td><td>${status}</td></tr>\n`;
}

/** The releases summarised as runs of affected and clean releases, newest first, and a link to them all. */
function releaseSummary(data: SiteData, name: string): Html {
  const statuses = releaseStatuses(data, name);
  if (!statuses.length) return html`<p>The database lists no releases of ${name}.</p>`;
  const runs = releaseRuns(statuses).reverse();
  const pages = releasePages(statuses);
  return html`<p>${statuses.length} release${statuses.length === 1 ? '' : 's'} listed. <a href="${releasesPath(name)}">Every release with the advisories affecting it</a>${pages > 1 ? ` (${pages} pages)` : ''}.</p>
<table>
<caption>Releases of ${name} by range, newest first</caption>
<thead><tr><th scope="col">Releases</th><th scope="col" class="num">Count</th><th scope="col">Dates</th><th scope="col">Status</th></tr></thead>
<tbody>${runs.map(runRow)}</tbody>
</table>`;
}

export function renderDistribution(data: SiteData, name: string): string | undefined {
  const record = data.index.distribution(name);
  if (!record || !record.advisories.length) return undefined;
  const groups = data.groupsOf(name);
  const unfixed = new Set(data.index.unfixedAdvisories(name).map((a) => a.id));
  const fix = data.index.lowestUnaffectedRelease(name);
  const feed = `${distributionPath(name)}/feed`;
  return page({
    title: name,
    info: data.info,
    path: distributionPath(name),
    description: `Security advisories for the CPAN distribution ${name}.`,
    feeds: { atom: `${feed}.atom`, rss: `${feed}.rss`, title: `${data.info.title}: ${name}` },
    body: html`<h1>${name}</h1>
<dl class="facts">
${record.mainModule ? html`<dt>Main module</dt><dd><code>${record.mainModule}</code></dd>` : ''}
<dt>Advisories</dt><dd>${groups.length}${unfixed.size ? html`, of which ${unfixed.size} still affect${unfixed.size === 1 ? 's' : ''} the newest listed stable release` : ''}</dd>
<dt>Lowest release no known advisory affects</dt><dd>${fix ? html`<code>${fix}</code>` : html`<span class="muted">none listed</span>`}</dd>
<dt>On MetaCPAN</dt><dd><a href="https://metacpan.org/dist/${encodeURIComponent(name)}">metacpan.org/dist/${name}</a></dd>
<dt>Feeds</dt><dd><a href="${feed}.atom">Atom</a>, <a href="${feed}.rss">RSS</a></dd>
</dl>
<h2>Advisories</h2>
<table>
<caption>Advisories for ${name}, newest first, with the versions each affects and fixes</caption>
<thead><tr><th scope="col">Advisory</th><th scope="col">Severity</th><th scope="col">Reported</th><th scope="col">Affected versions</th><th scope="col">Fixed versions</th><th scope="col">Summary</th></tr></thead>
<tbody>
${groups.map((g) => {
  const mine = g.entries.filter((e) => e.distribution === name);
  return html`<tr><th scope="row"><a href="${advisoryPath(g.id)}" class="mono">${g.id}</a>${unfixed.has(g.id) ? html`<br><span class="badge sev-high">unfixed</span>` : ''}</th><td>${severityLabel(g.severity)}</td><td>${dateOf(g.reported)}</td><td>${rangeList(mine.flatMap((e) => e.affectedVersions))}</td><td>${rangeList([...new Set(mine.flatMap((e) => e.fixedVersions))])}</td><td>${g.summary}</td></tr>\n`;
})}
</tbody>
</table>
<h2>Releases</h2>
${releaseSummary(data, name)}`,
  });
}
