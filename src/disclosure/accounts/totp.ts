/**
 * TOTP second factor (RFC 6238, via otpauth): SHA-1, 6 digits, 30-second steps, one step of clock
 * drift either way. A code is accepted once: the account keeps the last time step used and refuses
 * that step and any earlier one (RFC 6238 §5.2), so a code seen over a shoulder or in a proxy log
 * cannot be replayed. Recovery codes are single-use and stored hashed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { RandomSource } from '../clock.js';
import { base32 } from '../ids.js';

export interface TotpState {
  /** the shared secret, RFC 4648 base32 (what authenticator apps take) */
  secret: string;
  /** set when the owner proved the app works by entering a first code */
  confirmedAt: string | null;
  /** the last time step a code was accepted for */
  lastStep: number | null;
  /** SHA-256 (hex) of the unused recovery codes */
  recoveryCodes: string[];
}

export const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30, window: 1 } as const;

function totp(secret: string, label = 'cpansec', issuer = 'cpansec'): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: TOTP_PARAMS.algorithm, digits: TOTP_PARAMS.digits, period: TOTP_PARAMS.period });
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits). */
export function newTotpSecret(random: RandomSource): string {
  const bytes = random.bytes(20);
  return new Secret({ buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }).base32;
}

/** The otpauth:// URI an authenticator app scans (as a QR code) or takes by hand. */
export function totpUri(secret: string, account: string, issuer = 'cpansec'): string {
  return totp(secret, account, issuer).toString();
}

/** The current code; for tests and for showing what a clock-skewed app should display. */
export function totpCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'invalid' | 'replayed' };

export function checkTotp(state: Pick<TotpState, 'secret' | 'lastStep'>, code: string, now: Date): TotpCheck {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'malformed' };
  const delta = totp(state.secret).validate({ token, timestamp: now.getTime(), window: TOTP_PARAMS.window });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = TOTP.counter({ period: TOTP_PARAMS.period, timestamp: now.getTime() }) + delta;
  if (state.lastStep !== null && step <= state.lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const normalise = (code: string) => code.replace(/[\s-]+/g, '').toLowerCase();

/** Ten recovery codes (50 bits each, xxxxx-xxxxx): the codes to show once, and their hashes to store. */
export function newRecoveryCodes(random: RandomSource, count = 10): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, () => {
    const s = base32(random.bytes(7)).toLowerCase().slice(0, 10);
    return `${s.slice(0, 5)}-${s.slice(5)}`;
  });
  return { codes, hashes: codes.map((c) => sha256(normalise(c))) };
}

/** Use a recovery code: the remaining hashes when it matched one, undefined otherwise. */
export function useRecoveryCode(hashes: string[], code: string): string[] | undefined {
  const h = Buffer.from(sha256(normalise(code)), 'hex');
  const i = hashes.findIndex((x) => {
    const b = Buffer.from(x, 'hex');
    return b.length === h.length && timingSafeEqual(b, h);
  });
  return i < 0 ? undefined : hashes.filter((_, j) => j !== i);
}
