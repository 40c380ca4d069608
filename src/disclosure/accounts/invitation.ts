/**
 * Invitations: a single-use link by e-mail. An author is invited to one case; a reporter who filed
 * without an account gets one to claim the case; an administrator invites team members. Only the
 * token's SHA-256 is stored, and it expires. The link shown to whoever issued it (the command's
 * answer) and the links mailed are different tokens of the same invitation: a mailed link is made
 * when the mail is sent (outbox.ts), so no live link ever sits in a stored mail. An invitation
 * that is no longer wanted (a newer reset link, a password set meanwhile) is closed: none of its
 * links works any more.
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
  /** closed unused (absent in records written before closing existed) */
  closedAt?: string | null;
  closedReason?: string | null;
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token.trim()).digest('hex');
}

/** A new link token and its hash: the token goes into one link, the hash into the store. */
export function newInvitationToken(random: RandomSource): { token: string; tokenHash: string } {
  const token = base32(random.bytes(32)).toLowerCase();
  return { token, tokenHash: hashInvitationToken(token) };
}

export function newInvitation(
  random: RandomSource,
  id: string,
  fields: Pick<Invitation, 'kind' | 'caseId' | 'email' | 'name' | 'role' | 'invitedBy'>,
  now: Date,
  validDays: number,
): { token: string; record: Invitation } {
  const { token, tokenHash } = newInvitationToken(random);
  return {
    token,
    record: {
      id,
      ...fields,
      tokenHash,
      createdAt: now.toISOString(),
      expiresAt: addDays(now, validDays).toISOString(),
      redeemedAt: null,
      redeemedBy: null,
      closedAt: null,
      closedReason: null,
    },
  };
}

export type InvitationCheck = 'ok' | 'redeemed' | 'expired' | 'closed';

export function checkInvitation(inv: Invitation, now: Date): InvitationCheck {
  if (inv.redeemedAt) return 'redeemed';
  if (inv.closedAt) return 'closed';
  if (new Date(inv.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'ok';
}

/** What to tell someone holding a link that does not work (the same words on the page and from the API). */
export function invitationProblem(check: Exclude<InvitationCheck, 'ok'>): string {
  switch (check) {
    case 'redeemed':
      return 'this invitation was used already; log in instead';
    case 'closed':
      return 'this link is no longer valid: a newer one was sent, or the password was set meanwhile';
    default:
      return 'this invitation has expired; ask the team for a new one';
  }
}
