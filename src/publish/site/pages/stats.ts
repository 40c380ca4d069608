import { barChart, columnChart } from '../charts.js';
import type { SiteData } from '../data.js';
import { html, raw, type Html } from '../html.js';
import { page } from '../layout.js';
import { metricsSection } from './metrics.js';
import { statistics, type Count } from '../stats.js';

const SEVERITY_COLOURS: Record<string, string> = { critical: '#8b0000', high: '#b03a00', medium: '#7a5a00', low: '#245b2e', 'not rated': '#5f5f5f' };

function table(caption: string, head: [string, string], rows: Count[]): Html {
  return html`<details><summary>${caption}: the numbers</summary><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${head[0]}</th><th scope="col" class="num">${head[1]}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.value}</td></tr>`)}</tbody>
</table></details>`;
}

function figure(id: string, caption: string, svg: string, data: Html): Html {
  return html`<figure class="chart" aria-labelledby="${id}-caption">
<figcaption id="${id}-caption">${caption}</figcaption>
${raw(svg)}
</figure>
${data}`;
}

export function renderStats(data: SiteData): string {
  const s = statistics(data);
  const f = s.fixTimes;
  return page({
    title: 'Statistics',
    info: data.info,
    path: '/stats',
    description: 'Statistics of CPAN security advisories: per year, by severity, most affected distributions, time from report to fix.',
    body: html`<h1>Statistics</h1>
<p>${s.advisories} advisories (counted once per id) for ${s.distributions} distributions.</p>
<h2>Advisories per year</h2>
${figure('per-year', 'Advisories per year reported', columnChart({ id: 'per-year', title: 'Advisories per year reported', description: `Number of advisories by the year they were reported, ${s.perYear[0]?.label ?? ''} to ${s.perYear.at(-1)?.label ?? ''}.`, bars: s.perYear, unit: 'advisories' }), table('Advisories per year reported', ['Year', 'Advisories'], s.perYear))}
${s.unknownYear ? html`<p>${s.unknownYear} advisories have no report date and are not in this chart.</p>` : ''}
<h2>By severity</h2>
${figure('severity', 'Advisories by severity', barChart({ id: 'severity', title: 'Advisories by severity', description: 'Number of advisories at each severity; the highest severity of an advisory’s entries counts, from the severity field or else the CVSS base score.', bars: s.bySeverity.map((b) => ({ ...b, color: SEVERITY_COLOURS[b.label] })), unit: 'advisories' }), table('Advisories by severity', ['Severity', 'Advisories'], s.bySeverity))}
<h2>Most affected distributions</h2>
${figure('top', `The ${s.topDistributions.length} distributions with the most advisories`, barChart({ id: 'top', title: 'Most affected distributions', description: `The ${s.topDistributions.length} distributions with the most advisories.`, bars: s.topDistributions, unit: 'advisories' }), table('Most affected distributions', ['Distribution', 'Advisories'], s.topDistributions))}
<h2>Time from report to fix</h2>
<p>The advisory data records no fix date. This chart measures, for each advisory and distribution, the days from the advisory’s <em>reported</em> date to the release date of the earliest listed release inside its fixed range (and outside its affected range), from the release list of the database.</p>
${figure('fix-time', 'Days from report to the first fixed release', columnChart({ id: 'fix-time', title: 'Days from report to the first fixed release', description: `Of ${f.measured} measured advisories, how long after the report the first fixed release came out${f.medianDays !== null ? `; median ${f.medianDays} days` : ''}.`, bars: f.buckets, unit: 'advisories' }), table('Days from report to the first fixed release', ['Days', 'Advisories'], f.buckets))}
<dl class="facts">
<dt>Measured</dt><dd>${f.measured} of ${f.pairs} advisory and distribution pairs</dd>
<dt>Median, fix after the report</dt><dd>${f.medianDays !== null ? `${f.medianDays} days` : 'n/a'}</dd>
<dt>Fixed release out before the report date</dt><dd>${f.fixedBeforeReport} (not in the chart)</dd>
<dt>No fixed range given</dt><dd>${f.noFixedRange}</dd>
<dt>No report date</dt><dd>${f.noReportDate}</dd>
<dt>No dated release in the fixed range</dt><dd>${f.noFixedRelease}</dd>
</dl>
${metricsSection(data)}`,
  });
}
