/**
 * Contacting the distribution's author, and what to do when they do not answer — the charter's
 * "contact point for reporters of potential vulnerabilities when authors are unresponsive".
 * The contact log says when, how and to whom the team wrote and what came back; the escalation
 * is computed from that log and the clock alone:
 *   no contact yet → contact the author; unanswered for `reminderAfterDays` since the last attempt
 *   → remind; unanswered `secondChannelAfterDays` after the first attempt with one channel tried →
 *   try another channel (PAUSE address, issue tracker, co-maintainers); unanswered
 *   `decisionAfterDays` after the first attempt → the team decides (publish without a fix, or fix
 *   it itself where it has the permissions).
 * The deadlines are the team's settings (`ContactPolicy`, `cpansec serve --author-*-days`); a case
 * may have its own response deadline, agreed when the author is contacted: then another channel
 * is due when it passes, and the team's decision as long after it as the policy leaves between the
 * two. The reminder goes out by itself (the reminder job mails the address the team last wrote to,
 * once after each attempt of the team's); the other steps are the team's.
 */
import type { Case } from './case.js';
import { addDays } from './clock.js';
import { ACCEPTED_STATES } from './lifecycle.js';
import { EMAIL, invalid, text } from './text.js';

export const CONTACT_CHANNELS = ['email', 'pause-email', 'issue-tracker', 'irc', 'social', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactEntry {
  id: string;
  caseId: string;
  /** when the contact happened (may be before it was logged) */
  at: string;
  loggedAt: string;
  /** actorLabel() of who logged it */
  by: string;
  channel: ContactChannel;
  /** address, handle or URL written to */
  to: string;
  summary: string;
  answer: { at: string; summary: string; loggedBy: string } | null;
}

export interface ContactPolicy {
  /** the author is asked to answer within this many days of the first attempt */
  responseDays: number;
  reminderAfterDays: number;
  secondChannelAfterDays: number;
  decisionAfterDays: number;
}

export const DEFAULT_CONTACT_POLICY: ContactPolicy = { responseDays: 14, reminderAfterDays: 7, secondChannelAfterDays: 14, decisionAfterDays: 30 };

/** A policy whose days are whole, positive and in order (reminder and second channel before the decision). */
export function checkContactPolicy(p: ContactPolicy): ContactPolicy {
  for (const [k, v] of Object.entries(p)) if (!Number.isInteger(v) || v < 1 || v > 365) throw invalid(k, 'must be a whole number of days from 1 to 365');
  if (p.reminderAfterDays >= p.decisionAfterDays || p.secondChannelAfterDays >= p.decisionAfterDays || p.responseDays >= p.decisionAfterDays) {
    throw invalid('decisionAfterDays', 'must be later than the response deadline, the reminder and the second channel');
  }
  return p;
}

/** The longest response deadline a case may be given, in days from now. */
export const MAX_RESPONSE_DAYS = 180;

/** A case's own response deadline: a date or time in the future, at most MAX_RESPONSE_DAYS ahead; null when not given. */
export function responseDeadline(value: unknown, now: Date, field = 'respondBy'): string | null {
  if (value === undefined || value === null || value === '') return null;
  const s = text(value, field, { max: 40 });
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) throw invalid(field, `'${s}' is not a date`);
  if (d.getTime() <= now.getTime()) throw invalid(field, 'must be in the future');
  if (d.getTime() > addDays(now, MAX_RESPONSE_DAYS).getTime()) throw invalid(field, `must be within ${MAX_RESPONSE_DAYS} days`);
  return d.toISOString();
}

export type EscalationStep =
  | 'not-applicable'
  | 'answered'
  | 'contact-author'
  | 'awaiting-answer'
  | 'send-reminder'
  | 'try-another-channel'
  | 'team-decision';

/** Steps that ask the team to do something now. */
export const DUE_STEPS: readonly EscalationStep[] = ['contact-author', 'send-reminder', 'try-another-channel', 'team-decision'];

/** What falls due next if nothing happens, and when: computed with the step, so the two agree. */
export interface NextStep {
  step: EscalationStep;
  at: string;
  /** a reminder the reminder job sends by itself (to `Escalation.reminderTo`) */
  automatic: boolean;
}

export interface Escalation {
  step: EscalationStep;
  attempts: number;
  channels: ContactChannel[];
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** the case's own deadline, else first attempt + responseDays */
  responseDeadline: string | null;
  /** whether the deadline is the case's own */
  deadlineSetForCase: boolean;
  overdue: boolean;
  /** the step that falls due next, if nothing happens (null: none, or the team's decision is due now) */
  next: NextStep | null;
  /** when it falls due (`next.at`) */
  nextStepAt: string | null;
  /** where a reminder goes: the e-mail address the team last wrote to (mail or PAUSE address); null when none */
  reminderTo: string | null;
  /** the reminder job reminds the author by itself when a reminder is due (it has an address, and its last reminder was answered by a new attempt of the team's) */
  automaticReminder: boolean;
}

/** The label (`ContactEntry.by`) of a contact the system made: an automatic reminder. */
export const isAutomaticContact = (c: Pick<ContactEntry, 'by'>): boolean => c.by.startsWith('system:');

