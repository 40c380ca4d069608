/** Logging in, and following an invitation link. */
import { html, type Html } from '../../../publish/site/index.js';
import type { Invitation } from '../../../disclosure/index.js';
import { errorSummary, field, fieldId, postForm, type FormState } from './forms.js';

export function loginForm(o: { csrf: string; next: string; state?: FormState; askCode?: boolean }): Html {
  const f = (x: Omit<Parameters<typeof field>[0], 'form' | 'state'>) => field({ form: 'login', state: o.state, ...x });
  return html`<h1>Log in</h1>
${errorSummary(o.state, (name) => (['email', 'password', 'code'].includes(name) ? fieldId('login', name) : undefined))}
${postForm({
  action: '/workspace/login',
  csrf: o.csrf,
  label: 'Log in',
  submit: 'Log in',
  body: html`<input type="hidden" name="next" value="${o.next}">
${f({ name: 'email', label: 'E-mail address', type: 'email', required: true, autocomplete: 'username' })}
${f({ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password', value: '' })}
${f({ name: 'code', label: 'Authentication code', autocomplete: 'one-time-code', hint: o.askCode ? 'Enter the 6-digit code from your authenticator app, or a recovery code.' : 'Only if you set up a second factor: the 6-digit code from your app, or a recovery code.', value: '' })}`,
})}
<p><a href="/workspace/forgot">Forgotten your password?</a></p>
<p>No account? Reporters get a link by mail when they file a report; authors and team members are invited by the team.</p>`;
}

/** Asking for a link to set a new password; the answer says the same whether or not the account exists. */
export function forgotForm(o: { csrf: string; state?: FormState; sent?: boolean }): Html {
  return html`<h1>Forgotten password</h1>
${o.sent
  ? html`<p class="status" role="status">If an account has this address, a link to set a new password will be mailed to it (it works once). Your current password keeps working until you set a new one.</p>`
  : ''}
${errorSummary(o.state, (name) => (name === 'email' ? fieldId('forgot', name) : undefined))}
${postForm({
  action: '/workspace/forgot',
  csrf: o.csrf,
  label: 'Ask for a new password',
  submit: 'Mail me a link',
  body: field({ form: 'forgot', state: o.state, name: 'email', label: 'E-mail address of your account', type: 'email', required: true, autocomplete: 'username' }),
})}
<p><a href="/workspace/login">Back to logging in</a></p>`;
}

const PURPOSE: Record<Invitation['kind'], string> = {
  reporter: 'follow the case you reported and answer the team',
  author: 'work with the CPAN Security Group on a report about your distribution',
  account: 'join the CPAN Security Group’s workspace',
};

export function invitationForm(o: { csrf: string; token: string; invitation?: Invitation; problem?: string; signedInAs?: string; state?: FormState }): Html {
  if (!o.invitation || o.problem) {
    return html`<h1>Invitation</h1><p class="flag" role="alert">${o.problem ?? 'This invitation link is not valid.'}</p><p><a href="/workspace/login">Log in</a></p>`;
  }
  const inv = o.invitation;
  const f = (x: Omit<Parameters<typeof field>[0], 'form' | 'state'>) => field({ form: 'invitation', state: o.state, ...x });
  const needsPassword = inv.kind === 'account' || !o.signedInAs;
  return html`<h1>Invitation</h1>
<p>This link lets <strong>${inv.email}</strong> ${PURPOSE[inv.kind]}. It works once.</p>
${errorSummary(o.state, (name) => (['name', 'password'].includes(name) ? fieldId('invitation', name) : undefined))}
${postForm({
  action: `/workspace/invitations/${o.token}`,
  csrf: o.csrf,
  label: 'Accept the invitation',
  submit: needsPassword ? 'Set the password and continue' : 'Accept',
  body: needsPassword
    ? html`${inv.kind === 'account' ? '' : f({ name: 'name', label: 'Your name', value: inv.name ?? '', autocomplete: 'name', maxlength: 200 })}
<input type="hidden" name="email" value="${inv.email}" autocomplete="username">
${f({ name: 'password', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', value: '', hint: 'At least 12 characters; a passphrase of a few words is good. Not a well-known password.' })}`
    : html`<p>You are logged in as ${o.signedInAs}; the case will be added to your account.</p>`,
})}`;
}
