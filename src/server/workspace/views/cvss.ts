/**
 * The CVSS vector editor without JavaScript: one group of radio buttons per base metric; the
 * server computes the vector and its score when the form is sent, and saves it to the case.
 */
import { html, type Html } from '../../../publish/site/index.js';
import type { CvssResult } from '../../../disclosure/index.js';
import { baseMetrics, type EditorVersion } from '../cvss-metrics.js';
import { csrfField } from './forms.js';

export interface CvssEditorData {
  reference: string;
  version: EditorVersion;
  chosen: Record<string, string>;
  result?: CvssResult;
  error?: string;
  csrf: string;
}

export function cvssEditor(d: CvssEditorData): Html {
  const metrics = baseMetrics(d.version);
  const other = d.version === '3.1' ? '4.0' : '3.1';
  return html`<h1>CVSS ${d.version} for <span class="mono">${d.reference}</span></h1>
<p>Choose a value for each base metric, then compute the score or save the vector to the case. <a href="/workspace/cases/${d.reference}/cvss/${other}">CVSS ${other} instead</a>; <a href="/workspace/cases/${d.reference}">back to the case</a>.</p>
${d.error ? html`<div class="error-summary" role="alert" tabindex="-1" autofocus><h2>There is a problem</h2><p>${d.error}</p></div>` : ''}
${d.result
  ? html`<div class="status" role="status" tabindex="-1"${d.error ? '' : html` autofocus`}><p>Vector <code id="cvss-vector">${d.result.vector}</code></p>
<p>Base score <strong id="cvss-score">${d.result.baseScore.toFixed(1)}</strong> (${d.result.severity ?? 'none'}, ${d.result.nomenclature})</p></div>`
  : ''}
<form method="post" action="/workspace/cases/${d.reference}/cvss/${d.version}" aria-label="CVSS ${d.version} base metrics">
${csrfField(d.csrf)}
${metrics.map(
  (m) => html`<fieldset class="metric"><legend>${m.name} (${m.short})</legend>
${m.values.map((v) => {
  const id = `m-${m.short}-${v.short}`;
  return html`<div><input type="radio" id="${id}" name="${m.short}" value="${v.short}"${d.chosen[m.short] === v.short ? html` checked` : ''}> <label for="${id}" title="${v.description}">${v.name} (${v.short})</label></div>`;
})}
</fieldset>
`,
)}
<div class="actions-row"><button type="submit" name="action" value="calculate">Compute the score</button><button type="submit" name="action" value="save" class="secondary">Save the vector to the case</button></div>
</form>`;
}
