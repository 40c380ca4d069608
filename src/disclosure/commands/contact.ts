/**
 * Author contact: inviting the distribution's author to the case, reminding them (the team in one
 * action, or the reminder job by itself), logging every other attempt (mail, PAUSE address, issue
 * tracker …) and the answers. The first contact of an accepted case moves it to
 * `author-contacted` in the same transaction. A contact may set the case's own response deadline
 * (`respondBy`), which the escalation then follows instead of the policy's.
 */
import { CpansecError } from '../../errors.js';
import { newInvitation } from '../accounts/invitation.js';
import { actorLabel, type Actor } from '../actor.js';
import type { Case } from '../case.js';
import { authorAddress, contactFields, escalation, responseDeadline, type ContactEntry } from '../contact.js';
import { randomId } from '../ids.js';
import { LINK_MARK } from '../outbox.js';
import { email as emailField, emailKey, optionalText, text } from '../text.js';
import type { DisclosureTx } from '../repository.js';
import { audit, caseFor, notify, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

/** The first contact moves an accepted case on; a deadline given is the case's from now on. */
async function afterContact(tx: DisclosureTx, actor: Actor, c: Case, now: Date, deadline: string | null): Promise<Case> {
  const moves = c.state === 'accepted';
  if (!moves && !deadline) return c;
  const saved = await saveCase(tx, { ...c, ...(moves ? { state: 'author-contacted' as const } : {}), ...(deadline ? { authorDeadline: deadline } : {}) }, now);
  if (deadline) await audit(tx, actor, now, { caseId: c.id, action: 'contact.deadline', reason: `the author is asked to answer by ${deadline.slice(0, 10)}`, data: { respondBy: deadline, previous: c.authorDeadline ?? null } });
  if (moves) await audit(tx, actor, now, { caseId: c.id, action: 'case.transition', from: 'accepted', to: 'author-contacted', reason: 'first contact with the author logged' });
  return saved;
}

export async function logContact(
  deps: DisclosureDeps,
  actor: Actor,
  caseKey: string,
  input: { at?: unknown; channel: unknown; to: unknown; summary: unknown; respondBy?: unknown },
): Promise<{ contact: ContactEntry; case: Case }> {
  const now = deps.clock.now();
  const fields = contactFields(input, now);
  const deadline = responseDeadline(input.respondBy, now);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.logContact', now);
    const contact: ContactEntry = { id: randomId(deps.random), caseId: c.id, ...fields, loggedAt: now.toISOString(), by: actorLabel(actor), answer: null };
    await tx.contacts.insert(contact);
    await audit(tx, actor, now, { caseId: c.id, action: 'contact.logged', reason: `${fields.channel} to ${fields.to}`, data: { contactId: contact.id, channel: fields.channel, at: fields.at } });
    return { contact, case: await afterContact(tx, actor, c, now, deadline) };
  });
}

export async function recordAnswer(deps: DisclosureDeps, actor: Actor, caseKey: string, contactId: string, input: { at?: unknown; summary: unknown }): Promise<ContactEntry> {
  const now = deps.clock.now();
  const { at } = contactFields({ at: input.at, channel: 'other', to: '-', summary: '-' }, now);
  const summary = text(input.summary, 'summary', { max: 4000, multiline: true });
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.logContact', now);
    const contact = await tx.contacts.get(String(contactId));
    if (!contact || contact.caseId !== c.id) throw new CpansecError('NOT_FOUND', 'no such contact on this case', { file: 'contactId' });
    if (new Date(at).getTime() < new Date(contact.at).getTime()) throw new CpansecError('PARSE_ERROR', 'an answer cannot come before the contact', { file: 'at' });
    const updated: ContactEntry = { ...contact, answer: { at, summary, loggedBy: actorLabel(actor) } };
    await tx.contacts.update(updated);
    await audit(tx, actor, now, { caseId: c.id, action: 'contact.answered', reason: 'answer recorded', data: { contactId: contact.id, at } });
    return updated;
  });
}

/** A new single-use invitation of the author to the case; its link is made when its mail is sent. */
async function authorInvitation(tx: DisclosureTx, deps: DisclosureDeps, actor: Actor, c: Case, address: string, name: string | null, now: Date): Promise<string> {
  const { token, record } = newInvitation(
    deps.random,
    randomId(deps.random),
    { kind: 'author', caseId: c.id, email: address, name, role: 'external', invitedBy: actorLabel(actor) },
    now,
    deps.config.invitationDays,
  );
  await tx.invitations.insert(record);
  // the link travels by mail only: the drain makes its token; this one is never shown
  void token;
  return record.id;
}

/**
 * Invite the distribution's author to the case: a single-use link by mail, logged as a contact.
 * The mail names the distribution (the author must know which) but not the vulnerability.
 */
