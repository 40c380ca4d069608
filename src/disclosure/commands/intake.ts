/**
 * Intake: anyone may file a report (the public form, the JSON endpoint, or the team entering a
 * report that came by mail). The reporter gets the case reference at once, and — when they filed
 * without an account — a single-use link to claim the case, so they can follow it and answer.
 */
import { CpansecError } from '../../errors.js';
import { newInvitation } from '../accounts/invitation.js';
import type { Actor } from '../actor.js';
import { applyReportEdit, newCase, validateReport, type Case } from '../case.js';
import { newCaseReference, randomId } from '../ids.js';
import { LINK_MARK, type MailLink } from '../outbox.js';
import { reasonText } from '../text.js';
import { authorize } from '../policy.js';
import { audit, caseFor, notify, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export interface Acknowledgement {
  reference: string;
  receivedAt: string;
  /** what to tell the reporter */
  message: string;
}

export interface FiledReport {
  acknowledgement: Acknowledgement;
  caseId: string;
}

export const claimSentence = (deps: DisclosureDeps) =>
  `To follow the case and answer the team's questions, set up your access here (the link works once, for ${deps.config.invitationDays} days):`;

export async function fileReport(deps: DisclosureDeps, actor: Actor, input: unknown): Promise<FiledReport> {
  const now = deps.clock.now();
  authorize(actor, 'case.file', null, now);
  const report = validateReport(input);
  const ownAccount = actor.kind === 'account' && actor.role === 'external' ? actor.accountId : null;
  return deps.store.transaction(async (tx) => {
    // 40 random bits: a clash is rare, and ten in a row means the random source is broken
    let reference = newCaseReference(deps.random, now);
    for (let i = 0; await tx.cases.getByReference(reference); i++) {
      if (i === 10) throw new CpansecError('CONFLICT', 'could not draw a free case reference', { file: 'reference' });
      reference = newCaseReference(deps.random, now);
    }
    const c = newCase({ id: randomId(deps.random), reference, report, reporterAccountId: ownAccount, at: now.toISOString() });
    await tx.cases.insert(c);
    await audit(tx, actor, now, { caseId: c.id, action: 'case.filed', to: 'received', reason: 'report received', data: { reference } });

    let claim = '';
    let link: MailLink | undefined;
    if (!ownAccount) {
      const { record } = newInvitation(
        deps.random,
        randomId(deps.random),
        { kind: 'reporter', caseId: c.id, email: report.reporter.email, name: report.reporter.name, role: 'external', invitedBy: 'system:intake' },
        now,
        deps.config.invitationDays,
      );
      await tx.invitations.insert(record);
      // the link itself is made when the mail is sent: no live link is stored
      claim = `\n${claimSentence(deps)}\n${LINK_MARK}\n`;
      link = { kind: 'invitation', invitationId: record.id };
    }
    await notify(tx, deps, now, {
      to: report.reporter.email,
      subject: `[${reference}] Your security report was received`,
      body: `Thank you for your report. Its reference is ${reference}; please quote it in any message about it.\n${claim}\nThe CPAN Security Group will look at it and answer through the case page:\n${deps.config.links.case(reference)}${SIGNATURE}`,
      caseId: c.id,
      ...(link ? { link } : {}),
    });
    await notify(tx, deps, now, {
      to: deps.config.teamAddress,
      subject: `[${reference}] New security report`,
      body: `A new report is waiting for triage:\n${deps.config.links.case(reference)}${SIGNATURE}`,
      caseId: c.id,
    });
    return {
      caseId: c.id,
      acknowledgement: {
        reference,
        receivedAt: c.createdAt,
        message: `Your report was received as ${reference}. Keep this reference; a confirmation was sent to ${report.reporter.email}.`,
      },
    };
  });
}

/** The reporter (while the case is new) or the team amends the report. */
export async function editReport(deps: DisclosureDeps, actor: Actor, caseKey: string, edit: unknown, reason?: string): Promise<Case> {
  const now = deps.clock.now();
  const why = reason === undefined || reason === '' ? 'report amended' : reasonText(reason);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.edit', now);
    const report = applyReportEdit(c.report, edit);
    const changed = Object.keys(edit as object).join(', ');
    const saved = await saveCase(tx, { ...c, report }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'case.edited', reason: why, data: { fields: changed } });
    return saved;
  });
}
