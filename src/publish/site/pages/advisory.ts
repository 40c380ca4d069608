/** One advisory id: its summary, aliases, severity, and each affected distribution with its ranges. */
import type { Advisory } from '../../../advisory/index.js';
import { osvIdOf } from '../../index.js';
import { dateOf, severityLabel } from '../components.js';
import { advisoryPath, distributionPath, severityOf, type AdvisoryGroup, type SiteData } from '../data.js';
import { html, safeUrl, type Html } from '../html.js';
import { page } from '../layout.js';

function aliasLink(alias: string): Html {
  if (/^CVE-\d+-\d+$/.test(alias)) return html`<a href="https://www.cve.org/CVERecord?id=${alias}" class="mono">${alias}</a>`;
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/.test(alias)) return html`<a href="https://github.com/advisories/${alias}" class="mono">${alias}</a>`;
  return html`<span class="mono">${alias}</span>`;
}

function ranges(list: string[]): Html {
  return list.length ? html`${list.map((r, i) => html`${i ? html` <em>or</em> ` : ''}<code>${r}</code>`)}` : html`<span class="muted">none listed</span>`;
}

function versions(list: string[]): Html {
  if (!list.length) return html`<span class="muted">none of the listed releases</span>`;
  const head = list.length === 1 ? html`<code>${list[0]}</code>` : html`${list.length} releases, <code>${list[0]}</code> to <code>${list.at(-1)}</code>`;
  return list.length <= 3
    ? html`${list.map((v, i) => html`${i ? ', ' : ''}<code>${v}</code>`)}`
    : html`${head}<details><summary>All ${list.length} affected releases</summary><p class="mono versions">${list.join(', ')}</p></details>`;
}

function entry(data: SiteData, a: Advisory, n: number, of: number): Html {
  const record = data.index.distribution(a.distribution);
  // the release lists repeat a version uploaded twice: count and list it once
  const affected = [...new Set(data.index.affectedReleases(a))];
  const others = new Set(record?.advisories.filter((x) => x !== a) ?? []);
  const fix = affected.length ? data.index.lowestUnaffectedRelease(a.distribution, affected.at(-1), others) : undefined;
  const heading = of > 1 ? `${a.distribution} (range ${n} of ${of})` : a.distribution;
  return html`<section aria-labelledby="entry-${n}">
<h2 id="entry-${n}">Affected: <a href="${distributionPath(a.distribution)}">${heading}</a></h2>
<dl class="facts">
<dt>Affected versions</dt><dd>${ranges(a.affectedVersions)}</dd>
<dt>Fixed versions</dt><dd>${ranges(a.fixedVersions)}</dd>
<dt>Affected releases</dt><dd>${versions(affected)}</dd>
<dt>First release after them without this issue</dt><dd>${fix ? html`<code>${fix}</code>` : html`<span class="muted">none listed</span>`}</dd>
${a.embeddedVulnerability ? html`<dt>Embedded library</dt><dd>${a.embeddedVulnerability.name}${a.embeddedVulnerability.distributedVersion ? html` <code>${a.embeddedVulnerability.distributedVersion}</code>` : ''} (bundled in the distribution)</dd>` : ''}
</dl>
</section>`;
}

function cvss(g: AdvisoryGroup): Html {
  const scores = [...new Map(g.entries.flatMap((e) => e.cvss).map((c) => [c.vector, c])).values()];
  if (!scores.length) return html``;
  return html`<dt>CVSS</dt><dd>${scores.map((c, i) => html`${i ? html`<br>` : ''}<code>${c.vector}</code>${c.score !== undefined ? html` (base score ${c.score})` : ''}`)}</dd>`;
}

function cwes(g: AdvisoryGroup): Html {
  const ids = [...new Set(g.entries.flatMap((e) => e.cwes ?? []))];
  if (!ids.length) return html``;
  return html`<dt>Weakness${ids.length > 1 ? 'es' : ''}</dt><dd>${ids.map((c, i) => {
    const n = /^CWE-(\d+)$/.exec(c)?.[1];
    return html`${i ? ', ' : ''}${n ? html`<a href="https://cwe.mitre.org/data/definitions/${n}.html" class="mono">${c}</a>` : html`<span class="mono">${c}</span>`}`;
  })}</dd>`;
}

