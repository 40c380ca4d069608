/**
 * Accounts: the first administrator (made by the operator, `cpansec admin create`, never by
 * default), team members invited by an administrator, reporters and authors who redeem an
 * invitation, password changes, roles and disabling. The last administrator cannot be demoted
 * or disabled, so the workspace never locks itself out.
 */
import { CpansecError } from '../../errors.js';
import { isStaffRole, parseAccountRole, type Account, type AccountRole } from '../accounts/account.js';
import { checkInvitation, hashInvitationToken, invitationProblem, newInvitation, type Invitation } from '../accounts/invitation.js';
import { checkPassword } from '../accounts/password-policy.js';
import { actorLabel, type Actor } from '../actor.js';
import { randomId } from '../ids.js';
import { LINK_MARK } from '../outbox.js';
import { authorize } from '../policy.js';
import type { DisclosureTx } from '../repository.js';
import { email as emailField, emailKey, text } from '../text.js';
import { accountFor, audit, notify, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';
import { hashNewPassword, recheckPassword } from './credentials.js';
import { closeAccountInvitations, closeInvitations, revokeAllTokens } from './revocation.js';

/** An account without its secrets, for display. */
export type AccountView = Omit<Account, 'passwordHash' | 'totp'> & { hasPassword: boolean; secondFactor: boolean };

export function accountView(a: Account): AccountView {
  const { passwordHash, totp, ...rest } = a;
  return { ...rest, hasPassword: passwordHash !== null, secondFactor: totp?.confirmedAt != null };
}

function newAccount(deps: DisclosureDeps, fields: { email: string; name: string; role: AccountRole; passwordHash: string | null }, now: Date): Account {
  return { id: randomId(deps.random), ...fields, emailKey: emailKey(fields.email), disabled: false, totp: null, createdAt: now.toISOString(), updatedAt: now.toISOString() };
}

/** The first administrator. Refused once any administrator exists. */
export async function createFirstAdmin(deps: DisclosureDeps, actor: Actor, input: { email: unknown; name: unknown; password: unknown }): Promise<AccountView> {
  const now = deps.clock.now();
  authorize(actor, 'account.createFirstAdmin', null, now);
  const address = emailField(input.email, 'email');
  const name = text(input.name, 'name', { max: 200 });
  const password = checkPassword(input.password, { email: address, name }, deps.config.password);
  const passwordHash = await hashNewPassword(deps, password, now);
  return deps.store.transaction(async (tx) => {
    if ((await tx.accounts.countByRole('admin')) > 0) throw new CpansecError('CONFLICT', 'an administrator exists already; administrators add accounts in the workspace', { file: 'admin' });
    const account = newAccount(deps, { email: address, name, role: 'admin', passwordHash }, now);
    await tx.accounts.insert(account);
    await audit(tx, actor, now, { caseId: null, action: 'account.created', reason: 'first administrator', data: { accountId: account.id, role: 'admin' } });
    return accountView(account);
  });
}

/** An administrator adds an account; its owner sets the password through the mailed link. */
/**
 * Whether a command that mails a single-use link also returns it: only for the operator's command
 * line (`cpansec admin`, at the server with the database's rights anyway, and where mail may not be
 * set up yet). Pages and the API never ask: an administrator must not be able to take an account
 * over silently with the link meant for its owner. Audited as `linkRevealed`.
 */
export interface LinkOptions {
  revealLink?: boolean;
}

export async function inviteAccount(deps: DisclosureDeps, actor: Actor, input: { email: unknown; name: unknown; role: unknown }, options: LinkOptions = {}): Promise<{ account: AccountView; link?: string }> {
  const now = deps.clock.now();
  authorize(actor, 'account.manage', null, now);
  const address = emailField(input.email, 'email');
  const name = text(input.name, 'name', { max: 200 });
  const role = parseAccountRole(input.role);
  return deps.store.transaction(async (tx) => {
    const account = newAccount(deps, { email: address, name, role, passwordHash: null }, now);
    await tx.accounts.insert(account);
    const { token, record } = newInvitation(deps.random, randomId(deps.random), { kind: 'account', caseId: null, email: address, name, role, invitedBy: actorLabel(actor) }, now, deps.config.invitationDays);
    await tx.invitations.insert(record);
    const link = deps.config.links.invitation(token);
    await notify(tx, deps, now, {
      to: address,
      subject: 'Your cpansec account',
      body: `Hello ${name},\n\nan account (${role}) was made for you in the CPAN Security Group workspace. Set your password here (the link works once, for ${deps.config.invitationDays} days):\n${LINK_MARK}${SIGNATURE}`,
      caseId: null,
      link: { kind: 'invitation', invitationId: record.id },
    });
    await audit(tx, actor, now, { caseId: null, action: 'account.created', reason: `invited as ${role}`, data: { accountId: account.id, role, ...(options.revealLink ? { linkRevealed: true } : {}) } });
    return { account: accountView(account), ...(options.revealLink ? { link } : {}) };
  });
}

/**
 * An administrator resets someone's password: the old one stops working at once, every session
 * ends, every API token is revoked (a reset is what one does when the account may be in other
 * hands), older links to set the password are closed, and the owner sets a new one through a
 * single-use link, mailed to the owner only (see `LinkOptions`).
 */
export async function resetPassword(deps: DisclosureDeps, actor: Actor, accountId: string, reasonInput: unknown, options: LinkOptions = {}): Promise<{ account: AccountView; link?: string }> {
  const now = deps.clock.now();
  authorize(actor, 'account.manage', null, now);
  const reason = text(reasonInput, 'reason', { max: 2000, multiline: true });
  return deps.store.transaction(async (tx) => {
    const a = await accountFor(tx, String(accountId));
    const next: Account = { ...a, passwordHash: null, updatedAt: now.toISOString() };
    await tx.accounts.update(next);
    await tx.sessions.deleteByAccount(a.id);
    const tokensRevoked = await revokeAllTokens(tx, a.id, now);
    const linksClosed = await closeAccountInvitations(tx, a.emailKey, now, 'a newer password reset');
    const { token, record } = newInvitation(deps.random, randomId(deps.random), { kind: 'account', caseId: null, email: a.email, name: a.name, role: a.role, invitedBy: actorLabel(actor) }, now, deps.config.invitationDays);
    await tx.invitations.insert(record);
    const link = deps.config.links.invitation(token);
    await notify(tx, deps, now, {
      to: a.email,
      subject: 'Your cpansec password was reset',
      body: `Hello ${a.name},\n\nan administrator reset the password of your account in the CPAN Security Group workspace; the old one no longer works, and neither do your API tokens. Set a new one here (the link works once, for ${deps.config.invitationDays} days):\n${LINK_MARK}${SIGNATURE}`,
      caseId: null,
      link: { kind: 'invitation', invitationId: record.id },
    });
    await audit(tx, actor, now, { caseId: null, action: 'account.passwordReset', reason, data: { accountId: a.id, invitationId: record.id, tokensRevoked, linksClosed, ...(options.revealLink ? { linkRevealed: true } : {}) } });
    return { account: accountView(next), ...(options.revealLink ? { link } : {}) };
  });
}

async function invitationFor(tx: DisclosureTx, token: string, now: Date): Promise<Invitation> {
  const inv = await tx.invitations.getByTokenHash(hashInvitationToken(String(token)));
  if (!inv) throw new CpansecError('NOT_FOUND', 'this invitation link is not valid', { file: 'invitation' });
  const state = checkInvitation(inv, now);
  if (state !== 'ok') throw new CpansecError('CONFLICT', invitationProblem(state), { file: 'invitation' });
  return inv;
}

/**
 * Redeem an invitation. An account invitation sets the password of the account the administrator
 * made, and closes every other open link to set it. A reporter or author invitation links the
 * case to the logged-in account with the invited address, or makes a new external account with
 * the password given.
 */
export async function redeemInvitation(deps: DisclosureDeps, actor: Actor, token: string, input: { password?: unknown; name?: unknown }): Promise<AccountView> {
  const now = deps.clock.now();
  const peek = await deps.store.transaction((tx) => invitationFor(tx, token, now));
  const needsPassword = peek.kind === 'account' || actor.kind !== 'account';
  const name = input.name === undefined || input.name === null || input.name === '' ? peek.name ?? peek.email.split('@')[0]! : text(input.name, 'name', { max: 200 });
  const passwordHash = needsPassword ? await hashNewPassword(deps, checkPassword(input.password, { email: peek.email, name }, deps.config.password), now) : null;
  return deps.store.transaction(async (tx) => {
    const inv = await invitationFor(tx, token, now); // again: it may have been used meanwhile
    const existing = await tx.accounts.getByEmailKey(emailKey(inv.email));
    let account: Account;
    if (inv.kind === 'account') {
      if (!existing) throw new CpansecError('NOT_FOUND', 'the invited account no longer exists', { file: 'invitation' });
      account = { ...existing, passwordHash, updatedAt: now.toISOString() };
      await tx.accounts.update(account);
      await closeAccountInvitations(tx, existing.emailKey, now, 'the password was set with another link', inv.id);
    } else if (actor.kind === 'account') {
      if (!existing || existing.id !== actor.accountId) {
        throw new CpansecError('FORBIDDEN', `this invitation is for ${inv.email}; log in with that address (or log out to make an account)`, { file: 'invitation' });
      }
      account = existing;
    } else {
      if (existing) throw new CpansecError('CONFLICT', `an account for ${inv.email} exists: log in first, then open the link again`, { file: 'invitation' });
      account = newAccount(deps, { email: inv.email, name, role: 'external', passwordHash }, now);
      await tx.accounts.insert(account);
      await audit(tx, actor, now, { caseId: null, action: 'account.created', reason: `${inv.kind} invitation`, data: { accountId: account.id, role: 'external' } });
    }
    if (inv.caseId) {
      const c = await tx.cases.get(inv.caseId);
      if (!c) throw new CpansecError('NOT_FOUND', 'the case of this invitation no longer exists', { file: 'invitation' });
      if (inv.kind === 'reporter') {
        if (c.reporterAccountId && c.reporterAccountId !== account.id) throw new CpansecError('CONFLICT', 'this case was claimed already', { file: 'invitation' });
        await saveCase(tx, { ...c, reporterAccountId: account.id }, now);
        // the other claim links of the case (re-sent ones) have done their work
        await closeInvitations(tx, (await tx.invitations.listByCase(c.id)).filter((i) => i.kind === 'reporter'), now, 'the case was claimed', inv.id);
      } else if (!c.authorAccountIds.includes(account.id)) {
        await saveCase(tx, { ...c, authorAccountIds: [...c.authorAccountIds, account.id] }, now);
      }
    }
    await tx.invitations.update({ ...inv, redeemedAt: now.toISOString(), redeemedBy: account.id });
    await audit(tx, actor, now, { caseId: inv.caseId, action: 'invitation.redeemed', reason: `${inv.kind} invitation accepted`, data: { invitationId: inv.id, accountId: account.id } });
    return accountView(account);
  });
}

/**
 * The owner changes their password, proving the current one (counted as a login attempt: a stolen
 * session is no free password oracle). Every session of the account ends (log in again), every
 * open link to set the password is closed, and on request every API token is revoked.
 */
export async function changePassword(deps: DisclosureDeps, actor: Actor, input: { current: unknown; next: unknown; revokeTokens?: unknown; ip?: unknown }): Promise<{ tokensRevoked: number }> {
  const now = deps.clock.now();
  authorize(actor, 'account.self', null, now);
  const id = (actor as Extract<Actor, { kind: 'account' }>).accountId;
  const account = await recheckPassword(deps, id, input.current, input.ip, 'current');
  const passwordHash = await hashNewPassword(deps, checkPassword(input.next, account, deps.config.password), now);
  return deps.store.transaction(async (tx) => {
    const fresh = await accountFor(tx, id);
    await tx.accounts.update({ ...fresh, passwordHash, updatedAt: now.toISOString() });
    await tx.sessions.deleteByAccount(id);
    const linksClosed = await closeAccountInvitations(tx, fresh.emailKey, now, 'the owner changed the password');
    const tokensRevoked = input.revokeTokens === true ? await revokeAllTokens(tx, id, now) : 0;
    await audit(tx, actor, now, { caseId: null, action: 'account.password', reason: 'password changed', data: { accountId: id, tokensRevoked, linksClosed } });
    return { tokensRevoked };
  });
}

/** An administrator changes an account's role, or disables or enables it. */
export async function updateAccount(deps: DisclosureDeps, actor: Actor, accountId: string, input: { role?: unknown; disabled?: unknown }, reasonInput: unknown): Promise<AccountView> {
  const now = deps.clock.now();
  authorize(actor, 'account.manage', null, now);
  const reason = text(reasonInput, 'reason', { max: 2000, multiline: true });
  const role = input.role === undefined ? undefined : parseAccountRole(input.role);
  if (input.disabled !== undefined && typeof input.disabled !== 'boolean') throw new CpansecError('PARSE_ERROR', 'must be true or false', { file: 'disabled' });
  return deps.store.transaction(async (tx) => {
    const a = await accountFor(tx, String(accountId));
    const next: Account = { ...a, ...(role ? { role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled as boolean } : {}), updatedAt: now.toISOString() };
    const losesAdmin = a.role === 'admin' && !a.disabled && (next.role !== 'admin' || next.disabled);
    if (losesAdmin && (await tx.accounts.list()).filter((x) => x.role === 'admin' && !x.disabled).length <= 1) {
      throw new CpansecError('CONFLICT', 'this is the last administrator', { file: 'account' });
    }
    await tx.accounts.update(next);
    if (next.disabled || (isStaffRole(a.role) && !isStaffRole(next.role))) await tx.sessions.deleteByAccount(a.id);
    // disabling ends the account's credentials for good: enabling it again revives no token and no
    // link (the owner makes new tokens; an administrator resets the password if needed)
    const tokensRevoked = next.disabled && !a.disabled ? await revokeAllTokens(tx, a.id, now) : 0;
    const linksClosed = next.disabled && !a.disabled ? await closeAccountInvitations(tx, a.emailKey, now, 'the account was disabled') : 0;
    await audit(tx, actor, now, {
      caseId: null,
      action: 'account.updated',
      reason,
      data: { accountId: a.id, role: next.role, disabled: next.disabled, 'role.before': a.role, 'disabled.before': a.disabled, ...(tokensRevoked ? { tokensRevoked } : {}), ...(linksClosed ? { linksClosed } : {}) },
    });
    return accountView(next);
  });
}
