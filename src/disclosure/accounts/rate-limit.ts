/**
 * Login rate limiting as a pure decision over the recent attempts. Three counts, in a sliding
 * window:
 *  - per account and address: N failures of one account from one address (the usual guesser);
 *  - per address: M failures from one address, whatever the accounts (password spraying);
 *  - per account, all addresses together: a looser limit with back-off (a guesser spread over
 *    many addresses). Once reached, each further round of that many failures doubles how long
 *    the account stays closed to other addresses, up to `backoffMaxHours`. Addresses the account
 *    logged in from successfully in the last `knownAddressDays` are exempt from this count, so
 *    an attacker elsewhere can slow down the owner's logins from a new place but never lock the
 *    owner out of a place they use.
 * A successful login clears the account's counts (the owner is back), but never the address's,
 * so one valid account cannot be used to keep guessing at others from the same address.
 * Attempts are recorded before their password is checked (reserved as failures in the same
 * transaction as this decision), so parallel guesses are counted too.
 */
export interface LoginAttempt {
  /** set when the attempt was reserved before its password check (older records have none) */
  id?: string;
  at: string;
  /** the e-mail key tried (whether or not such an account exists) */
  emailKey: string;
  ip: string;
  ok: boolean;
}

export interface RateLimitConfig {
  windowMinutes: number;
  /** failures of one account from all addresses (not counting its known ones) before back-off */
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  /** failures of one account from one address (default 5) */
  maxFailuresPerAccountAddress?: number;
  /** the longest the account is closed to unknown addresses (default 24) */
  backoffMaxHours?: number;
  /** an address with a successful login this recent is the owner's (default 30) */
  knownAddressDays?: number;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitConfig> = {
  windowMinutes: 15,
  maxFailuresPerAccount: 20,
  maxFailuresPerIp: 30,
  maxFailuresPerAccountAddress: 5,
  backoffMaxHours: 24,
  knownAddressDays: 30,
};

export type RateDecision = { allowed: true } | { allowed: false; reason: 'account' | 'account-address' | 'ip'; retryAt: Date };

/** How far back the decision looks: what `recent` must be asked for. */
export function rateLimitHorizon(now: Date, config: RateLimitConfig): Date {
  const c = { ...DEFAULT_RATE_LIMIT, ...config };
  const ms = Math.max(c.windowMinutes * 60_000, c.backoffMaxHours * 3_600_000, c.knownAddressDays * 86_400_000);
  return new Date(now.getTime() - ms);
}

/** When the oldest of the failures that keep the count at the limit leaves the window. */
function blockedUntil(failures: number[], max: number, windowMs: number): Date | undefined {
  if (failures.length < max) return undefined;
  const sorted = [...failures].sort((a, b) => a - b);
  return new Date(sorted[sorted.length - max]! + windowMs);
}

/**
 * The account-wide limit: `max` failures close the account (to unknown addresses) until the
 * oldest of the last `max` is a window old — the plain sliding window — and every further `max`
 * failures within the back-off horizon double that time.
 */
function backoffUntil(failures: number[], max: number, windowMs: number, capMs: number): Date | undefined {
  if (failures.length < max) return undefined;
  const sorted = [...failures].sort((a, b) => a - b);
  const rounds = Math.floor(sorted.length / max) - 1;
  return new Date(sorted[sorted.length - max]! + Math.min(windowMs * 2 ** Math.min(rounds, 30), capMs));
}

export function loginAllowed(attempts: readonly LoginAttempt[], key: { emailKey: string; ip: string }, now: Date, config: RateLimitConfig = DEFAULT_RATE_LIMIT): RateDecision {
  const c = { ...DEFAULT_RATE_LIMIT, ...config };
  const t = now.getTime();
  const windowMs = c.windowMinutes * 60_000;
  const capMs = Math.max(windowMs, c.backoffMaxHours * 3_600_000);
  const time = (a: LoginAttempt) => new Date(a.at).getTime();
  const upToNow = attempts.filter((a) => time(a) <= t);
  const mine = upToNow.filter((a) => a.emailKey === key.emailKey);
  // a failure at the same instant as the success still counts: the cautious reading of a tie
  const lastSuccess = Math.max(-Infinity, ...mine.filter((a) => a.ok).map(time));
  const known = mine.some((a) => a.ok && a.ip === key.ip && time(a) > t - c.knownAddressDays * 86_400_000);
  const accountFailures = mine.filter((a) => !a.ok && time(a) >= lastSuccess && time(a) > t - capMs);
  const inWindow = (a: LoginAttempt) => time(a) > t - windowMs;

  const byAccount = known ? undefined : backoffUntil(accountFailures.map(time), c.maxFailuresPerAccount, windowMs, capMs);
  if (byAccount && byAccount.getTime() > t) return { allowed: false, reason: 'account', retryAt: byAccount };
  const pair = accountFailures.filter((a) => a.ip === key.ip && inWindow(a)).map(time);
  const byPair = blockedUntil(pair, c.maxFailuresPerAccountAddress, windowMs);
  if (byPair) return { allowed: false, reason: 'account-address', retryAt: byPair };
  const ipFailures = upToNow.filter((a) => !a.ok && a.ip === key.ip && inWindow(a)).map(time);
  const byIp = blockedUntil(ipFailures, c.maxFailuresPerIp, windowMs);
  if (byIp) return { allowed: false, reason: 'ip', retryAt: byIp };
  return { allowed: true };
}
