/** The public report form and its acknowledgement. */
import { html, type Html } from '../../../publish/site/index.js';
import type { Acknowledgement } from '../../../disclosure/index.js';
import { fileHint } from './attachments.js';
import { errorSummary, field, fieldId, fileField, postForm, type FormState } from './forms.js';

const FORM = 'report';
const FIELDS = ['distribution', 'affectedVersions', 'description', 'proof', 'attachments', 'reporterName', 'reporterEmail', 'credit', 'encryptionKey'];

export function reportForm(o: { csrf: string; idempotencyKey: string; limits: { maxBytes: number; maxFiles: number }; state?: FormState; signedIn?: { name: string; email: string } }): Html {
  const s = o.state;
  const f = (x: Omit<Parameters<typeof field>[0], 'form' | 'state'>) => field({ form: FORM, state: s, ...x });
  return html`<h1>Report a security vulnerability</h1>
<p>Tell the CPAN Security Group about a vulnerability in a distribution on CPAN. Your report stays private: only the team sees it,
and the distribution’s author once the team invites them. You get a case reference at once and, by mail, a link to follow the case.</p>
<p class="hint">Out of scope: the perl interpreter itself and core-only modules (write to cpan-security@perl.org or perl5-porters@perl.org).</p>
${errorSummary(s, (name) => (FIELDS.includes(name) ? fieldId(FORM, name) : undefined))}
${postForm({
  action: '/workspace/report',
  csrf: o.csrf,
  label: 'Vulnerability report',
  submit: 'Send the report',
  files: true,
  body: html`<input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
${f({ name: 'distribution', label: 'Distribution', required: true, hint: 'The CPAN distribution name, e.g. Mojolicious or libwww-perl (not a module name).', maxlength: 128 })}
${f({ name: 'affectedVersions', label: 'Affected versions', required: true, multiline: true, rows: 3, code: true, hint: 'One range per line, each with an operator: "< 1.23", ">= 2.0, < 2.4", "== 1.05".' })}
${f({ name: 'description', label: 'Description', required: true, multiline: true, rows: 8, hint: 'What is wrong, where (module, function), and what an attacker can do. At least 20 characters.' })}
${f({ name: 'proof', label: 'Proof of concept or steps to reproduce', multiline: true, rows: 6, code: true })}
${fileField({ form: FORM, state: s, label: 'Files', hint: fileHint(o.limits) })}
${o.signedIn ? html`<p>You report as <strong>${o.signedIn.name}</strong> (${o.signedIn.email}).</p><input type="hidden" name="reporterEmail" value="${o.signedIn.email}"><input type="hidden" name="reporterName" value="${o.signedIn.name}">` : html`
${f({ name: 'reporterName', label: 'Your name', autocomplete: 'name', maxlength: 200 })}
${f({ name: 'reporterEmail', label: 'Your e-mail address', type: 'email', required: true, autocomplete: 'email', hint: 'The team writes to you here; it is never published.' })}`}
${f({ name: 'credit', label: 'Credit', hint: 'How the published advisory should credit you (name, affiliation); leave empty not to be named. The distribution’s author does not learn who reported before publication.', maxlength: 200 })}
${f({ name: 'encryptionKey', label: 'Encryption key', multiline: true, rows: 4, code: true, hint: 'An OpenPGP public key block or an age recipient, if the team should encrypt mail to you.' })}`,
})}`;
}

export function acknowledgementPage(ack: Acknowledgement, signedIn: boolean, reporterEmail: string): Html {
  return html`<h1>Report received</h1>
<p class="status" role="status">Your report was received as <strong class="mono" id="reference">${ack.reference}</strong>. Keep this reference and quote it in any message about the report.</p>
${signedIn
  ? html`<p><a href="/workspace/cases/${ack.reference}">Follow the case</a></p>`
  : html`<p>A confirmation with a link to follow the case will be mailed to <strong>${reporterEmail}</strong>. It is queued now and normally arrives within minutes; if nothing comes within an hour, check your spam folder, then write to the team quoting the reference.</p>`}`;
}