const CHANGE: Record<string, string> = {
  added: 'added to the database',
  changed: 'changed',
  removed: 'removed from the database',
  published: 'published here',
  withdrawn: 'withdrawn',
};

function history(data: SiteData, id: string): Html {
  const changes = data.history?.get(id) ?? [];
  if (!changes.length) return html``;
  return html`<h2>History</h2>
<table class="history"><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Distribution</th></tr></thead><tbody>
${changes.map((c) => html`<tr><td><time datetime="${c.at}">${c.at.slice(0, 16).replace('T', ' ')} UTC</time></td><td>${CHANGE[c.kind] ?? c.kind}${c.kind === 'withdrawn' && c.detail ? html`: ${c.detail}` : ''}</td><td>${c.distribution}</td></tr>`)}
</tbody></table>`;
}

export function renderAdvisory(data: SiteData, id: string): string | undefined {
  const g = data.group(id);
  if (!g) return undefined;
  const first = g.entries[0]!;
  const references = [...new Set(g.entries.flatMap((e) => e.references))];
  const descriptions = [...new Set(g.entries.map((e) => e.description.trim()))];
  const severity = g.entries.map(severityOf).find((s) => s) ?? null;
  const osvIds = [...new Set(g.entries.map((e) => osvIdOf(e, data.index)))];
  return page({
    // what it is about, for tabs, bookmarks and search results: id, distribution, summary
    title: `${g.id} (${g.distributions.join(', ')})${g.summary ? `: ${g.summary}` : ''}`,
    info: data.info,
    path: advisoryPath(g.id),
    description: g.summary,
    body: html`<h1><span class="mono">${g.id}</span>${first.withdrawn ? html` <span class="badge">withdrawn</span>` : ''}</h1>
${first.withdrawn ? html`<p class="notice" role="note"><strong>Withdrawn</strong> on ${dateOf(first.withdrawn.date)}: ${first.withdrawn.reason}. It no longer applies; it is kept here so that links to it keep working.</p>` : ''}
<p>${g.summary}</p>
<dl class="facts">
<dt>Distribution${g.distributions.length > 1 ? 's' : ''}</dt><dd>${g.distributions.map((d, i) => html`${i ? ', ' : ''}<a href="${distributionPath(d)}">${d}</a>`)}</dd>
<dt>Severity</dt><dd>${severityLabel(severity)}${first.severityText && first.severityText.toLowerCase() !== severity ? html` <span class="muted">(as written: ${first.severityText})</span>` : ''}</dd>
${cvss(g)}
${cwes(g)}
<dt>Aliases</dt><dd>${g.aliases.length ? g.aliases.map((a, i) => html`${i ? ', ' : ''}${aliasLink(a)}`) : html`<span class="muted">none</span>`}</dd>
<dt>Reported</dt><dd>${dateOf(g.reported)}</dd>
${g.published && g.published.slice(0, 10) !== g.reported ? html`<dt>Published here</dt><dd>${dateOf(g.published)}</dd>` : ''}
${g.modified ? html`<dt>Last modified</dt><dd>${dateOf(g.modified)}</dd>` : ''}
<dt>Machine-readable</dt><dd>${osvIds.map((id, i) => html`${i ? ', ' : ''}<a href="/v1/vulns/${encodeURIComponent(id)}">OSV JSON${osvIds.length > 1 ? html` <span class="mono">${id}</span>` : ''}</a>`)}</dd>
</dl>
${g.entries.map((e, i) => entry(data, e, i + 1, g.entries.length))}
<h2>Description</h2>
${descriptions.map((d) => html`<p class="description">${d}</p>`)}
${first.comment ? html`<h2>Comment</h2><p class="description">${first.comment}</p>` : ''}
<h2>References</h2>
${references.length
  ? html`<ul class="refs">${references.map((r) => {
      const url = safeUrl(r);
      return html`<li>${url ? html`<a href="${url}" rel="nofollow noopener noreferrer">${r}</a>` : r}</li>`;
    })}</ul>`
  : html`<p>None listed.</p>`}
${history(data, g.id)}`,
  });
}
