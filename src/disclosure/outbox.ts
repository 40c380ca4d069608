/**
 * Notifications go through an outbox: a command writes the mail as a record in the same
 * transaction as the change it reports (so a mail exists exactly when the change does), and a
 * drain sends the records through an injected transport (phase 2: nodemailer's SMTP transport).
 *
 * Sending is at-least-once with duplicates made unlikely and recognisable: a drain first claims a
 * record (a compare-and-set with a lease), so two drains never send the same mail; a sent record
 * is never sent again; failures are retried with exponential back-off up to `maxAttempts`, then
 * left `failed` for an administrator. Only a crash between the SMTP server's acceptance and the
 * `sent` mark can repeat a mail (after the lease), and it repeats with the same Message-ID.
 *
 * Mails never carry the report's content — only the case reference and a link — because mail
 * is not a place for embargoed details. Nor does a stored mail carry a live single-use link
 * (an invitation, a password reset, a reporter's claim): the body holds LINK_MARK, and the drain
 * makes a new token of the invitation when it sends the mail, so the link exists only in the
 * mail as sent. Whoever can read the outbox (an administrator's page, a database backup) finds
 * no link to use.
 */
import { checkInvitation, newInvitationToken } from './accounts/invitation.js';
import type { Clock, RandomSource } from './clock.js';
import { addMinutes } from './clock.js';
import { randomId } from './ids.js';
import type { DisclosureStore, DisclosureTx } from './repository.js';

/** Where a mail's link goes; a control character, which no text field accepts, so no input can forge one. */
export const LINK_MARK = '\u0001link\u0001';

/** The link a mail needs, made when it is sent. */
export interface MailLink {
  kind: 'invitation';
  invitationId: string;
}

/** How the drain makes links: the workspace's random source and invitation URLs. */
export interface MailLinks {
  random: RandomSource;
  invitation(token: string): string;
}

const WITHDRAWN = '(this link is no longer valid: it was used, it expired, or a newer one was sent)';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxMail {
  id: string;
  caseId: string | null;
  to: string;
  subject: string;
  body: string;
  createdAt: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  /** not before this time */
  nextAttemptAt: string;
  /** a drain's claim, valid until then */
  claimedUntil: string | null;
  sentAt: string | null;
  /** RFC 5322 Message-ID, stable across retries */
  messageId: string;
  /** the single-use link the body's LINK_MARK stands for (absent: none) */
  link?: MailLink | null;
}

/** What a transport is given; nodemailer's `sendMail` takes exactly these fields. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  /** resolves when the server accepted the mail; rejects otherwise */
  send(mail: MailMessage): Promise<void>;
}

export interface OutboxConfig {
  from: string;
  /** the domain of Message-IDs */
  messageIdDomain: string;
  maxAttempts: number;
  /** first retry after this many minutes, doubling each time (capped at a day) */
  retryMinutes: number;
  leaseMinutes: number;
  batchSize: number;
}

export const DEFAULT_OUTBOX: Omit<OutboxConfig, 'from'> = { messageIdDomain: 'cpansec.invalid', maxAttempts: 8, retryMinutes: 1, leaseMinutes: 10, batchSize: 20 };

export function newMail(
  random: RandomSource,
  fields: { to: string; subject: string; body: string; caseId: string | null; link?: MailLink | null },
  now: Date,
  messageIdDomain: string,
): OutboxMail {
  const id = randomId(random);
  return {
    id,
    ...fields,
    link: fields.link ?? null,
    createdAt: now.toISOString(),
    status: 'pending',
    attempts: 0,
    lastError: null,
    nextAttemptAt: now.toISOString(),
    claimedUntil: null,
    sentAt: null,
    messageId: `<${id}@${messageIdDomain}>`,
  };
}

/** When to try again after `attempts` failures, or null to give up. */
export function retryAt(attempts: number, now: Date, config: Pick<OutboxConfig, 'maxAttempts' | 'retryMinutes'>): Date | null {
  if (attempts >= config.maxAttempts) return null;
  return addMinutes(now, Math.min(config.retryMinutes * 2 ** (attempts - 1), 24 * 60));
}