export async function inviteAuthor(deps: DisclosureDeps, actor: Actor, caseKey: string, input: { email: unknown; name?: unknown; respondBy?: unknown }): Promise<{ case: Case }> {
  const now = deps.clock.now();
  const address = emailField(input.email, 'email');
  const name = optionalText(input.name, 'name', { max: 200 });
  const deadline = responseDeadline(input.respondBy, now);
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.inviteAuthor', now);
    const invitationId = await authorInvitation(tx, deps, actor, c, address, name, now);
    await notify(tx, deps, now, {
      to: address,
      subject: `[${c.reference}] Security report about ${c.report.distribution}`,
      body:
        `Hello${name ? ` ${name}` : ''},\n\nthe CPAN Security Group received a security report about your distribution ${c.report.distribution} ` +
        `and would like to work on it with you. The details are on a private case page; this link gives you access (it works once, for ${deps.config.invitationDays} days):\n${LINK_MARK}\n\n` +
        `${deadline ? `Please answer by ${deadline.slice(0, 10)}, and ` : 'Please '}keep the report private until a fix is released and the advisory published.${SIGNATURE}`,
      caseId: c.id,
      link: { kind: 'invitation', invitationId },
    });
    const contact: ContactEntry = {
      id: randomId(deps.random),
      caseId: c.id,
      at: now.toISOString(),
      loggedAt: now.toISOString(),
      by: actorLabel(actor),
      channel: 'email',
      to: address,
      summary: 'invitation to the case sent by cpansec',
      answer: null,
    };
    await tx.contacts.insert(contact);
    await audit(tx, actor, now, { caseId: c.id, action: 'author.invited', reason: `invitation sent to ${address}`, data: { invitationId, contactId: contact.id } });
    return { case: await afterContact(tx, actor, c, now, deadline) };
  });
}

/** A second reminder to the same address within this time is taken for a double click, and refused. */
export const REMINDER_REPEAT_MINUTES = 10;

/** How the contact log says a reminder was sent: by the team's action, by the reminder job. */
const REMINDER_SUMMARIES = ['reminder sent by cpansec', 'automatic reminder sent by cpansec'];

/**
 * Remind the author, in the transaction of the caller (the team's one action, or the reminder job
 * when a reminder is due): a mail to the address the team last wrote to — with a new single-use
 * link while the author has no account on the case, else the case's address — logged as another
 * contact attempt (by the system, when automatic: the job then waits for the team's next attempt
 * before it reminds again) and in the audit log. CONFLICT when there is nobody to remind.
 */
export async function queueAuthorReminder(tx: DisclosureTx, deps: DisclosureDeps, actor: Actor, c: Case, now: Date, o: { automatic: boolean }): Promise<{ contact: ContactEntry; to: string; case: Case }> {
  const contacts = await tx.contacts.listByCase(c.id);
  const esc = escalation(c, contacts, now, deps.config.contact);
  if (esc.step === 'answered') throw new CpansecError('CONFLICT', 'the author has answered: write to them in the discussion', { file: c.reference });
  if (esc.step === 'not-applicable') throw new CpansecError('CONFLICT', `the case is ${c.state}: nobody to remind`, { file: c.reference });
  const address = authorAddress(contacts);
  if (!address) throw new CpansecError('CONFLICT', 'no e-mail address of the author in the contact log: invite the author, or log the mail you sent', { file: c.reference });
  const recent = contacts.find((x) => x.to === address.to && REMINDER_SUMMARIES.includes(x.summary) && now.getTime() - new Date(x.at).getTime() < REMINDER_REPEAT_MINUTES * 60_000);
  if (recent) throw new CpansecError('CONFLICT', `a reminder went to ${address.to} at ${recent.at.slice(11, 16)} UTC; send another later`, { file: c.reference });

  const account = await tx.accounts.getByEmailKey(emailKey(address.to));
  const joined = account !== undefined && c.authorAccountIds.includes(account.id);
  const invitationId = joined ? null : await authorInvitation(tx, deps, actor, c, address.to, null, now);
  const since = esc.firstAttemptAt ? ` on ${esc.firstAttemptAt.slice(0, 10)}` : '';
  const answerBy = esc.responseDeadline && esc.responseDeadline > now.toISOString() ? `Please answer by ${esc.responseDeadline.slice(0, 10)}, and ` : 'Please answer, and ';
  await notify(tx, deps, now, {
    to: address.to,
    subject: `[${c.reference}] Reminder: security report about ${c.report.distribution}`,
    body:
      `Hello,\n\nthe CPAN Security Group wrote to you${since} about a security report about your distribution ${c.report.distribution} ` +
      `and has not heard back yet. ` +
      (joined
        ? `The details are on the case page (log in with your account):\n${deps.config.links.case(c.reference)}\n\n`
        : `The details are on a private case page; this link gives you access (it works once, for ${deps.config.invitationDays} days):\n${LINK_MARK}\n\n`) +
      `${answerBy}keep the report private until a fix is released and the advisory published.${SIGNATURE}`,
    caseId: c.id,
    ...(invitationId ? { link: { kind: 'invitation' as const, invitationId } } : {}),
  });
  const contact: ContactEntry = {
    id: randomId(deps.random),
    caseId: c.id,
    at: now.toISOString(),
    loggedAt: now.toISOString(),
    // an automatic reminder is the system's, whoever ran the job (an administrator may)
    by: o.automatic ? 'system:reminder-job' : actorLabel(actor),
    channel: address.channel,
    to: address.to,
    summary: REMINDER_SUMMARIES[o.automatic ? 1 : 0]!,
    answer: null,
  };
  await tx.contacts.insert(contact);
  await audit(tx, actor, now, {
    caseId: c.id,
    action: 'author.reminded',
    reason: o.automatic ? `no answer ${deps.config.contact.reminderAfterDays} day(s) after the last attempt: reminder sent to ${address.to}` : `reminder sent to ${address.to}`,
    data: { contactId: contact.id, invitationId, automatic: o.automatic },
  });
  return { contact, to: address.to, case: await afterContact(tx, actor, c, now, null) };
}

/** The team re-sends to the author in one action: a reminder (see queueAuthorReminder). */
export async function remindAuthor(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<{ contact: ContactEntry; to: string; case: Case }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.inviteAuthor', now);
    return queueAuthorReminder(tx, deps, actor, c, now, { automatic: false });
  });
}
