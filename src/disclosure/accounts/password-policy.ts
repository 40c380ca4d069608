/**
 * What a new password must be, after NIST SP 800-63B §5.1.1.2: long enough, not too long to hash
 * cheaply, no composition rules, and not one an attacker tries first — the account's own e-mail
 * or name, a single repeated character, a keyboard or alphabet run, or a well-known password.
 */
import { CpansecError } from '../../errors.js';
import { charCount } from '../text.js';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, maxLength: 256 };

/** The most common passwords of twelve characters or more in public breach lists. */
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890qwerty',
  'qwertyuiop123', 'qwerty123456', 'qwertyuiopasdf', 'password1234', 'password12345', 'password123456',
  'passwordpassword', 'iloveyou1234', 'administrator', 'letmein12345', 'welcome12345', 'changeme1234',
  'trustno1trustno1', 'football1234', 'baseball1234', 'superman1234', 'abcdefghijkl', '111111111111',
  'correcthorsebatterystaple', 'cpansecurity', 'cpansec12345',
]);

const RUNS = ['abcdefghijklmnopqrstuvwxyz', '1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1qaz2wsx3edc4rfv5tgb'];

/** One short piece repeated ("abcabcabcabc"), or a stretch of the alphabet, digits or a keyboard row, either way round. */
function isRun(s: string): boolean {
  const lower = s.toLowerCase();
  for (let k = 1; k <= 4; k++) {
    if (lower.length % k === 0 && lower.slice(0, k).repeat(lower.length / k) === lower) return true;
  }
  return RUNS.some((run) => {
    const cycle = run.repeat(Math.ceil(lower.length / run.length) + 1);
    return cycle.includes(lower) || [...cycle].reverse().join('').includes(lower);
  });
}

/** Throws PARSE_ERROR on the field `password` with the reason, else returns the password unchanged. */
export function checkPassword(password: unknown, context: { email?: string; name?: string | null } = {}, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  const bad = (message: string) => new CpansecError('PARSE_ERROR', message, { file: 'password' });
  if (typeof password !== 'string') throw bad('must be text');
  const n = charCount(password.normalize('NFKC'));
  if (n < policy.minLength) throw bad(`must be at least ${policy.minLength} characters (a passphrase of several words is easiest)`);
  if (n > policy.maxLength) throw bad(`must be at most ${policy.maxLength} characters`);
  if (/[\u0000-\u001F\u007F]/.test(password)) throw bad('must not contain control characters');
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || isRun(password)) throw bad('is too common; choose another');
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (context.email && (lower === context.email.toLowerCase() || (local && local.length >= 4 && lower.includes(local)))) {
    throw bad('must not contain your e-mail address');
  }
  if (context.name && context.name.length >= 4 && lower.includes(context.name.toLowerCase())) throw bad('must not contain your name');
  return password;
}
