/** One's own account: password, second factor, API tokens. */
import { html, type Html } from '../../../publish/site/index.js';
import type { AccountView, TokenView } from '../../../disclosure/index.js';
import { checkbox, errorSummary, field, fieldId, postForm, type FormState } from './forms.js';

export interface AccountPageData {
  account: AccountView;
  tokens: TokenView[];
  csrf: string;
  state?: FormState;
  /** shown once, right after they were made */
  newToken?: string;
  totpSetup?: { secret: string; uri: string };
  recoveryCodes?: string[];
  restricted: boolean;
}

const FIELDS: Record<string, string[]> = { password: ['current', 'next'], 'totp-confirm': ['code'], 'totp-disable': ['password'], token: ['name', 'expiresInDays', 'password'] };

export function accountPage(d: AccountPageData): Html {
  const s = d.state;
  const a = d.account;
  return html`<h1>Your account</h1>
${errorSummary(s, (name) => (s && FIELDS[s.form]?.includes(name) ? fieldId(s.form, name) : undefined))}
${d.restricted ? html`<p class="flag" role="alert">Team members must set up a second factor before anything else (API tokens too).</p>` : ''}
<dl class="facts"><dt>Name</dt><dd>${a.name}</dd><dt>E-mail</dt><dd>${a.email}</dd><dt>Role</dt><dd>${a.role}</dd><dt>Second factor</dt><dd>${a.secondFactor ? 'on' : 'off'}</dd></dl>

<h2>Second factor (TOTP)</h2>
${d.recoveryCodes ? html`<div class="status" role="status"><p>The second factor is on. Keep these recovery codes somewhere safe; each works once, and they are not shown again:</p><pre id="recovery-codes">${d.recoveryCodes.join('\n')}</pre></div>` : ''}
${a.secondFactor
  ? postForm({ action: '/workspace/account/totp/disable', csrf: d.csrf, label: 'Turn the second factor off', submit: 'Turn it off', body: field({ form: 'totp-disable', state: s, name: 'password', label: 'Your password', type: 'password', required: true, autocomplete: 'current-password', value: '' }) })
  : d.totpSetup
    ? html`<p>Add this account to your authenticator app: scan or type the secret <code id="totp-secret">${d.totpSetup.secret}</code> (or open <code>${d.totpSetup.uri}</code>), then enter the code it shows.</p>
${postForm({ action: '/workspace/account/totp/confirm', csrf: d.csrf, label: 'Confirm the second factor', submit: 'Turn the second factor on', body: field({ form: 'totp-confirm', state: s, name: 'code', label: 'Code from the app', required: true, autocomplete: 'one-time-code', value: '' }) })}`
    : postForm({ action: '/workspace/account/totp/begin', csrf: d.csrf, label: 'Set up a second factor', submit: 'Set up a second factor', body: html`<p class="hint">A time-based code from an app (RFC 6238) on top of your password.</p>` })}

<h2>Password</h2>
${postForm({
  action: '/workspace/account/password',
  csrf: d.csrf,
  label: 'Change the password',
  submit: 'Change the password',
  body: html`<input type="hidden" name="email" value="${a.email}" autocomplete="username">
${field({ form: 'password', state: s, name: 'current', label: 'Current password', type: 'password', required: true, autocomplete: 'current-password', value: '' })}
${field({ form: 'password', state: s, name: 'next', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', value: '', hint: 'At least 12 characters. Every session ends: you log in again.' })}
${checkbox({ form: 'password', name: 'revokeTokens', label: 'Also revoke all my API tokens', checked: true, hint: 'Do, if someone else may have had your password.' })}`,
})}

<h2>API tokens</h2>
${d.newToken ? html`<div class="status" role="status"><p>Your new token (it is shown only now):</p><pre id="new-token">${d.newToken}</pre><p>Send it as <code>Authorization: Bearer …</code> to the <code>/api/</code> endpoints.</p></div>` : ''}
${d.tokens.length
  ? html`<table><caption>Your tokens</caption><thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Access</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead>
<tbody>${d.tokens.map((t) => html`<tr><th scope="row">${t.name}</th><td class="mono">${t.prefix}</td><td>${t.readOnly ? 'read-only' : 'read and write'}</td><td>${t.expiresAt?.slice(0, 10) ?? 'never'}</td><td>${t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never'}</td><td>${t.revokedAt ? 'revoked' : postForm({ action: `/workspace/account/tokens/${t.id}/revoke`, csrf: d.csrf, label: `Revoke the token ${t.name}`, submit: 'Revoke', className: 'inline', body: html`` })}</td></tr>\n`)}</tbody></table>`
  : html`<p>No tokens.</p>`}
${d.restricted
  ? html`<p>Set up a second factor first; then you can make tokens.</p>`
  : postForm({
  action: '/workspace/account/tokens',
  csrf: d.csrf,
  label: 'Make an API token',
  submit: 'Make a token',
  body: html`${field({ form: 'token', state: s, name: 'name', label: 'What it is for', required: true, maxlength: 100 })}
${field({ form: 'token', state: s, name: 'expiresInDays', label: 'Valid for (days)', value: '90', hint: '1 to 366.' })}
${checkbox({ form: 'token', name: 'readOnly', label: 'Read-only (it may look, never change anything)', checked: true })}
${field({ form: 'token', state: s, name: 'password', label: 'Your password', type: 'password', required: true, autocomplete: 'current-password', value: '', hint: 'A token acts for you: making one needs your password again.' })}`,
})}`;
}
