/** The triage part of a case page (team only): scope by the charter's rules, rating, existing advisories. */
import { html, type Html } from '../../../publish/site/index.js';
import { parseCvss, type CaseView, type CvssResult, type ScopeDecision, type TriageInfo } from '../../../disclosure/index.js';
import { valuesOfVector, type EditorVersion } from '../cvss-metrics.js';
import { caseLink } from './cases.js';
import { cvssCalculator } from './cvss.js';
import { field, fieldId, postForm, selectField, type FormState } from './forms.js';

const inScopeText = (v: boolean | null) => (v === true ? 'in scope' : v === false ? 'out of scope' : 'undecided');

function decision(d: ScopeDecision): Html {
  return html`<dl class="facts">
<dt>Decision</dt><dd><strong>${inScopeText(d.inScope)}</strong> by the rule <code>${d.rule}</code>${d.handledBy ? html` (handled by ${d.handledBy})` : ''}</dd>
<dt>Component</dt><dd>${d.component}</dd>
<dt>Why</dt><dd>${d.explanation}</dd>
<dt>Charter ${d.charterVersion}</dt><dd><blockquote>${d.charter}</blockquote></dd>
</dl>`;
}

/** The stored vector of a version and the server's score of it, to start its calculator from. */
function stored(view: CaseView, version: EditorVersion): { chosen: Record<string, string>; result?: CvssResult } {
  const vector = view.assessment?.cvss.find((c) => c.version === version)?.vector;
  if (!vector) return { chosen: {} };
  try {
    return { chosen: valuesOfVector(vector), result: parseCvss(vector) };
  } catch {
    return { chosen: {} };
  }
}

/**
 * The CVSS 4.0 and 3.1 calculators, above the rating form whose CVSS field they fill (with the
 * page script; without it, they ask the server). 4.0 is open unless the case has only a 3.1 vector.
 */
function calculators(view: CaseView, csrf: string): Html {
  const has = (v: string) => view.assessment?.cvss.some((c) => c.version === v) ?? false;
  const open: Record<EditorVersion, boolean> = { '4.0': has('4.0') || !has('3.1'), '3.1': has('3.1') && !has('4.0') };
  const one = (version: EditorVersion) =>
    html`<details class="cvss-version"${open[version] ? html` open` : ''}><summary>CVSS ${version} calculator</summary>
${cvssCalculator({ reference: view.reference, version, csrf, idPrefix: `cvss${version.replace('.', '')}`, target: fieldId('rating', 'cvss'), ...stored(view, version) })}
</details>`;
  return html`<h4>CVSS calculators</h4>
<p class="hint">Choose the metrics: the score follows each choice, and the vector goes into the CVSS field of the rating below, where recording the rating saves it (the server scores it again). Without script, “Compute the score” asks the server.</p>
${one('4.0')}
${one('3.1')}`;
}

