/**
 * Login rate limiting as a pure decision over the recent attempts: at most N failed logins per
 * account and M per client address in a sliding window. A successful login clears the account's
 * count (the owner is back), but never the address's, so one valid account cannot be used to keep
 * guessing at others from the same address.
 */
export interface LoginAttempt {
  at: string;
  /** the e-mail key tried (whether or not such an account exists) */
  emailKey: string;
  ip: string;
  ok: boolean;
}

export interface RateLimitConfig {
  windowMinutes: number;
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerIp: 30 };

export type RateDecision = { allowed: true } | { allowed: false; reason: 'account' | 'ip'; retryAt: Date };

/** When the oldest of the failures that keep the count at the limit leaves the window. */
function blockedUntil(failures: number[], max: number, windowMs: number): Date | undefined {
  if (failures.length < max) return undefined;
  const sorted = [...failures].sort((a, b) => a - b);
  return new Date(sorted[sorted.length - max]! + windowMs);
}

export function loginAllowed(attempts: readonly LoginAttempt[], key: { emailKey: string; ip: string }, now: Date, config: RateLimitConfig = DEFAULT_RATE_LIMIT): RateDecision {
  const windowMs = config.windowMinutes * 60_000;
  const since = now.getTime() - windowMs;
  const recent = attempts.filter((a) => {
    const t = new Date(a.at).getTime();
    return t > since && t <= now.getTime();
  });
  // a failure at the same instant as the success still counts: the cautious reading of a tie
  const lastSuccess = Math.max(-Infinity, ...recent.filter((a) => a.ok && a.emailKey === key.emailKey).map((a) => new Date(a.at).getTime()));
  const accountFailures = recent.filter((a) => !a.ok && a.emailKey === key.emailKey && new Date(a.at).getTime() >= lastSuccess).map((a) => new Date(a.at).getTime());
  const ipFailures = recent.filter((a) => !a.ok && a.ip === key.ip).map((a) => new Date(a.at).getTime());
  const byAccount = blockedUntil(accountFailures, config.maxFailuresPerAccount, windowMs);
  if (byAccount) return { allowed: false, reason: 'account', retryAt: byAccount };
  const byIp = blockedUntil(ipFailures, config.maxFailuresPerIp, windowMs);
  if (byIp) return { allowed: false, reason: 'ip', retryAt: byIp };
  return { allowed: true };
}
