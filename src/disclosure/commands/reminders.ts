/**
 * The scheduled job and the team's dashboard: embargoes nearing their end, embargoes that ended
 * unpublished (flagged once, and shown until the team acts), the author reminded when a reminder
 * is due, and author-contact escalations. The job queues each reminder once; it works case by
 * case, one transaction each (serialised across server processes by the store), so a crash loses
 * nothing and repeats nothing, and two processes running it at once send each mail once.
 */
import type { Actor } from '../actor.js';
import type { Case } from '../case.js';
import { DUE_STEPS, escalation, type EscalationStep } from '../contact.js';
import { dueReminders, embargoStatus, expiryNeedsFlag } from '../embargo.js';
import { isTerminal, TERMINAL_STATES, CASE_STATES } from '../lifecycle.js';
import { authorize } from '../policy.js';
import { queueAuthorReminder } from './contact.js';
import { audit, notify, saveCase, SIGNATURE, type DisclosureDeps } from './context.js';

export type DueKind = 'embargo-ending' | 'embargo-expired' | EscalationStep;

export interface DueItem {
  reference: string;
  caseId: string;
  kind: DueKind;
  /** the embargo's end, or the author-contact deadline */
  at: string | null;
  detail: string;
}

const OPEN_STATES = CASE_STATES.filter((s) => !TERMINAL_STATES.includes(s));

/** What needs the team's attention now, most urgent first. */
export async function dueItems(deps: DisclosureDeps, actor: Actor): Promise<DueItem[]> {
  const now = deps.clock.now();
  authorize(actor, 'reminders.view', null, now);
  return deps.store.transaction(async (tx) => {
    const items: DueItem[] = [];
    for (const c of await tx.cases.list({ states: OPEN_STATES })) {
      const e = embargoStatus(c, now, deps.config.embargo);
      if (e.state === 'ending-soon') items.push({ reference: c.reference, caseId: c.id, kind: 'embargo-ending', at: e.endsAt, detail: `embargo ends in ${e.daysLeft} day(s)` });
      if (e.state === 'expired') items.push({ reference: c.reference, caseId: c.id, kind: 'embargo-expired', at: e.endsAt, detail: 'embargo ended without publication: publish, or agree a new date' });
      const esc = escalation(c, await tx.contacts.listByCase(c.id), now, deps.config.contact);
      if (DUE_STEPS.includes(esc.step)) items.push({ reference: c.reference, caseId: c.id, kind: esc.step, at: esc.responseDeadline, detail: describe(esc.step, esc.attempts) });
    }
    const rank = (k: DueKind) => ['embargo-expired', 'team-decision', 'embargo-ending', 'try-another-channel', 'send-reminder', 'contact-author'].indexOf(k);
    return items.sort((a, b) => rank(a.kind) - rank(b.kind) || (a.at ?? '').localeCompare(b.at ?? ''));
  });
}

function describe(step: EscalationStep, attempts: number): string {
  switch (step) {
    case 'contact-author':
      return 'accepted, and the author has not been contacted yet';
    case 'send-reminder':
      return `no answer from the author after ${attempts} attempt(s): send a reminder`;
    case 'try-another-channel':
      return 'no answer by the deadline: try another channel (PAUSE address, issue tracker, co-maintainers)';
    case 'team-decision':
      return 'the author is unresponsive: decide how to proceed (publish without a fix?)';
    default:
      return step;
  }
}

export interface ReminderReport {
  embargoReminders: number;
  expiredFlagged: number;
  /** reminders mailed to authors who have not answered */
  authorReminders: number;
  escalations: number;
}

/** Queue the reminders that are due; run by a timer (system) or an administrator. */
export async function sendReminders(deps: DisclosureDeps, actor: Actor): Promise<ReminderReport> {
  const now = deps.clock.now();
  authorize(actor, 'reminders.send', null, now);
  const report: ReminderReport = { embargoReminders: 0, expiredFlagged: 0, authorReminders: 0, escalations: 0 };
  const ids = await deps.store.transaction(async (tx) => (await tx.cases.list({ states: OPEN_STATES })).map((c) => c.id));
  for (const id of ids) {
    await deps.store.transaction(async (tx) => {
      let c = await tx.cases.get(id);
      if (!c || isTerminal(c.state)) return;
      const team = (subject: string, body: string) =>
        notify(tx, deps, now, { to: deps.config.teamAddress, subject: `[${c!.reference}] ${subject}`, body: `${body}\n${deps.config.links.case(c!.reference)}${SIGNATURE}`, caseId: c!.id });
      let changed: Case | undefined;

      let esc = escalation(c, await tx.contacts.listByCase(c.id), now, deps.config.contact);
      if (esc.step === 'send-reminder' && esc.automaticReminder) {
        // the reminder is the job's to send (first: it may save the case); the team hears of the steps after it
        c = (await queueAuthorReminder(tx, deps, actor, c, now, { automatic: true })).case;
        report.authorReminders++;
        esc = escalation(c, await tx.contacts.listByCase(c.id), now, deps.config.contact);
      }

      const due = dueReminders(c, now, deps.config.embargo);
      if (due.length && c.embargo) {
        await team(`Embargo ends ${c.embargo.endsAt.slice(0, 10)}`, `The embargo of ${c.reference} ends at ${c.embargo.endsAt} (UTC). Is the advisory ready?`);
        changed = { ...c, embargo: { ...c.embargo, remindersSent: [...c.embargo.remindersSent, ...due] } };
        report.embargoReminders++;
      }
      if (expiryNeedsFlag(changed ?? c, now)) {
        const base = changed ?? c;
        await team('Embargo ended, not published', `The embargo of ${c.reference} ended at ${base.embargo!.endsAt} and the case is not published. Nothing is published automatically: publish it, or agree a new date with the reporter.`);
        await audit(tx, actor, now, { caseId: c.id, action: 'embargo.expired', reason: 'embargo ended without publication', data: { endsAt: base.embargo!.endsAt } });
        changed = { ...base, embargo: { ...base.embargo!, expiryFlaggedAt: now.toISOString() } };
        report.expiredFlagged++;
      }
      if (DUE_STEPS.includes(esc.step) && c.escalationNotified !== esc.step) {
        await team(`Author contact: ${esc.step}`, describe(esc.step, esc.attempts));
        await audit(tx, actor, now, { caseId: c.id, action: 'contact.escalation', to: esc.step, reason: describe(esc.step, esc.attempts) });
        changed = { ...(changed ?? c), escalationNotified: esc.step };
        report.escalations++;
      } else if (!DUE_STEPS.includes(esc.step) && c.escalationNotified !== null) {
        // the step was dealt with; the next time one falls due the team hears of it again
        changed = { ...(changed ?? c), escalationNotified: null };
      }
      if (changed) c = await saveCase(tx, changed, now);
    });
  }
  return report;
}
