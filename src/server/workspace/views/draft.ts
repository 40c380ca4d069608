/**
 * The draft page: the advisory in our format and the CNA fields of its CVE record, as one form;
 * what the advisory linter and the CVE schemas say of them; the files they make; publication.
 */
import { html, type Html } from '../../../publish/site/index.js';
import type { LintProblem } from '../../../advisory/index.js';
import type { CaseView } from '../../../disclosure/index.js';
import type { BuiltCveRecord } from '../cve-record.js';
import { checkbox, errorSummary, field, fieldId, postForm, selectField, type FormState } from './forms.js';

export interface DraftPageData {
  view: CaseView;
  problems: LintProblem[];
  report: string;
  cve?: BuiltCveRecord;
  csrf: string;
  state?: FormState;
}

const DRAFT_FIELDS = [
  'advisory.description', 'advisory.affectedVersions', 'advisory.fixedVersions', 'advisory.severity', 'advisory.cvss', 'advisory.references', 'advisory.comment',
  'cna.title', 'cna.module', 'cna.author', 'cna.repo', 'cna.cwes', 'cna.files', 'cna.routines', 'cna.solution', 'cna.mitigation', 'cna.impacts', 'cna.credits', 'cna.timeline', 'cna.references',
];

function problemList(problems: { level: string; where: string; message: string }[], caption: string): Html {
  if (!problems.length) return html`<p class="status">${caption}: no problems.</p>`;
  return html`<table><caption>${caption}: ${problems.filter((p) => p.level === 'error').length} error(s), ${problems.filter((p) => p.level !== 'error').length} warning(s)</caption>
<thead><tr><th scope="col">Level</th><th scope="col">Where</th><th scope="col">Problem</th></tr></thead>
<tbody>${problems.map((p) => html`<tr><th scope="row">${p.level === 'error' ? html`<strong>error</strong>` : p.level}</th><td class="mono">${p.where}</td><td>${p.message}</td></tr>\n`)}</tbody></table>`;
}