/** The newest contact by mail whose recipient is an e-mail address: where reminders go, and by which channel. */
export function authorAddress(contacts: readonly ContactEntry[]): { to: string; channel: ContactChannel } | null {
  const mailed = [...contacts]
    .sort((a, b) => a.at.localeCompare(b.at))
    .reverse()
    .find((c) => (c.channel === 'email' || c.channel === 'pause-email') && EMAIL.test(c.to));
  return mailed ? { to: mailed.to, channel: mailed.channel } : null;
}

/** What the next step is called, for pages and the team's mail. */
export function nextStepName(next: Pick<NextStep, 'step' | 'automatic'>): string {
  switch (next.step) {
    case 'send-reminder':
      return next.automatic ? 'the author is reminded by mail (automatically)' : 'remind the author';
    case 'try-another-channel':
      return 'try another channel';
    case 'team-decision':
      return 'team decision';
    case 'contact-author':
      return 'contact the author';
    default:
      return 'next author-contact step';
  }
}

export function parseContactChannel(value: unknown): ContactChannel {
  if (typeof value === 'string' && (CONTACT_CHANNELS as readonly string[]).includes(value)) return value as ContactChannel;
  throw invalid('channel', `must be one of ${CONTACT_CHANNELS.join(', ')}`);
}

/** The fields of a contact log entry, checked. */
export function contactFields(input: { at?: unknown; channel: unknown; to: unknown; summary: unknown }, now: Date): Pick<ContactEntry, 'at' | 'channel' | 'to' | 'summary'> {
  let at = now;
  if (input.at !== undefined && input.at !== null && input.at !== '') {
    at = new Date(String(input.at));
    if (Number.isNaN(at.getTime())) throw invalid('at', `'${String(input.at).slice(0, 40)}' is not a time`);
    if (at.getTime() > now.getTime()) throw invalid('at', 'a contact cannot be in the future');
  }
  return {
    at: at.toISOString(),
    channel: parseContactChannel(input.channel),
    to: text(input.to, 'to', { max: 300 }),
    summary: text(input.summary, 'summary', { max: 4000, multiline: true }),
  };
}

export function escalation(c: Pick<Case, 'state'> & Partial<Pick<Case, 'authorDeadline'>>, contacts: readonly ContactEntry[], now: Date, policy: ContactPolicy = DEFAULT_CONTACT_POLICY): Escalation {
  const attempts = [...contacts].sort((a, b) => a.at.localeCompare(b.at));
  const channels = [...new Set(attempts.map((a) => a.channel))];
  const first = attempts[0]?.at ?? null;
  const last = attempts.at(-1)?.at ?? null;
  const own = c.authorDeadline ? new Date(c.authorDeadline) : null;
  const deadline = own ?? (first ? addDays(first, policy.responseDays) : null);
  const address = authorAddress(attempts);
  const automaticReminder = address !== null && attempts.length > 0 && !isAutomaticContact(attempts.at(-1)!);
  const base = {
    attempts: attempts.length,
    channels,
    firstAttemptAt: first,
    lastAttemptAt: last,
    responseDeadline: deadline?.toISOString() ?? null,
    deadlineSetForCase: own !== null,
    reminderTo: address?.to ?? null,
    automaticReminder,
  };
  const none = { next: null, nextStepAt: null };
  const answered = attempts.some((a) => a.answer !== null);
  if (answered || c.state === 'fix-in-progress' || c.state === 'fix-released') return { step: 'answered', ...base, overdue: false, ...none };
  if (!ACCEPTED_STATES.includes(c.state)) return { step: 'not-applicable', ...base, overdue: false, ...none };
  if (!first || !last) return { step: 'contact-author', ...base, overdue: false, ...none };

  const overdue = now.getTime() > deadline!.getTime();
  // a case's own deadline moves the second channel to it, and the decision as far after it
  const decisionAt = own ? addDays(own, Math.max(1, policy.decisionAfterDays - policy.secondChannelAfterDays)) : addDays(first, policy.decisionAfterDays);
  const secondAt = own ?? addDays(first, policy.secondChannelAfterDays);
  const reminderAt = addDays(last, policy.reminderAfterDays);
  const t = now.getTime();
  // the steps still ahead, in the order this function tests them (a later one wins a tie), so
  // that at `next.at` the step is `next.step`
  const ahead = (...steps: [EscalationStep, Date][]) => {
    const future = steps.filter(([, at]) => at.getTime() > t);
    if (!future.length) return none;
    const [step, at] = future.reduce((a, b) => (b[1].getTime() <= a[1].getTime() ? b : a));
    const next: NextStep = { step, at: at.toISOString(), automatic: step === 'send-reminder' && automaticReminder };
    return { next, nextStepAt: next.at };
  };
  const second: [EscalationStep, Date][] = channels.length < 2 ? [['try-another-channel', secondAt]] : [];
  if (t >= decisionAt.getTime()) return { step: 'team-decision', ...base, overdue, ...none };
  if (channels.length < 2 && t >= secondAt.getTime()) return { step: 'try-another-channel', ...base, overdue, ...ahead(['team-decision', decisionAt]) };
  if (t >= reminderAt.getTime()) return { step: 'send-reminder', ...base, overdue, ...ahead(...second, ['team-decision', decisionAt]) };
  return { step: 'awaiting-answer', ...base, overdue, ...ahead(['send-reminder', reminderAt], ...second, ['team-decision', decisionAt]) };
}
