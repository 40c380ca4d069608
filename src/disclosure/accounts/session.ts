/**
 * Browser sessions: a 256-bit random token in the cookie, only its SHA-256 stored (a stolen
 * database yields no usable session), an idle timeout and an absolute lifetime, and a per-session
 * CSRF token for the forms (the synchronizer-token pattern; phase 2 checks it on every POST).
 */
import { createHash } from 'node:crypto';
import { addMinutes, type RandomSource } from '../clock.js';
import { base32 } from '../ids.js';

export interface Session {
  /** SHA-256 of the cookie token, hex */
  idHash: string;
  accountId: string;
  createdAt: string;
  lastSeenAt: string;
  /** absolute end, whatever the activity */
  expiresAt: string;
  csrfToken: string;
  /** the login passed a second factor */
  secondFactor: boolean;
}

export interface SessionConfig {
  idleMinutes: number;
  absoluteHours: number;
}

export const DEFAULT_SESSION: SessionConfig = { idleMinutes: 60, absoluteHours: 12 };

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSession(random: RandomSource, accountId: string, secondFactor: boolean, now: Date, config: SessionConfig = DEFAULT_SESSION): { token: string; record: Session } {
  const token = base32(random.bytes(32)).toLowerCase();
  return {
    token,
    record: {
      idHash: hashSessionToken(token),
      accountId,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: addMinutes(now, config.absoluteHours * 60).toISOString(),
      csrfToken: base32(random.bytes(32)).toLowerCase(),
      secondFactor,
    },
  };
}

export type SessionCheck = 'ok' | 'expired' | 'idle';

export function checkSession(s: Session, now: Date, config: SessionConfig = DEFAULT_SESSION): SessionCheck {
  if (new Date(s.expiresAt).getTime() <= now.getTime()) return 'expired';
  if (addMinutes(s.lastSeenAt, config.idleMinutes).getTime() <= now.getTime()) return 'idle';
  return 'ok';
}
