/** Administration: accounts, the outbox, the scheduled jobs on demand, the audit chain. */
import { html, type Html } from '../../../publish/site/index.js';
import { ACCOUNT_ROLES, type AccountView, type AuditHead, type AuditVerification, type OutboxMail } from '../../../disclosure/index.js';
import { checkbox, errorSummary, field, fieldId, postForm, selectField, type FormState } from './forms.js';

export interface AdminPageData {
  accounts: AccountView[];
  outbox: OutboxMail[];
  counts: Record<string, number>;
  verification: AuditVerification;
  /** a head from elsewhere the log was verified against too */
  witnessed?: AuditHead;
  canDrain: boolean;
  csrf: string;
  state?: FormState;
  /** an invitation link just made (also mailed) */
  link?: string;
}

export function adminPage(d: AdminPageData): Html {
  const s = d.state;
  const v = d.verification;
  return html`<h1>Administration</h1>
${errorSummary(s, (name) => (s?.form === 'invite' && ['email', 'name', 'role'].includes(name) ? fieldId('invite', name) : undefined))}
${d.link ? html`<div class="status" role="status"><p>Link to set the password (also mailed): <code id="invitation-link">${d.link}</code></p></div>` : ''}
<h2>Accounts</h2>
<table><caption>Accounts, oldest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Second factor</th><th scope="col">Status</th><th scope="col">Change</th></tr></thead>
<tbody>${d.accounts.map(
    (a) => html`<tr><th scope="row">${a.name}</th><td>${a.email}</td><td>${a.role}</td><td>${a.secondFactor ? 'on' : 'off'}</td><td>${a.disabled ? 'disabled' : a.hasPassword ? 'active' : 'invited'}</td><td>${postForm({
      action: `/workspace/admin/accounts/${a.id}`,
      csrf: d.csrf,
      label: `Change the account of ${a.name}`,
      submit: 'Apply',
      className: 'inline',
      body: html`${selectField({ form: `acct-${a.id}`, name: 'role', label: 'Role', value: a.role, options: ACCOUNT_ROLES.map((r) => [r, r]) })}${selectField({ form: `acct-${a.id}`, name: 'disabled', label: 'Status', value: a.disabled ? 'yes' : 'no', options: [['no', 'enabled'], ['yes', 'disabled']] })}${field({ form: `acct-${a.id}`, name: 'reason', label: 'Reason', required: true })}`,
    })}${postForm({ action: `/workspace/admin/accounts/${a.id}/reset-password`, csrf: d.csrf, label: `Reset the password of ${a.name}`, submit: 'Reset password', className: 'inline', body: field({ form: `reset-${a.id}`, name: 'reason', label: 'Reason', required: true }) })}${a.secondFactor ? postForm({ action: `/workspace/admin/accounts/${a.id}/reset-totp`, csrf: d.csrf, label: `Reset the second factor of ${a.name}`, submit: 'Reset second factor', className: 'inline', body: html`${field({ form: `totp-${a.id}`, name: 'reason', label: 'Reason', required: true })}${checkbox({ form: `totp-${a.id}`, name: 'revokeTokens', label: 'Revoke their API tokens too', checked: true })}` }) : ''}</td></tr>\n`,
  )}</tbody></table>
<h3>Invite someone</h3>
${postForm({
  action: '/workspace/admin/accounts',
  csrf: d.csrf,
  label: 'Invite someone',
  submit: 'Send the invitation',
  body: html`${field({ form: 'invite', state: s, name: 'email', label: 'E-mail address', type: 'email', required: true })}
${field({ form: 'invite', state: s, name: 'name', label: 'Name', required: true, maxlength: 200 })}
${selectField({ form: 'invite', state: s, name: 'role', label: 'Role', value: 'member', options: [['member', 'team member'], ['admin', 'administrator'], ['external', 'external (reporter or author)'], ['downstream', 'downstream packager (reads the cases the team shares with it)']] })}`,
})}
<h2>Outbox</h2>
<p>${Object.entries(d.counts).map(([k, n], i) => html`${i ? ', ' : ''}${n} ${k}`)}${d.canDrain ? '' : html`. <strong>No mail transport is configured</strong> (start the server with --smtp-url): mail stays queued.`}</p>
<div class="actions-row">
${postForm({ action: '/workspace/admin/reminders', csrf: d.csrf, label: 'Queue due reminders now', submit: 'Queue due reminders now', className: 'inline', body: html`` })}
${d.canDrain ? postForm({ action: '/workspace/admin/outbox/drain', csrf: d.csrf, label: 'Send queued mail now', submit: 'Send queued mail now', className: 'inline', body: html`` }) : ''}
</div>
${d.outbox.length
  ? html`<table><caption>The latest mails</caption><thead><tr><th scope="col">Queued</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
<tbody>${d.outbox.map((m) => html`<tr><th scope="row">${m.createdAt.slice(0, 16).replace('T', ' ')}</th><td>${m.to}</td><td>${m.subject}</td><td>${m.status}</td><td class="num">${m.attempts}</td><td>${m.lastError ?? ''}</td></tr>\n`)}</tbody></table>`
  : ''}
<h2>Audit log</h2>
<p id="audit-verification">${v.ok ? html`The hash chain of all ${v.count} entries verifies against the recorded head${d.witnessed ? html` and the head ${d.witnessed.seq} given` : ''}${v.head ? html` (head ${v.head.seq}: <code>${v.head.hash}</code>)` : ''}.` : html`<strong>The audit log does not verify</strong> at entry ${v.seq}: ${v.problem}.`}</p>
<form method="get" action="/workspace/admin" aria-label="Verify against a head from a mail" class="stack">${field({ form: 'head', name: 'head', label: 'Verify against a head from a team mail or your notes', hint: 'The line “Audit log head: SEQ HASH” of a mail to the team, or what `cpansec admin audit-verify` printed.' })}<div><button type="submit">Verify</button></div></form>`;
}
