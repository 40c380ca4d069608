/**
 * API tokens for scripts: `cpansec_<prefix>_<secret>`. The prefix (40 random bits) is stored in
 * clear to find the token and to name it in the UI; the secret (256 random bits) is stored only as
 * a SHA-256 hash — a fast hash is enough for a secret of that entropy, unlike a password — and
 * the whole token is shown once, when it is made. The fixed `cpansec_` start lets secret scanners
 * recognise a leaked token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RandomSource } from '../clock.js';
import { base32 } from '../ids.js';

export interface ApiToken {
  id: string;
  accountId: string;
  /** what the owner called it ("CI of Foo-Bar") */
  name: string;
  prefix: string;
  /** SHA-256 of the whole token, hex */
  hash: string;
  /** a read-only token may only look */
  readOnly: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const TOKEN = /^cpansec_([0-9a-z]{8})_([0-9a-z]{52})$/;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewToken {
  /** the token itself: give it to the owner now, it is never shown again */
  token: string;
  record: ApiToken;
}

export function newApiToken(
  random: RandomSource,
  id: string,
  fields: { accountId: string; name: string; readOnly: boolean; expiresAt: Date | null },
  now: Date,
): NewToken {
  const prefix = base32(random.bytes(5)).toLowerCase();
  const secret = base32(random.bytes(32)).toLowerCase();
  const token = `cpansec_${prefix}_${secret}`;
  return {
    token,
    record: {
      id,
      accountId: fields.accountId,
      name: fields.name,
      prefix,
      hash: sha256(token),
      readOnly: fields.readOnly,
      createdAt: now.toISOString(),
      expiresAt: fields.expiresAt?.toISOString() ?? null,
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

/** The prefix of something that looks like one of our tokens (from an Authorization header). */
export function tokenPrefix(text: string): string | undefined {
  return TOKEN.exec(text.trim())?.[1];
}

export type TokenCheck = 'ok' | 'mismatch' | 'revoked' | 'expired';

/** Does the presented token match the stored one, and is that one still usable? Constant time on the secret. */
export function checkApiToken(record: ApiToken, presented: string, now: Date): TokenCheck {
  const a = Buffer.from(sha256(presented.trim()), 'hex');
  const b = Buffer.from(record.hash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return 'mismatch';
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt && new Date(record.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'ok';
}
