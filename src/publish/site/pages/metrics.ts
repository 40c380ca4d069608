/**
 * The statistics page's section of security metrics (metrics.ts): each an SVG chart with its
 * table, and a link to the same figures as JSON (`/stats.json`, `cpansec stats --format json`).
 */
import { barChart } from '../charts.js';
import type { SiteData } from '../data.js';
import { html, raw, type Html } from '../html.js';
import { securityMetrics, SEVERITY_LEVELS } from '../metrics.js';
import { stackedColumnChart } from '../stacked-chart.js';
import type { Count } from '../stats.js';

const COLOURS: Record<string, string> = { critical: '#8b0000', high: '#b03a00', medium: '#7a5a00', low: '#245b2e', 'not rated': '#5f5f5f' };

function countTable(caption: string, head: [string, string], rows: Count[]): Html {
  return html`<details><summary>${caption}: the numbers</summary><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">${head[0]}</th><th scope="col" class="num">${head[1]}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.value}</td></tr>`)}</tbody>
</table></details>`;
}

function figure(id: string, caption: string, svg: string, table: Html): Html {
  return html`<figure class="chart" aria-labelledby="${id}-caption">
<figcaption id="${id}-caption">${caption}</figcaption>
${raw(svg)}
</figure>
${table}`;
}

export function metricsSection(data: SiteData): Html {
  const m = securityMetrics(data);
  const years = m.perYearBySeverity;
  const share = Math.round(m.withoutFix.share * 1000) / 10;
  return html`<section aria-labelledby="metrics">
<h2 id="metrics">Security metrics</h2>
<p>The same figures as JSON: <a href="/stats.json"><code>/stats.json</code></a> (and <code>cpansec stats</code> in a terminal). Withdrawn advisories (${m.withdrawn}) are not counted.</p>
<h3>By year and severity</h3>
${figure(
  'per-year-severity',
  'Advisories by year and severity',
  stackedColumnChart({
    id: 'per-year-severity',
    title: 'Advisories by year and severity',
    description: `Advisories by the year they were reported, ${years[0]?.year ?? ''} to ${years.at(-1)?.year ?? ''}, stacked by severity.`,
    series: SEVERITY_LEVELS.map((s) => ({ name: s, color: COLOURS[s]! })),
    stacks: years.map((y) => ({ label: y.year, values: SEVERITY_LEVELS.map((s) => y[s]) })),
    unit: 'advisories',
  }),
  html`<details><summary>Advisories by year and severity: the numbers</summary><table>
<caption>Advisories by year and severity</caption>
<thead><tr><th scope="col">Year</th>${SEVERITY_LEVELS.map((s) => html`<th scope="col" class="num">${s}</th>`)}</tr></thead>
<tbody>${years.map((y) => html`<tr><th scope="row">${y.year}</th>${SEVERITY_LEVELS.map((s) => html`<td class="num">${y[s]}</td>`)}</tr>`)}</tbody>
</table></details>`,
)}
<h3>Advisories with no fixed release</h3>
<p>${m.withoutFix.withoutFixedRelease} of ${m.withoutFix.advisories} advisories (${share}%) still affect the newest stable release of a distribution they name: no released version fixes them.</p>
${figure(
  'without-fix',
  'Advisories with and without a fixed release',
  barChart({
    id: 'without-fix',
    title: 'Advisories with and without a fixed release',
    description: `${m.withoutFix.withoutFixedRelease} of ${m.withoutFix.advisories} advisories have no fixed release.`,
    bars: [
      { label: 'fixed in a release', value: m.withoutFix.advisories - m.withoutFix.withoutFixedRelease, color: '#245b2e' },
      { label: 'no fixed release', value: m.withoutFix.withoutFixedRelease, color: '#8b0000' },
    ],
    unit: 'advisories',
  }),
  countTable('Advisories with and without a fixed release', ['', 'Advisories'], [
    { label: 'fixed in a release', value: m.withoutFix.advisories - m.withoutFix.withoutFixedRelease },
    { label: 'no fixed release', value: m.withoutFix.withoutFixedRelease },
  ]),
)}
<h3>Weakness classes (CWE)</h3>
${m.cweTop.length
  ? figure(
      'cwe-top',
      `The ${m.cweTop.length} most frequent weakness classes`,
      barChart({ id: 'cwe-top', title: 'Most frequent weakness classes (CWE)', description: `${m.withCwe} advisories name a CWE; the ${m.cweTop.length} most frequent.`, bars: m.cweTop, unit: 'advisories' }),
      countTable('Most frequent weakness classes', ['CWE', 'Advisories'], m.cweTop),
    )
  : html`<p>No published advisory names a weakness class (CWE) yet.</p>`}
${m.cweTop.length ? html`<p>${m.withCwe} of ${m.advisories} advisories name a CWE.</p>` : ''}
<h3>Distributions with the most open advisories</h3>
${m.mostOpen.length
  ? figure(
      'most-open',
      `The ${m.mostOpen.length} distributions with the most open advisories`,
      barChart({ id: 'most-open', title: 'Distributions with the most open advisories', description: 'Advisories that still affect the newest stable release, per distribution.', bars: m.mostOpen, unit: 'open advisories' }),
      countTable('Distributions with the most open advisories', ['Distribution', 'Open advisories'], m.mostOpen),
    )
  : html`<p>No distribution has an open advisory.</p>`}
</section>`;
}
