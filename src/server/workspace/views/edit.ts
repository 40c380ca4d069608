/** Amending a report: the reporter while the case is new, the team while it is open. */
import { html, type Html } from '../../../publish/site/index.js';
import type { CaseView } from '../../../disclosure/index.js';
import { errorSummary, field, fieldId, postForm, type FormState } from './forms.js';

const FIELDS = ['distribution', 'affectedVersions', 'description', 'proof', 'credit', 'encryptionKey', 'reason'];

export function editReportPage(o: { view: CaseView; csrf: string; state?: FormState }): Html {
  const v = o.view;
  const f = (x: Omit<Parameters<typeof field>[0], 'form' | 'state'>) => field({ form: 'edit', state: o.state, ...x });
  return html`<h1>Amend the report <span class="mono">${v.reference}</span></h1>
${errorSummary(o.state, (name) => (FIELDS.includes(name) ? fieldId('edit', name) : undefined))}
${postForm({
  action: `/workspace/cases/${v.reference}/edit`,
  csrf: o.csrf,
  label: 'Amend the report',
  submit: 'Save the report',
  body: html`${f({ name: 'distribution', label: 'Distribution', required: true, value: v.distribution, maxlength: 128 })}
${f({ name: 'affectedVersions', label: 'Affected versions', required: true, multiline: true, rows: 3, code: true, value: v.affectedVersions, hint: 'One range per line, each with an operator.' })}
${f({ name: 'description', label: 'Description', required: true, multiline: true, rows: 8, value: v.description })}
${f({ name: 'proof', label: 'Proof of concept', multiline: true, rows: 6, code: true, value: v.proof ?? '' })}
${f({ name: 'credit', label: 'Credit', value: v.credit ?? '', maxlength: 200 })}
${f({ name: 'encryptionKey', label: 'Encryption key', multiline: true, rows: 4, code: true, value: v.reporter?.encryptionKey?.text ?? '' })}
${f({ name: 'reason', label: 'What changed', multiline: true, rows: 2, hint: 'Recorded in the audit log.' })}`,
})}
<p><a href="/workspace/cases/${v.reference}">Back to the case</a></p>`;
}
