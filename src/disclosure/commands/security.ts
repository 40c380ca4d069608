/**
 * An account's own security settings: API tokens and the TOTP second factor. Enrolment takes two
 * steps — a secret to scan, then a first code proving the app works — and ends with recovery
 * codes shown once. Making a token and turning the factor off need the password again (checked
 * under the login's limits); an administrator can reset the factor for someone who lost their
 * device. An account that must enrol a second factor first cannot make a token (policy
 * `account.token`), nor can the operator make one for it.
 */
import { CpansecError } from '../../errors.js';
import type { Account } from '../accounts/account.js';
import { newApiToken, type ApiToken } from '../accounts/tokens.js';
import { checkTotp, newRecoveryCodes, newTotpSecret, totpUri } from '../accounts/totp.js';
import type { Actor, AccountActor } from '../actor.js';
import { addDays } from '../clock.js';
import { randomId } from '../ids.js';
import { authorize } from '../policy.js';
import type { DisclosureTx } from '../repository.js';
import { invalid, text } from '../text.js';
import { mustEnrolSecondFactor } from './auth.js';
import { accountFor, audit, type DisclosureDeps } from './context.js';
import { recheckPassword } from './credentials.js';
import { revokeAllTokens } from './revocation.js';

function self(actor: Actor, now: Date): AccountActor {
  authorize(actor, 'account.self', null, now);
  return actor as AccountActor;
}

export type TokenView = Omit<ApiToken, 'hash'>;

const view = ({ hash: _hash, ...rest }: ApiToken): TokenView => rest;

export interface TokenInput {
  name: unknown;
  readOnly?: unknown;
  expiresInDays?: unknown;
}

function tokenFields(input: TokenInput): { name: string; readOnly: boolean; days: number } {
  const name = text(input.name, 'name', { max: 100 });
  const days = input.expiresInDays === undefined || input.expiresInDays === null ? 365 : Number(input.expiresInDays);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw invalid('expiresInDays', 'must be a whole number of days from 1 to 366');
  return { name, readOnly: input.readOnly === true, days };
}

async function storeToken(deps: DisclosureDeps, tx: DisclosureTx, actor: Actor, owner: Account, f: { name: string; readOnly: boolean; days: number }, now: Date): Promise<{ token: string; record: TokenView }> {
  const { token, record } = newApiToken(deps.random, randomId(deps.random), { accountId: owner.id, name: f.name, readOnly: f.readOnly, expiresAt: addDays(now, f.days) }, now);
  await tx.tokens.insert(record);
  await audit(tx, actor, now, { caseId: null, action: 'token.created', reason: f.name, data: { tokenId: record.id, prefix: record.prefix, readOnly: record.readOnly, accountId: owner.id } });
  return { token, record: view(record) };
}

/** One's own token: a session (not a token), no second factor still to enrol, and the password again. */
export async function createApiToken(deps: DisclosureDeps, actor: Actor, input: TokenInput & { password: unknown; ip?: unknown }): Promise<{ token: string; record: TokenView }> {
  const now = deps.clock.now();
  authorize(actor, 'account.token', null, now);
  const me = actor as AccountActor;
  const fields = tokenFields(input);
  await recheckPassword(deps, me.accountId, input.password, input.ip, 'password');
  return deps.store.transaction(async (tx) => {
    const owner = await tx.accounts.get(me.accountId);
    if (!owner || owner.disabled) throw new CpansecError('FORBIDDEN', 'the account is disabled', { file: 'account' });
    return storeToken(deps, tx, actor, owner, fields, now);
  });
}

/**
 * The operator's `cpansec admin token`: an administrator makes a token for an account (the
 * operator holds the database anyway; the audit log names the administrator). Refused for a
 * disabled account and for one that must enrol a second factor first.
 */
export async function issueApiToken(deps: DisclosureDeps, actor: Actor, accountId: string, input: TokenInput): Promise<{ token: string; record: TokenView }> {
  const now = deps.clock.now();
  authorize(actor, 'account.manage', null, now);
  const fields = tokenFields(input);
  return deps.store.transaction(async (tx) => {
    const owner = await accountFor(tx, String(accountId));
    if (owner.disabled) throw new CpansecError('FORBIDDEN', 'the account is disabled', { file: owner.email });
    if (mustEnrolSecondFactor(deps, owner)) throw new CpansecError('FORBIDDEN', 'the account must set up a second factor before it may have API tokens', { file: owner.email });
    return storeToken(deps, tx, actor, owner, fields, now);
  });
}

