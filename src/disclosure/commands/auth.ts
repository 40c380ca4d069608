/**
 * Logging in and recognising who is calling: sessions for the browser, API tokens for scripts.
 * A login is refused in the same words whether the address is unknown, the password wrong or the
 * account disabled, and takes as long either way (a dummy scrypt for unknown addresses). The
 * attempt is counted before its password is checked (credentials.ts: a slot per account and
 * address, the attempt reserved in the transaction that checks the limits, scrypt in a
 * process-wide slot), so neither parallel guesses nor a pile-up of scrypt runs get through. The
 * second factor is checked inside the last transaction, so one code cannot open two sessions.
 */
import { isStaffRole, type Account } from '../accounts/account.js';
import { hashPassword, needsRehash } from '../accounts/password.js';
import { checkSession, hashSessionToken, newSession, type Session } from '../accounts/session.js';
import { Throttled } from '../accounts/throttle.js';
import { checkApiToken, tokenPrefix } from '../accounts/tokens.js';
import { checkTotp, useRecoveryCode } from '../accounts/totp.js';
import { accountActor, type AccountActor } from '../actor.js';
import { emailKey } from '../text.js';
import type { DisclosureDeps } from './context.js';
import { attemptKey, checkAccountPassword, enterSlot, inHashSlot, reserveAttempt } from './credentials.js';

export interface LoginInput {
  email: string;
  password: string;
  /** a TOTP code, or a recovery code */
  secondFactor?: string;
  /** the client address, for rate limiting */
  ip: string;
}

export type LoginResult =
  | { ok: true; token: string; session: Session; actor: AccountActor }
  | { ok: false; reason: 'invalid' | 'second-factor-required' | 'second-factor-invalid'; retryAt?: undefined }
  /** too many attempts for the account or from the address (429) */
  | { ok: false; reason: 'rate-limited'; retryAt: Date }
  /** too many password checks in flight on the server (503) */
  | { ok: false; reason: 'busy'; retryAt: Date };

/** Must this account enrol a second factor before anything else? */
export function mustEnrolSecondFactor(deps: Pick<DisclosureDeps, 'config'>, a: Account): boolean {
  return deps.config.requireTotpForStaff && isStaffRole(a.role) && !a.totp?.confirmedAt;
}

export async function login(deps: DisclosureDeps, input: LoginInput): Promise<LoginResult> {
  const now = deps.clock.now();
  const key = attemptKey(emailKey(String(input.email ?? '').trim()), input.ip);
  let release: () => void;
  try {
    release = enterSlot(deps, key, now);
  } catch (e) {
    if (e instanceof Throttled) return { ok: false, reason: 'rate-limited', retryAt: e.retryAt };
    throw e;
  }
  try {
    return await attempt(deps, input, key, now);
  } finally {
    release();
  }
}

