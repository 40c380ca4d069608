/**
 * "Forgotten password": anyone may ask for a link to set a new password for an address. The
 * answer is the same whether or not an account has that address (nothing to learn by asking);
 * the link is mailed to the address only, and works once. The old password keeps working until
 * the new one is set (an attacker who asks cannot lock the owner out). Requests are limited per
 * client address and per account in the store (shared by every server): past the address's
 * limit the caller is told to wait; past the account's, nothing more is mailed, silently.
 */
import { newInvitation } from '../accounts/invitation.js';
import type { Actor } from '../actor.js';
import { randomId } from '../ids.js';
import { LINK_MARK } from '../outbox.js';
import { emailKey, optionalText } from '../text.js';
import { audit, notify, SIGNATURE, type DisclosureDeps } from './context.js';

const HOUR = 3_600_000;
export const RESET_LIMITS = { perAddressPerHour: 5, perAccountPerHour: 3 } as const;

export type ResetRequestResult = { ok: true } | { ok: false; retryAt: Date };

export async function requestPasswordReset(deps: DisclosureDeps, actor: Actor, input: { email: unknown; ip: string }): Promise<ResetRequestResult> {
  const now = deps.clock.now();
  // an address that is not one is answered like any other: it has no account
  const address = (optionalText(input.email, 'email', { max: 320 }) ?? '').trim();
  const since = new Date(now.getTime() - HOUR).toISOString();
  return deps.store.transaction(async (tx) => {
    const byAddress = await tx.limits.since(`reset-ip:${input.ip}`, since);
    if (byAddress.length >= RESET_LIMITS.perAddressPerHour) return { ok: false, retryAt: new Date(new Date(byAddress[0]!).getTime() + HOUR) };
    await tx.limits.add(`reset-ip:${input.ip}`, now.toISOString());
    const account = address.includes('@') ? await tx.accounts.getByEmailKey(emailKey(address)) : undefined;
    if (!account || account.disabled) return { ok: true };
    const byAccount = await tx.limits.since(`reset-account:${account.id}`, since);
    if (byAccount.length >= RESET_LIMITS.perAccountPerHour) return { ok: true };
    await tx.limits.add(`reset-account:${account.id}`, now.toISOString());
    const { record } = newInvitation(deps.random, randomId(deps.random), { kind: 'account', caseId: null, email: account.email, name: account.name, role: account.role, invitedBy: 'system:forgotten-password' }, now, deps.config.invitationDays);
    await tx.invitations.insert(record);
    await notify(tx, deps, now, {
      to: account.email,
      subject: 'Set a new cpansec password',
      body: `Hello ${account.name},\n\nsomeone (you, we hope) asked for a link to set a new password for your account in the CPAN Security Group workspace. If it was not you, ignore this mail: your password still works. Set a new one here (the link works once, for ${deps.config.invitationDays} days):\n${LINK_MARK}${SIGNATURE}`,
      caseId: null,
      link: { kind: 'invitation', invitationId: record.id },
    });
    await audit(tx, actor, now, { caseId: null, action: 'account.resetRequested', reason: 'forgotten password', data: { accountId: account.id, invitationId: record.id } });
    return { ok: true };
  });
}