export async function listApiTokens(deps: DisclosureDeps, actor: Actor): Promise<TokenView[]> {
  const me = self(actor, deps.clock.now());
  return deps.store.transaction(async (tx) => (await tx.tokens.listByAccount(me.accountId)).map(view));
}

/** Revoke one's own token (an administrator may revoke anyone's). */
export async function revokeApiToken(deps: DisclosureDeps, actor: Actor, tokenId: string): Promise<void> {
  const now = deps.clock.now();
  const me = self(actor, now);
  await deps.store.transaction(async (tx) => {
    const t = await tx.tokens.get(String(tokenId));
    if (!t || (t.accountId !== me.accountId && me.role !== 'admin')) throw new CpansecError('NOT_FOUND', 'no such token', { file: 'token' });
    if (t.revokedAt) return;
    await tx.tokens.update({ ...t, revokedAt: now.toISOString() });
    await audit(tx, actor, now, { caseId: null, action: 'token.revoked', reason: t.name, data: { tokenId: t.id } });
  });
}

/** Step 1: a new secret, stored unconfirmed; the URI goes into a QR code. */
export async function beginTotp(deps: DisclosureDeps, actor: Actor): Promise<{ secret: string; uri: string }> {
  const now = deps.clock.now();
  const me = self(actor, now);
  return deps.store.transaction(async (tx) => {
    const a = await accountFor(tx, me.accountId);
    if (a.totp?.confirmedAt) throw new CpansecError('CONFLICT', 'a second factor is set up already; turn it off first', { file: 'totp' });
    const secret = newTotpSecret(deps.random);
    await tx.accounts.update({ ...a, totp: { secret, confirmedAt: null, lastStep: null, recoveryCodes: [] }, updatedAt: now.toISOString() });
    return { secret, uri: totpUri(secret, a.email) };
  });
}

/** Step 2: the first code from the app; returns the recovery codes, shown this once. */
export async function confirmTotp(deps: DisclosureDeps, actor: Actor, code: string): Promise<{ recoveryCodes: string[] }> {
  const now = deps.clock.now();
  const me = self(actor, now);
  return deps.store.transaction(async (tx) => {
    const a = await tx.accounts.get(me.accountId);
    if (!a?.totp || a.totp.confirmedAt) throw new CpansecError('CONFLICT', 'start the set-up first', { file: 'totp' });
    const check = checkTotp(a.totp, String(code), now);
    if (!check.ok) throw new CpansecError('PARSE_ERROR', 'the code is not right; check the clock of your device', { file: 'code' });
    const { codes, hashes } = newRecoveryCodes(deps.random);
    await tx.accounts.update({ ...a, totp: { ...a.totp, confirmedAt: now.toISOString(), lastStep: check.step, recoveryCodes: hashes }, updatedAt: now.toISOString() });
    await audit(tx, actor, now, { caseId: null, action: 'account.totp', reason: 'second factor enabled', data: { accountId: a.id } });
    return { recoveryCodes: codes };
  });
}

export async function disableTotp(deps: DisclosureDeps, actor: Actor, password: string, options: { ip?: unknown } = {}): Promise<void> {
  const now = deps.clock.now();
  const me = self(actor, now);
  await recheckPassword(deps, me.accountId, password, options.ip, 'password');
  await deps.store.transaction(async (tx) => {
    const fresh = await tx.accounts.get(me.accountId);
    if (!fresh) return;
    await tx.accounts.update({ ...fresh, totp: null, updatedAt: now.toISOString() });
    await audit(tx, actor, now, { caseId: null, action: 'account.totp', reason: 'second factor disabled', data: { accountId: fresh.id } });
  });
}

/**
 * An administrator removes someone's second factor (lost device); their sessions end, and on
 * request their API tokens are revoked (a device lost may be a device stolen).
 */
export async function resetTotp(deps: DisclosureDeps, actor: Actor, accountId: string, reason: unknown, options: { revokeTokens?: boolean } = {}): Promise<void> {
  const now = deps.clock.now();
  authorize(actor, 'account.manage', null, now);
  const why = text(reason, 'reason', { max: 2000, multiline: true });
  await deps.store.transaction(async (tx) => {
    const a = await accountFor(tx, String(accountId));
    await tx.accounts.update({ ...a, totp: null, updatedAt: now.toISOString() });
    await tx.sessions.deleteByAccount(a.id);
    const tokensRevoked = options.revokeTokens === true ? await revokeAllTokens(tx, a.id, now) : 0;
    await audit(tx, actor, now, { caseId: null, action: 'account.totp', reason: why, data: { accountId: a.id, reset: true, tokensRevoked } });
  });
}
