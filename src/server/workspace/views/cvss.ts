/**
 * The CVSS calculator: one form per version, a group of radio buttons per metric with the metric's
 * and each value's description in view, the result region, and two buttons that ask the server
 * (compute, or save the vector to the case). Without script that is the whole calculator: the
 * server scores what was sent. The page script (browser/calculator-page.ts) makes it live and
 * writes the vector into the rating form's field; it reads the `data-cvss-*` attributes below.
 */
import { html, type Html } from '../../../publish/site/index.js';
import type { CvssResult } from '../../../disclosure/index.js';
import { metricGroups, type EditorVersion, type MetricChoice, type MetricGroup } from '../cvss-metrics.js';
import { csrfField } from './forms.js';

export interface CalculatorData {
  reference: string;
  version: EditorVersion;
  chosen: Record<string, string>;
  /** the server's score of the chosen vector */
  result?: CvssResult;
  csrf: string;
  /** prefix of the ids in the form (two calculators share a page) */
  idPrefix: string;
  /** the id of the field the page script writes the vector into */
  target?: string;
  /** the result takes the focus (the page shown after "Compute the score") */
  focusResult?: boolean;
}

function metricFieldset(d: CalculatorData, m: MetricChoice): Html {
  const current = d.chosen[m.short] ?? (m.required ? '' : 'X');
  // the values in a row; below it the chosen value's description (css.ts shows only that one;
  // each button is described by its own, and its label shows it on hover)
  return html`<fieldset class="metric" data-metric="${m.short}"><legend>${m.name} (${m.short})</legend>
<p class="metric-description">${m.description}</p>
<div class="choices">${m.values.map((v) => {
  const id = `${d.idPrefix}-${m.short}-${v.short}`;
  return html`<div class="choice"><span class="option"><input type="radio" id="${id}" name="${m.short}" value="${v.short}"${current === v.short ? html` checked` : ''}${v.description ? html` aria-describedby="${id}-d"` : ''}> <label for="${id}" title="${v.description}">${v.name} (${v.short})</label></span>${v.description ? html`<span class="hint value-description" id="${id}-d">${v.description}</span>` : ''}</div>`;
})}</div>
</fieldset>`;
}

function group(d: CalculatorData, g: MetricGroup): Html {
  const metrics = html`<p class="hint">${g.description}</p>
<div class="metrics">${g.metrics.map((m) => metricFieldset(d, m))}</div>`;
  if (g.id === 'base') return html`<div class="metric-group" data-group="base">${metrics}</div>`;
  // optional groups fold away until one of their metrics is given
  const used = g.metrics.some((m) => d.chosen[m.short] && d.chosen[m.short] !== 'X');
  return html`<details class="metric-group" data-group="${g.id}"${used ? html` open` : ''}><summary>${g.name}</summary>
${metrics}</details>`;
}

function resultRegion(d: CalculatorData): Html {
  const r = d.result;
  const p = d.idPrefix;
  return html`<div class="status cvss-result" aria-live="polite" data-cvss-result${r ? '' : html` hidden`}${d.focusResult ? html` tabindex="-1" autofocus` : ''}>
<p>Score <strong id="${p}-score" data-cvss-score>${r ? r.score.toFixed(1) : ''}</strong> (<span data-cvss-severity>${r ? (r.severity ?? 'none') : ''}</span>, <span data-cvss-nomenclature>${r?.nomenclature ?? ''}</span>; base score <span data-cvss-base-score>${r ? r.baseScore.toFixed(1) : ''}</span>)</p>
<p>Vector <code id="${p}-vector" data-cvss-vector>${r?.vector ?? ''}</code></p>
<p class="hint" data-cvss-missing></p>
</div>`;
}

/** The calculator of one version, as a form posting to the server's calculator. */
export function cvssCalculator(d: CalculatorData): Html {
  return html`<form class="cvss-calculator" method="post" action="/workspace/cases/${d.reference}/cvss/${d.version}" aria-label="CVSS ${d.version} calculator" data-cvss-version="${d.version}"${d.target ? html` data-cvss-target="${d.target}"` : ''}>
${csrfField(d.csrf)}
${resultRegion(d)}
${metricGroups(d.version).map((g) => group(d, g))}
<div class="actions-row"><button type="submit" name="action" value="calculate" data-cvss-compute>Compute the score</button><button type="submit" name="action" value="save" class="secondary">Save the vector to the case</button></div>
</form>`;
}

export interface CvssEditorData {
  reference: string;
  version: EditorVersion;
  chosen: Record<string, string>;
  result?: CvssResult;
  error?: string;
  csrf: string;
}

/** The calculator on a page of its own: what a page without script shows after "Compute the score". */
export function cvssEditor(d: CvssEditorData): Html {
  const other = d.version === '3.1' ? '4.0' : '3.1';
  return html`<h1>CVSS ${d.version} for <span class="mono">${d.reference}</span></h1>
<p>Choose a value for each base metric (and any others that apply), then compute the score or save the vector to the case. <a href="/workspace/cases/${d.reference}/cvss/${other}">CVSS ${other} instead</a>; <a href="/workspace/cases/${d.reference}?tab=triage">back to the case</a>.</p>
${d.error ? html`<div class="error-summary" role="alert" tabindex="-1" autofocus><h2>There is a problem</h2><p>${d.error}</p></div>` : ''}
${cvssCalculator({ reference: d.reference, version: d.version, chosen: d.chosen, csrf: d.csrf, idPrefix: 'cvss', focusResult: !d.error, ...(d.result ? { result: d.result } : {}) })}`;
}