/** Is this record due for sending (pending and its time has come, or claimed by a drain that died)? */
export function isDue(m: OutboxMail, now: Date): boolean {
  if (m.status === 'pending') return new Date(m.nextAttemptAt).getTime() <= now.getTime();
  if (m.status === 'sending') return m.claimedUntil !== null && new Date(m.claimedUntil).getTime() <= now.getTime();
  return false;
}

export interface DrainReport {
  sent: number;
  retried: number;
  failed: number;
  /** claimed by another drain in the meantime */
  skipped: number;
}

/** A stored mail as it may be shown: its link's place said in words (there is no link in it to show). */
export function outboxView(m: OutboxMail): OutboxMail {
  return { ...m, body: m.body.split(LINK_MARK).join('[a single-use link, made when the mail is sent]') };
}

/**
 * The text to send: the body with a new token of its invitation in the link's place, its hash
 * added to the invitation in the claim's transaction. An invitation used, expired or closed
 * meanwhile gets no token; the mail says the link is no longer valid.
 */
async function completeBody(tx: DisclosureTx, m: OutboxMail, links: MailLinks | undefined, now: Date): Promise<string> {
  if (!m.link) return m.body;
  if (!links) throw new Error('this mail carries a link made when it is sent: drain it with the workspace’s links');
  const inv = await tx.invitations.get(m.link.invitationId);
  let link = WITHDRAWN;
  if (inv && checkInvitation(inv, now) === 'ok') {
    const { token, tokenHash } = newInvitationToken(links.random);
    await tx.invitations.addToken(inv.id, tokenHash);
    link = links.invitation(token);
  }
  return m.body.split(LINK_MARK).join(link);
}

/**
 * Send what is due, one claim transaction and one result transaction per mail. `links` makes the
 * single-use links of mails that need one; without it such mails are not sent (retried later).
 */
export async function drainOutbox(store: DisclosureStore, transport: MailTransport, clock: Clock, config: OutboxConfig, links?: MailLinks): Promise<DrainReport> {
  const report: DrainReport = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  const due = await store.transaction((tx) => tx.outbox.due(clock.now(), config.batchSize));
  for (const candidate of due) {
    let error: string | undefined;
    const claimed = await store.transaction(async (tx: DisclosureTx) => {
      error = undefined;
      const now = clock.now();
      const claimedUntil = addMinutes(now, config.leaseMinutes).toISOString();
      if (!(await tx.outbox.claim(candidate.id, candidate, claimedUntil))) return undefined;
      let text = '';
      try {
        text = await completeBody(tx, candidate, links, now);
      } catch (e) {
        error = (e as Error).message;
      }
      return { mail: { ...candidate, status: 'sending' as const, claimedUntil }, text };
    });
    if (!claimed) {
      report.skipped++;
      continue;
    }
    try {
      if (error === undefined) await transport.send({
        from: config.from,
        to: claimed.mail.to,
        subject: claimed.mail.subject,
        text: claimed.text,
        messageId: claimed.mail.messageId,
        headers: { 'Auto-Submitted': 'auto-generated', ...(claimed.mail.caseId ? { 'X-Cpansec-Case': claimed.mail.caseId } : {}) },
      });
    } catch (e) {
      error = ((e as Error)?.message ?? String(e)).split('\n')[0]!.slice(0, 500);
    }
    const sending = claimed.mail;
    await store.transaction(async (tx) => {
      const now = clock.now();
      const attempts = sending.attempts + 1;
      if (error === undefined) {
        await tx.outbox.update({ ...sending, status: 'sent', attempts, sentAt: now.toISOString(), claimedUntil: null, lastError: null });
        report.sent++;
        return;
      }
      const next = retryAt(attempts, now, config);
      await tx.outbox.update({
        ...sending,
        status: next ? 'pending' : 'failed',
        attempts,
        lastError: error,
        nextAttemptAt: (next ?? now).toISOString(),
        claimedUntil: null,
      });
      if (next) report.retried++;
      else report.failed++;
    });
  }
  return report;
}
