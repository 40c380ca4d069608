/**
 * Ending credentials that should no longer work, inside the caller's transaction: every API token
 * of an account (a password reset, and on request a password change or a second-factor reset),
 * and the account's other links to set a password (once a password is set by one of them, by the
 * owner, or a newer reset link is issued, an older link must not set it again).
 */
import type { Invitation } from '../accounts/invitation.js';
import { checkInvitation } from '../accounts/invitation.js';
import type { DisclosureTx } from '../repository.js';

/** Revoke every usable token of the account; how many were. */
export async function revokeAllTokens(tx: DisclosureTx, accountId: string, now: Date): Promise<number> {
  let n = 0;
  for (const t of await tx.tokens.listByAccount(accountId)) {
    if (t.revokedAt) continue;
    await tx.tokens.update({ ...t, revokedAt: now.toISOString() });
    n++;
  }
  return n;
}

/** Close the open ones of these invitations but `keep`; how many were. */
export async function closeInvitations(tx: DisclosureTx, list: Invitation[], now: Date, reason: string, keep?: string): Promise<number> {
  let n = 0;
  for (const inv of list) {
    if (inv.id === keep || checkInvitation(inv, now) !== 'ok') continue;
    await tx.invitations.update({ ...inv, closedAt: now.toISOString(), closedReason: reason });
    n++;
  }
  return n;
}

/** Close the open links that set this address's account password (account invitations and resets). */
export async function closeAccountInvitations(tx: DisclosureTx, emailKey: string, now: Date, reason: string, keep?: string): Promise<number> {
  const list = (await tx.invitations.listByEmail(emailKey)).filter((i) => i.kind === 'account');
  return closeInvitations(tx, list, now, reason, keep);
}