export function draftPage(d: DraftPageData): Html {
  const v = d.view;
  const draft = v.draft!;
  const a = draft.advisory;
  const c = draft.cna;
  const canEdit = v.actions.includes('case.editDraft');
  const s = d.state;
  const f = (x: Omit<Parameters<typeof field>[0], 'form' | 'state'>) => field({ form: 'draft', state: s, ...x });
  const known = (name: string) => {
    if (s?.form === 'draft' && DRAFT_FIELDS.includes(name)) return fieldId('draft', name);
    if (s?.form === 'cve' && name === 'cve') return fieldId('cve', 'cve');
    if (s?.form === 'publish' && name === 'reason') return fieldId('publish', 'reason');
    return undefined;
  };
  const editForm = postForm({
    action: `/workspace/cases/${v.reference}/draft/edit`,
    csrf: d.csrf,
    label: 'Edit the draft',
    submit: 'Save the draft',
    body: html`<fieldset><legend>Advisory (CPANSA report)</legend>
${f({ name: 'advisory.description', label: 'Description', required: true, multiline: true, rows: 5, value: a.description })}
${f({ name: 'advisory.affectedVersions', label: 'Affected versions', multiline: true, rows: 2, code: true, value: a.affectedVersions, hint: 'One range per line, e.g. "< 1.24".' })}
${f({ name: 'advisory.fixedVersions', label: 'Fixed versions', multiline: true, rows: 2, code: true, value: a.fixedVersions, hint: 'One range per line, e.g. ">= 1.24"; empty when no fix is released.' })}
${selectField({ form: 'draft', state: s, name: 'advisory.severity', label: 'Severity', value: a.severity ?? '', options: [['', 'not rated'], ['critical', 'critical'], ['high', 'high'], ['medium', 'medium'], ['low', 'low']] })}
${f({ name: 'advisory.cvss', label: 'CVSS vectors', multiline: true, rows: 2, code: true, value: a.cvss.map((x) => x.vector) })}
${f({ name: 'advisory.references', label: 'References', multiline: true, rows: 3, code: true, value: a.references, hint: 'One URL per line: the fix, the release notes, the report.' })}
${f({ name: 'advisory.comment', label: 'Comment', multiline: true, rows: 2, value: a.comment ?? '' })}
</fieldset>
<fieldset><legend>CVE record (the CNA’s fields)</legend>
${f({ name: 'cna.title', label: 'Title', value: c.title, maxlength: 256, hint: 'E.g. "Foo::Bar versions before 1.24 for Perl follow symlinks".' })}
${f({ name: 'cna.module', label: 'Module', value: c.module })}
${f({ name: 'cna.author', label: 'PAUSE id of the author', value: c.author ?? '', maxlength: 9 })}
${f({ name: 'cna.repo', label: 'Repository URL', value: c.repo ?? '' })}
${f({ name: 'cna.cwes', label: 'CWEs', multiline: true, rows: 2, value: c.cwes.map((w) => `${w.id} ${w.name}`), hint: 'One per line: "CWE-79 Improper Neutralization of Input During Web Page Generation".' })}
${f({ name: 'cna.files', label: 'Affected files', multiline: true, rows: 2, code: true, value: c.files })}
${f({ name: 'cna.routines', label: 'Affected routines', multiline: true, rows: 2, code: true, value: c.routines })}
${f({ name: 'cna.solution', label: 'Solution', multiline: true, rows: 3, value: c.solution.join('\n\n'), hint: 'Paragraphs separated by an empty line.' })}
${f({ name: 'cna.mitigation', label: 'Mitigation', multiline: true, rows: 3, value: c.mitigation.join('\n\n'), hint: 'Paragraphs separated by an empty line.' })}
${f({ name: 'cna.impacts', label: 'Impacts (CAPEC)', multiline: true, rows: 2, value: c.impacts, hint: 'One per line: "CAPEC-63 Cross-Site Scripting (XSS)".' })}
${f({ name: 'cna.credits', label: 'Credits', multiline: true, rows: 2, value: c.credits.map((x) => `${x.type}: ${x.value}`), hint: 'One per line, "type: who", e.g. "finder: Rita Reporter".' })}
${f({ name: 'cna.timeline', label: 'Timeline', multiline: true, rows: 2, value: c.timeline.map((t) => `${t.time} ${t.value}`), hint: 'One event per line, "YYYY-MM-DD what happened"; the lifecycle’s own events are added.' })}
${f({ name: 'cna.references', label: 'Tagged references', multiline: true, rows: 3, code: true, value: c.references.map((r) => `${r.url} ${r.tags.join(',')}${r.name ? ` ${r.name}` : ''}`), hint: 'One per line: "URL tag,tag optional name", tags such as patch, release-notes, advisory.' })}
</fieldset>`,
  });
  return html`<h1>Advisory draft for <span class="mono">${v.reference}</span></h1>
${errorSummary(s, known)}
<p>Advisory <span class="mono">${a.id}</span> of <a href="/workspace/cases/${v.reference}">the case</a> (${v.state}). ${v.embargo.state === 'active' || v.embargo.state === 'ending-soon' ? html`<strong>Under embargo until ${v.embargo.endsAt}</strong>: it cannot be published before.` : ''}</p>
<h2>Checks</h2>
${problemList(d.problems.map((p) => ({ level: p.level, where: p.rule, message: p.message })), 'Advisory linter')}
${d.cve ? problemList(d.cve.problems, 'CVE record (CNA schema, CNA lint rules, CVE JSON 5 schema)') : html`<p>No CVE id is assigned, so no CVE record is made.</p>`}
${canEdit ? html`<h2>Edit</h2>${editForm}
<h2>CVE id</h2>
${postForm({ action: `/workspace/cases/${v.reference}/cve`, csrf: d.csrf, label: 'Assign the CVE id', submit: 'Assign the CVE id', body: field({ form: 'cve', state: s, name: 'cve', label: 'CVE id reserved for this case', value: v.cve ?? '', hint: 'E.g. CVE-2026-12345; the advisory id follows it.' }) })}
<h2>Publish</h2>
${postForm({
  action: `/workspace/cases/${v.reference}/publish`,
  csrf: d.csrf,
  label: 'Publish the advisory',
  submit: 'Publish the advisory',
  body: html`<p class="hint">Publishing puts the advisory on the public site, the feeds and the APIs at once. It is refused under embargo, with linter errors, and before a fix is released unless you say so.</p>
${field({ form: 'publish', state: s, name: 'reason', label: 'Reason', required: true, multiline: true, rows: 2 })}
${checkbox({ form: 'publish', name: 'withoutFix', label: 'Publish without a fix (the author did not answer, or will not fix it)' })}`,
})}` : ''}
<h2>Files</h2>
<p><a href="/workspace/cases/${v.reference}/advisory.yml">The advisory as a CPANSA report (YAML)</a>${d.cve ? html`, <a href="/workspace/cases/${v.reference}/cve.json">the CVE JSON 5 record</a>` : ''}.</p>
<details><summary>The advisory report</summary><pre>${d.report}</pre></details>
${d.cve?.record ? html`<details><summary>The CVE record</summary><pre>${JSON.stringify(d.cve.record, null, 2)}</pre></details>` : ''}
${d.cve ? html`<details><summary>The CNA tool’s YAML</summary><pre>${d.cve.yaml}</pre></details>` : ''}`;
}
