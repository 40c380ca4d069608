/**
 * Intake: anyone may file a report (the public form, the JSON endpoint, or the team entering a
 * report that came by mail). The reporter gets the case reference at once, and — when they filed
 * without an account — a single-use link to claim the case, so they can follow it and answer.
 * Files sent with the report (a proof of concept, a patch) are checked before anything is written
 * and stored in the report's own transaction.
 */
import { checkAttachments, type AttachmentInput, type CheckedAttachment } from '../attachments.js';
import { createHash } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import { newInvitation } from '../accounts/invitation.js';
import type { Actor } from '../actor.js';
import { applyReportEdit, newCase, validateReport, type Case, type Report } from '../case.js';
import type { DisclosureTx } from '../repository.js';
import { newCaseReference, randomId } from '../ids.js';
import { LINK_MARK, type MailLink } from '../outbox.js';
import { reasonText } from '../text.js';
import { authorize } from '../policy.js';
import { auditedFiles, storeAttachments } from './attachments.js';
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
  /** the idempotency key had filed this report already: nothing new was filed */
  replayed: boolean;
}

export interface IntakeOptions {
  /**
   * A key the client chose for this report (the form's hidden field, the API's Idempotency-Key
   * header): sent again with the same report, it gives the first filing's acknowledgement and
   * files nothing; with another report, CONFLICT. Only hashes are stored.
   */
  idempotencyKey?: unknown;
  /** files sent with the report */
  attachments?: AttachmentInput[];
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{16,128}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function acknowledge(reference: string, receivedAt: string, reporterEmail: string): Acknowledgement {
  // queued, not sent: the outbox sends it (and retries) on its own schedule
  return { reference, receivedAt, message: `Your report was received as ${reference}. Keep this reference; a confirmation will be mailed to ${reporterEmail}.` };
}

export const claimSentence = (deps: DisclosureDeps) =>
  `To follow the case and answer the team's questions, set up your access here (the link works once, for ${deps.config.invitationDays} days):`;

/** The stored form of an idempotency key. */
export const intakeKeyHash = (key: string) => sha256(`intake\u0000${key}`);

function intakeOf(report: Report, ownAccount: string | null, idempotencyKey: unknown, files: readonly CheckedAttachment[]): Case['intake'] {
  if (idempotencyKey === undefined || idempotencyKey === null || idempotencyKey === '') return null;
  const key = String(idempotencyKey);
  if (!IDEMPOTENCY_KEY.test(key)) throw new CpansecError('PARSE_ERROR', 'must be 16 to 128 letters, digits or - _ . :', { file: 'idempotencyKey' });
  // the files count as part of the report: the same key with other files is another report
  const sent = files.length ? [report, ownAccount, files.map((f) => [f.fileName, f.sha256])] : [report, ownAccount];
  return { keyHash: intakeKeyHash(key), bodyHash: sha256(JSON.stringify(sent)) };
}

async function earlierFiling(tx: DisclosureTx, intake: NonNullable<Case['intake']>): Promise<FiledReport | undefined> {
  const earlier = await tx.cases.getByIntakeKey(intake.keyHash);
  if (!earlier) return undefined;
  if (earlier.intake?.bodyHash !== intake.bodyHash) throw new CpansecError('CONFLICT', 'this idempotency key was used for another report; send a new key with a new report', { file: 'idempotencyKey' });
  return { caseId: earlier.id, replayed: true, acknowledgement: acknowledge(earlier.reference, earlier.createdAt, earlier.report.reporter.email) };
}

/** The filing this key and report made already, if any (a retry: nothing is filed, no quota used). */
export async function earlierReport(deps: DisclosureDeps, actor: Actor, input: unknown, idempotencyKey: unknown, attachments?: AttachmentInput[]): Promise<FiledReport | undefined> {
  authorize(actor, 'case.file', null, deps.clock.now());
  const files = await checkAttachments(attachments, deps.config.attachments);
  const intake = intakeOf(validateReport(input), actor.kind === 'account' && actor.role === 'external' ? actor.accountId : null, idempotencyKey, files);
  return intake ? deps.store.transaction((tx) => earlierFiling(tx, intake)) : undefined;
}

export async function fileReport(deps: DisclosureDeps, actor: Actor, input: unknown, options: IntakeOptions = {}): Promise<FiledReport> {
  const now = deps.clock.now();
  authorize(actor, 'case.file', null, now);
  const report = validateReport(input);
  const files = await checkAttachments(options.attachments, deps.config.attachments);
  const ownAccount = actor.kind === 'account' && actor.role === 'external' ? actor.accountId : null;
  const intake = intakeOf(report, ownAccount, options.idempotencyKey, files);
  return deps.store.transaction(async (tx) => {
    const earlier = intake ? await earlierFiling(tx, intake) : undefined;
    if (earlier) return earlier;
    // 40 random bits: a clash is rare, and ten in a row means the random source is broken
    let reference = newCaseReference(deps.random, now);
    for (let i = 0; await tx.cases.getByReference(reference); i++) {
      if (i === 10) throw new CpansecError('CONFLICT', 'could not draw a free case reference', { file: 'reference' });
      reference = newCaseReference(deps.random, now);
    }
    const c: Case = { ...newCase({ id: randomId(deps.random), reference, report, reporterAccountId: ownAccount, at: now.toISOString() }), ...(intake ? { intake } : {}) };
    await tx.cases.insert(c);
    const stored = await storeAttachments(tx, deps, files, { caseId: c.id, messageId: null, accountId: actor.kind === 'account' ? actor.accountId : null, at: c.createdAt });
    await audit(tx, actor, now, { caseId: c.id, action: 'case.filed', to: 'received', reason: 'report received', data: { reference, ...(stored.length ? { attachments: auditedFiles(stored) } : {}) } });

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
    return { caseId: c.id, replayed: false, acknowledgement: acknowledge(reference, c.createdAt, report.reporter.email) };
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
