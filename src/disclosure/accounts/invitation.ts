/**
 * Invitations: a single-use link by e-mail. An author is invited to one case; a reporter who filed
 * without an account gets one to claim the case; an administrator invites team members. Only the
 * token's SHA-256 is stored, and it expires.
 */
import { createHash } from 'node:crypto';
import { addDays, type RandomSource } from '../clock.js';
import { base32 } from '../ids.js';
import type { AccountRole } from './account.js';

export type InvitationKind = 'reporter' | 'author' | 'account';

export interface Invitation {
  id: string;
  kind: InvitationKind;
  /** the case a reporter or author gets access to; null for an account invitation */
  caseId: string | null;
  email: string;
  name: string | null;
  /** the role of an invited account: external for reporters and authors */
  role: AccountRole;
  tokenHash: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  redeemedAt: string | null;
  redeemedBy: string | null;
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token.trim()).digest('hex');
}

export function newInvitation(
  random: RandomSource,
  id: string,
  fields: Pick<Invitation, 'kind' | 'caseId' | 'email' | 'name' | 'role' | 'invitedBy'>,
  now: Date,
  validDays: number,
): { token: string; record: Invitation } {
  const token = base32(random.bytes(32)).toLowerCase();
  return {
    token,
    record: {
      id,
      ...fields,
      tokenHash: hashInvitationToken(token),
      createdAt: now.toISOString(),
      expiresAt: addDays(now, validDays).toISOString(),
      redeemedAt: null,
      redeemedBy: null,
    },
  };
}

export type InvitationCheck = 'ok' | 'redeemed' | 'expired';

export function checkInvitation(inv: Invitation, now: Date): InvitationCheck {
  if (inv.redeemedAt) return 'redeemed';
  if (new Date(inv.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'ok';
}
