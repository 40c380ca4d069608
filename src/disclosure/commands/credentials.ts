/**
 * Checking a password, wherever it happens (logging in, changing the password, turning the second
 * factor off, making an API token), under the same limits:
 *  1. a slot for the account and the address (throttle.ts): a burst for one account or from one
 *     address is refused at once instead of queuing;
 *  2. the attempt is reserved — recorded as a failure — in the same transaction that decides
 *     whether it is allowed (rate-limit.ts), so parallel guesses all count before any scrypt ends;
 *  3. scrypt runs in a process-wide slot (503 when the queue is full);
 *  4. the reservation is settled: a success, or nothing at all (a password without its second
 *     factor), or left as the failure it was recorded as.
 */
import { CpansecError } from '../../errors.js';
import type { Account } from '../accounts/account.js';
import { dummyVerify, hashPassword, verifyPassword } from '../accounts/password.js';
import { loginAllowed, rateLimitHorizon, type RateDecision } from '../accounts/rate-limit.js';
import { BUSY, processThrottle, Throttled, type CredentialThrottle } from '../accounts/throttle.js';
import { randomId } from '../ids.js';
import type { DisclosureTx } from '../repository.js';
import { accountFor, type DisclosureDeps } from './context.js';

export interface AttemptKey {
  emailKey: string;
  ip: string;
}

const throttleOf = (deps: DisclosureDeps): CredentialThrottle => deps.throttle ?? processThrottle;

const seconds = (now: Date, s: number) => new Date(now.getTime() + s * 1000);

/** The client address as the rate limit keys it (what the CLI or a job passes when there is none). */
export function attemptKey(emailKey: string, ip: unknown): AttemptKey {
  return { emailKey: emailKey.slice(0, 254), ip: String(ip ?? '').slice(0, 64) || 'local' };
}

/** Step 1: a slot for this account and address, or Throttled(429). */
export function enterSlot(deps: DisclosureDeps, key: AttemptKey, now: Date): () => void {
  const slot = throttleOf(deps).enter(key);
  if ('refused' in slot) {
    throw new Throttled(429, seconds(now, 1), slot.refused === 'account' ? 'another attempt for this account is under way; try again in a moment' : 'too many attempts from your address at once; try again in a moment');
  }
  return slot.release;
}

/** Step 2, inside a transaction: the decision, and when allowed the attempt reserved as a failure. */
export async function reserveAttempt(tx: DisclosureTx, deps: DisclosureDeps, key: AttemptKey, now: Date): Promise<{ id: string } | Extract<RateDecision, { allowed: false }>> {
  const decision = loginAllowed(await tx.loginAttempts.recent(key, rateLimitHorizon(now, deps.config.rateLimit).toISOString()), key, now, deps.config.rateLimit);
  if (!decision.allowed) return decision;
  const id = randomId(deps.random);
  await tx.loginAttempts.insert({ id, at: now.toISOString(), emailKey: key.emailKey, ip: key.ip, ok: false });
  return { id };
}

/** Step 3: scrypt in the process-wide slot, or Throttled(503) when too many are waiting. */
export async function inHashSlot<T>(deps: DisclosureDeps, now: Date, work: () => Promise<T>): Promise<T> {
  const r = await throttleOf(deps).hash(work);
  if (r === BUSY) throw new Throttled(503, seconds(now, 2), 'the server is busy checking passwords; try again in a moment');
  return r;
}

/** A new password's hash, in the process-wide slot. */
export function hashNewPassword(deps: DisclosureDeps, password: string, now: Date = deps.clock.now()): Promise<string> {
  return inHashSlot(deps, now, () => hashPassword(password, deps.random, deps.config.scrypt));
}

/** Does the password open the account? (a dummy hash when it cannot, so the time is the same) */
export function checkAccountPassword(deps: DisclosureDeps, account: Account | undefined, password: string): Promise<boolean> {
  const usable = account && account.passwordHash && !account.disabled;
  return usable ? verifyPassword(password, account.passwordHash!) : dummyVerify(password, deps.config.scrypt);
}

const tooMany = (retryAt: Date, file: string) => new Throttled(429, retryAt, 'too many wrong passwords: try again later', file);

/**
 * The owner proves the password again before a sensitive change of their own account, under the
 * login's limits (a stolen session must not become a free password oracle). Returns the account;
 * FORBIDDEN on a wrong password (counted), Throttled when limited.
 */
export async function recheckPassword(deps: DisclosureDeps, accountId: string, password: unknown, ip: unknown, field: string): Promise<Account> {
  const now = deps.clock.now();
  const account = await deps.store.transaction((tx) => accountFor(tx, accountId));
  const key = attemptKey(account.emailKey, ip);
  const release = enterSlot(deps, key, now);
  try {
    const reserved = await deps.store.transaction((tx) => reserveAttempt(tx, deps, key, now));
    if ('allowed' in reserved) throw tooMany(reserved.retryAt, field);
    let ok: boolean;
    try {
      ok = await inHashSlot(deps, now, () => checkAccountPassword(deps, account, String(password ?? '')));
    } catch (e) {
      // not checked after all: no attempt to count
      await deps.store.transaction((tx) => tx.loginAttempts.settle(reserved.id, null));
      throw e;
    }
    if (!ok) throw new CpansecError('FORBIDDEN', field === 'current' ? 'the current password is not right' : 'the password is not right', { file: field });
    await deps.store.transaction((tx) => tx.loginAttempts.settle(reserved.id, true));
    return account;
  } finally {
    release();
  }
}
