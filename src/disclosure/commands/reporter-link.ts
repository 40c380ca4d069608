/**
 * A reporter who filed without an account claims the case with a mailed link. When that link is
 * lost or expired, the team sends a new one (to the address the report gave) and the old ones stop
 * working: one audited action, refused once the case is claimed.
 */
import { newInvitation } from '../accounts/invitation.js';
import { actorLabel, type Actor } from '../actor.js';
import { randomId } from '../ids.js';
import { LINK_MARK } from '../outbox.js';
import { reasonText } from '../text.js';
import { audit, caseFor, notify, SIGNATURE, type DisclosureDeps } from './context.js';
import { claimSentence } from './intake.js';
import { closeInvitations } from './revocation.js';

export async function resendReporterLink(deps: DisclosureDeps, actor: Actor, caseKey: string, reasonInput: unknown): Promise<{ reference: string; to: string; closed: number }> {
  const now = deps.clock.now();
  const reason = reasonText(reasonInput);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.resendReporterLink', now);
    const old = (await tx.invitations.listByCase(c.id)).filter((i) => i.kind === 'reporter');
    const closed = await closeInvitations(tx, old, now, 'a new link was sent');
    const { record } = newInvitation(
      deps.random,
      randomId(deps.random),
      { kind: 'reporter', caseId: c.id, email: c.report.reporter.email, name: c.report.reporter.name, role: 'external', invitedBy: actorLabel(actor) },
      now,
      deps.config.invitationDays,
    );
    await tx.invitations.insert(record);
    await notify(tx, deps, now, {
      to: c.report.reporter.email,
      subject: `[${c.reference}] A new link to follow your report`,
      body: `The CPAN Security Group sends you a new link for your report ${c.reference}; earlier links no longer work.\n${claimSentence(deps)}\n${LINK_MARK}\n\nThe case page:\n${deps.config.links.case(c.reference)}${SIGNATURE}`,
      caseId: c.id,
      link: { kind: 'invitation', invitationId: record.id },
    });
    await audit(tx, actor, now, { caseId: c.id, action: 'reporter.linkResent', reason, data: { invitationId: record.id, closed } });
    return { reference: c.reference, to: c.report.reporter.email, closed };
  });
}
