/**
 * Logging in and recognising who is calling: sessions for the browser, API tokens for scripts.
 * A login is refused in the same words whether the address is unknown, the password wrong or the
 * account disabled, and takes as long either way (a dummy scrypt for unknown addresses); failures
 * count against the address and the account (rate-limit.ts). The password is checked outside the
 * transaction (it is slow); the second factor inside it, so one code cannot open two sessions.
 */
import { isStaffRole, type Account } from '../accounts/account.js';
import { dummyVerify, hashPassword, needsRehash, verifyPassword } from '../accounts/password.js';
import { loginAllowed } from '../accounts/rate-limit.js';
import { checkSession, hashSessionToken, newSession, type Session } from '../accounts/session.js';
import { checkApiToken, tokenPrefix } from '../accounts/tokens.js';
import { checkTotp, useRecoveryCode } from '../accounts/totp.js';
import { accountActor, type AccountActor } from '../actor.js';
import { emailKey } from '../text.js';
import type { DisclosureDeps } from './context.js';

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
  | { ok: false; reason: 'rate-limited'; retryAt: Date };

function restricted(deps: DisclosureDeps, a: Account): boolean {
  return deps.config.requireTotpForStaff && isStaffRole(a.role) && !a.totp?.confirmedAt;
}

export async function login(deps: DisclosureDeps, input: LoginInput): Promise<LoginResult> {
  const now = deps.clock.now();
  const key = { emailKey: emailKey(String(input.email ?? '').trim()).slice(0, 254), ip: String(input.ip ?? '').slice(0, 64) };
  const since = new Date(now.getTime() - deps.config.rateLimit.windowMinutes * 60_000).toISOString();
  const { account, decision } = await deps.store.transaction(async (tx) => ({
    account: await tx.accounts.getByEmailKey(key.emailKey),
    decision: loginAllowed(await tx.loginAttempts.recent(key, since), key, now, deps.config.rateLimit),
  }));
  if (!decision.allowed) return { ok: false, reason: 'rate-limited', retryAt: decision.retryAt };

  const password = String(input.password ?? '');
  const usable = account && account.passwordHash && !account.disabled;
  const passwordOk = usable ? await verifyPassword(password, account.passwordHash!) : await dummyVerify(password, deps.config.scrypt);
  const rehash = passwordOk && needsRehash(account!.passwordHash!, deps.config.scrypt) ? await hashPassword(password, deps.random, deps.config.scrypt) : null;

  return deps.store.transaction(async (tx): Promise<LoginResult> => {
    const attempt = (ok: boolean) => tx.loginAttempts.insert({ at: now.toISOString(), emailKey: key.emailKey, ip: key.ip, ok });
    if (!passwordOk) {
      await attempt(false);
      return { ok: false, reason: 'invalid' };
    }
    const fresh = (await tx.accounts.get(account!.id))!;
    let updated: Account = rehash ? { ...fresh, passwordHash: rehash, updatedAt: now.toISOString() } : fresh;
    let secondFactor = false;
    if (fresh.totp?.confirmedAt) {
      // a correct password without its second factor is not a failure, and not a login either
      if (!input.secondFactor) return { ok: false, reason: 'second-factor-required' };
      const check = checkTotp(fresh.totp, input.secondFactor, now);
      if (check.ok) {
        updated = { ...updated, totp: { ...fresh.totp, lastStep: check.step } };
      } else {
        const remaining = useRecoveryCode(fresh.totp.recoveryCodes, input.secondFactor);
        if (!remaining) {
          await attempt(false);
          return { ok: false, reason: 'second-factor-invalid' };
        }
        updated = { ...updated, totp: { ...fresh.totp, recoveryCodes: remaining } };
      }
      secondFactor = true;
    }
    await attempt(true);
    if (updated !== fresh) await tx.accounts.update(updated);
    const { token, record } = newSession(deps.random, fresh.id, secondFactor, now, deps.config.session);
    await tx.sessions.insert(record);
    return { ok: true, token, session: record, actor: accountActor(fresh, 'session', { restricted: restricted(deps, fresh) }) };
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
    return { actor: accountActor(a, 'session', { restricted: restricted(deps, a) }), session };
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
    return accountActor(a, 'token', { readOnly: t.readOnly });
  });
}
