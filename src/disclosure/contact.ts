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
 */
import type { Case } from './case.js';
import { addDays } from './clock.js';
import { ACCEPTED_STATES } from './lifecycle.js';
import { invalid, text } from './text.js';

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

export interface Escalation {
  step: EscalationStep;
  attempts: number;
  channels: ContactChannel[];
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** first attempt + responseDays */
  responseDeadline: string | null;
  overdue: boolean;
  /** when the next step falls due, if nothing happens */
  nextStepAt: string | null;
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

export function escalation(c: Pick<Case, 'state'>, contacts: readonly ContactEntry[], now: Date, policy: ContactPolicy = DEFAULT_CONTACT_POLICY): Escalation {
  const attempts = [...contacts].sort((a, b) => a.at.localeCompare(b.at));
  const channels = [...new Set(attempts.map((a) => a.channel))];
  const first = attempts[0]?.at ?? null;
  const last = attempts.at(-1)?.at ?? null;
  const deadline = first ? addDays(first, policy.responseDays) : null;
  const base = {
    attempts: attempts.length,
    channels,
    firstAttemptAt: first,
    lastAttemptAt: last,
    responseDeadline: deadline?.toISOString() ?? null,
  };
  const answered = attempts.some((a) => a.answer !== null);
  if (answered || c.state === 'fix-in-progress' || c.state === 'fix-released') return { step: 'answered', ...base, overdue: false, nextStepAt: null };
  if (!ACCEPTED_STATES.includes(c.state)) return { step: 'not-applicable', ...base, overdue: false, nextStepAt: null };
  if (!first || !last) return { step: 'contact-author', ...base, overdue: false, nextStepAt: null };

  const overdue = now.getTime() > deadline!.getTime();
  const decisionAt = addDays(first, policy.decisionAfterDays);
  const secondAt = addDays(first, policy.secondChannelAfterDays);
  const reminderAt = addDays(last, policy.reminderAfterDays);
  const t = now.getTime();
  if (t >= decisionAt.getTime()) return { step: 'team-decision', ...base, overdue, nextStepAt: null };
  if (channels.length < 2 && t >= secondAt.getTime()) return { step: 'try-another-channel', ...base, overdue, nextStepAt: decisionAt.toISOString() };
  if (t >= reminderAt.getTime()) return { step: 'send-reminder', ...base, overdue, nextStepAt: decisionAt.toISOString() };
  const next = [reminderAt, ...(channels.length < 2 ? [secondAt] : []), decisionAt].reduce((a, b) => (a.getTime() < b.getTime() ? a : b));
  return { step: 'awaiting-answer', ...base, overdue, nextStepAt: next.toISOString() };
}