export function triageSection(o: { view: CaseView; triage: TriageInfo; csrf: string; state?: FormState }): Html {
  const { view, triage, csrf, state } = o;
  const ref = view.reference;
  const a = view.assessment;
  const scope = a?.scope;
  const canAssess = view.actions.includes('case.assess');
  const override = scope?.override ? (scope.override.inScope ? 'in' : 'out') : '';
  return html`<section aria-labelledby="triage-h">
<h2 id="triage-h">Triage</h2>
<h3>Scope</h3>
${scope ? html`<p>Recorded ${scope.override ? html`with the team’s override: <strong>${inScopeText(scope.override.inScope)}</strong> (${scope.override.reason})` : 'by the rules'}:</p>${decision(scope.decision)}` : html`<p>No scope decision recorded yet. By the rules, for the distribution’s own code:</p>${decision(triage.scope)}`}
${canAssess
  ? postForm({
      action: `/workspace/cases/${ref}/scope`,
      csrf,
      label: 'Record the scope decision',
      submit: 'Record the scope decision',
      body: html`${selectField({ form: 'scope', state, name: 'component', label: 'Where is the vulnerable code?', value: scope?.decision.component ?? 'own-code', fields: ['scope.component'], options: [['own-code', 'The distribution’s own code'], ['bundled-library', 'A library copy shipped in the release'], ['linked-library', 'A library it links to (not shipped)'], ['external-service', 'A service it uses']] })}
${field({ form: 'scope', state, name: 'library', label: 'Library or service', hint: 'For the last three: which one (e.g. libxml2).', maxlength: 200, fields: ['scope.library'] })}
${selectField({ form: 'scope', state, name: 'override', label: 'Team override', value: override, options: [['', 'None: the rule decides'], ['in', 'In scope'], ['out', 'Out of scope']], fields: ['scope.override.inScope'] })}
${field({ form: 'scope', state, name: 'overrideReason', label: 'Reason for the override', multiline: true, rows: 2, fields: ['scope.override.reason'] })}`,
    })
  : ''}
<h3>Rating</h3>
<dl class="facts">
<dt>Severity</dt><dd>${a?.severity ?? html`<span class="muted">not rated</span>`}</dd>
<dt>CVSS</dt><dd>${a?.cvss.length ? html`<ul>${a.cvss.map((c) => html`<li><code>${c.vector}</code>: ${c.score?.toFixed(1) ?? "no score"}</li>`)}</ul>` : html`<span class="muted">none</span>`}</dd>
<dt>CWE</dt><dd>${a?.cwes.length ? a.cwes.join(', ') : html`<span class="muted">none</span>`}</dd>
</dl>
${canAssess
  ? html`${calculators(view, csrf)}
${postForm({
  action: `/workspace/cases/${ref}/rating`,
  csrf,
  label: 'Record the rating',
  submit: 'Record the rating',
  body: html`${field({ form: 'rating', state, name: 'cvss', label: 'CVSS vectors', multiline: true, rows: 2, code: true, value: a?.cvss.map((c) => c.vector) ?? [], hint: 'One vector per line, at most one per CVSS version; the calculators above write theirs here.' })}
${field({ form: 'rating', state, name: 'cwes', label: 'CWE ids', value: a?.cwes.join(' ') ?? '', hint: 'E.g. CWE-79 CWE-22, separated by spaces.' })}
${selectField({ form: 'rating', state, name: 'severity', label: 'Severity', value: a?.severity ?? '', hint: 'Empty: from the newest CVSS vector.', options: [['', 'from CVSS'], ['critical', 'critical'], ['high', 'high'], ['medium', 'medium'], ['low', 'low']] })}
${field({ form: 'rating', state, name: 'affectedVersions', label: 'Affected versions (triage)', multiline: true, rows: 2, code: true, value: a?.affectedVersions ?? view.affectedVersions, hint: 'One range per line; the draft advisory starts from these.' })}
${field({ form: 'rating', state, name: 'fixedVersions', label: 'Fixed versions', multiline: true, rows: 1, code: true, value: a?.fixedVersions ?? [], hint: 'E.g. ">= 1.24", once a fix is released.' })}`,
})}`
  : ''}
<h3>Existing advisories of ${view.distribution}</h3>
${triage.advisories.length
  ? html`<table><caption>Published advisories of ${view.distribution} (${triage.releases} releases known)</caption>
<thead><tr><th scope="col">Advisory</th><th scope="col">CVE</th><th scope="col">Affected</th><th scope="col">Fixed</th><th scope="col">Summary</th></tr></thead>
<tbody>${triage.advisories.map((x) => html`<tr><th scope="row"><a class="mono" href="/advisories/${encodeURIComponent(x.id)}">${x.id}</a></th><td>${x.cves.join(', ')}</td><td>${x.affectedVersions.join('; ')}</td><td>${x.fixedVersions.join('; ')}</td><td>${x.summary}</td></tr>\n`)}</tbody></table>`
  : html`<p>${triage.known ? 'The index knows the distribution and has no advisory for it.' : 'The vulnerability index has no advisory for this distribution.'}</p>`}
${triage.otherCases.length ? html`<h3>Other cases about ${view.distribution}</h3><ul>${triage.otherCases.map((c) => html`<li>${caseLink(c.reference)} (${c.state}, filed ${c.createdAt.slice(0, 10)})</li>`)}</ul>` : ''}
</section>`;
}