async function attempt(deps: DisclosureDeps, input: LoginInput, key: { emailKey: string; ip: string }, now: Date): Promise<LoginResult> {
  const { account, reserved } = await deps.store.transaction(async (tx) => ({
    account: await tx.accounts.getByEmailKey(key.emailKey),
    reserved: await reserveAttempt(tx, deps, key, now),
  }));
  if ('allowed' in reserved) return { ok: false, reason: 'rate-limited', retryAt: reserved.retryAt };
  const settle = (ok: boolean | null) => deps.store.transaction((tx) => tx.loginAttempts.settle(reserved.id, ok));

  const password = String(input.password ?? '');
  let passwordOk: boolean;
  let rehash: string | null = null;
  try {
    passwordOk = await inHashSlot(deps, now, () => checkAccountPassword(deps, account, password));
    if (passwordOk && needsRehash(account!.passwordHash!, deps.config.scrypt)) rehash = await inHashSlot(deps, now, () => hashPassword(password, deps.random, deps.config.scrypt));
  } catch (e) {
    if (!(e instanceof Throttled)) throw e;
    // nothing was tried: the reservation goes
    await settle(null);
    return { ok: false, reason: 'busy', retryAt: e.retryAt };
  }
  if (!passwordOk) return { ok: false, reason: 'invalid' };

  return deps.store.transaction(async (tx): Promise<LoginResult> => {
    const fresh = (await tx.accounts.get(account!.id))!;
    let updated: Account = rehash ? { ...fresh, passwordHash: rehash, updatedAt: now.toISOString() } : fresh;
    let secondFactor = false;
    if (fresh.totp?.confirmedAt) {
      // a correct password without its second factor is not a failure, and not a login either
      if (!input.secondFactor) {
        await tx.loginAttempts.settle(reserved.id, null);
        return { ok: false, reason: 'second-factor-required' };
      }
      const check = checkTotp(fresh.totp, input.secondFactor, now);
      if (check.ok) {
        updated = { ...updated, totp: { ...fresh.totp, lastStep: check.step } };
      } else {
        const remaining = useRecoveryCode(fresh.totp.recoveryCodes, input.secondFactor);
        // the reservation stays a failure
        if (!remaining) return { ok: false, reason: 'second-factor-invalid' };
        updated = { ...updated, totp: { ...fresh.totp, recoveryCodes: remaining } };
      }
      secondFactor = true;
    }
    await tx.loginAttempts.settle(reserved.id, true);
    if (updated !== fresh) await tx.accounts.update(updated);
    const { token, record } = newSession(deps.random, fresh.id, secondFactor, now, deps.config.session);
    await tx.sessions.insert(record);
    return { ok: true, token, session: record, actor: accountActor(fresh, 'session', { restricted: mustEnrolSecondFactor(deps, fresh) }) };
  });
}

export interface Resolved {
  actor: AccountActor;
  session: Session;
}

/** The actor of a session cookie, or undefined (unknown, expired, idle, or the account disabled). */
export async function resolveSession(deps: DisclosureDeps, token: string): Promise<Resolved | undefined> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const s = await tx.sessions.get(hashSessionToken(String(token)));
    if (!s) return undefined;
    if (checkSession(s, now, deps.config.session) !== 'ok') {
      await tx.sessions.delete(s.idHash);
      return undefined;
    }
    const a = await tx.accounts.get(s.accountId);
    if (!a || a.disabled) return undefined;
    // one write a minute at most, not one per request
    let session = s;
    if (now.getTime() - new Date(s.lastSeenAt).getTime() >= 60_000) {
      session = { ...s, lastSeenAt: now.toISOString() };
      await tx.sessions.update(session);
    }
    return { actor: accountActor(a, 'session', { restricted: mustEnrolSecondFactor(deps, a) }), session };
  });
}

export async function logout(deps: DisclosureDeps, token: string): Promise<void> {
  await deps.store.transaction((tx) => tx.sessions.delete(hashSessionToken(String(token))));
}

/** The actor of an API token (`Authorization: Bearer cpansec_…`), or undefined. */
export async function resolveApiToken(deps: DisclosureDeps, presented: string): Promise<AccountActor | undefined> {
  const now = deps.clock.now();
  const prefix = tokenPrefix(String(presented));
  if (!prefix) return undefined;
  return deps.store.transaction(async (tx) => {
    const t = await tx.tokens.getByPrefix(prefix);
    if (!t || checkApiToken(t, presented, now) !== 'ok') return undefined;
    const a = await tx.accounts.get(t.accountId);
    if (!a || a.disabled) return undefined;
    if (!t.lastUsedAt || now.getTime() - new Date(t.lastUsedAt).getTime() >= 60_000) await tx.tokens.update({ ...t, lastUsedAt: now.toISOString() });
    // an account that must still enrol a second factor can do nothing through a token either
    return accountActor(a, 'token', { readOnly: t.readOnly, restricted: mustEnrolSecondFactor(deps, a) });
  });
}
