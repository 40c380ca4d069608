/**
 * Embargo and public visibility. `isPublic` is the one function that decides whether anything of
 * a case may reach a public surface (feeds, site, API, search, exports): it must be published and
 * past any embargo. `publicView` is the only projection of a case those surfaces may use.
 * An embargo that ends without publication is flagged for the team; nothing is published by time
 * passing.
 */
import type { Advisory } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import type { Case } from './case.js';
import { addDays, daysBetween } from './clock.js';
import { isTerminal } from './lifecycle.js';

type EmbargoFacts = Pick<Case, 'state' | 'publishedAt' | 'embargo'>;

export interface EmbargoConfig {
  /** the longest embargo the team grants, in days from now */
  maxDays: number;
  /** remind the team this many days before the end (each once) */
  reminderLeadDays: number[];
}

export const DEFAULT_EMBARGO: EmbargoConfig = { maxDays: 90, reminderLeadDays: [7, 2, 1] };

/** An embargo is in force until its end (exclusive). */
export function embargoActive(c: Pick<Case, 'embargo'>, now: Date): boolean {
  return c.embargo !== null && new Date(c.embargo.endsAt).getTime() > now.getTime();
}

/** May anything of this case appear on a public surface now? */
export function isPublic(c: EmbargoFacts, now: Date): boolean {
  return (
    c.state === 'published' &&
    c.publishedAt !== null &&
    new Date(c.publishedAt).getTime() <= now.getTime() &&
    !embargoActive(c, now)
  );
}

export interface PublicCase {
  reference: string;
  distribution: string;
  publishedAt: string;
  cve: string | null;
  advisory: Advisory;
}

/** What public surfaces may show of a case: null unless `isPublic`. Never the report, proof, contacts or thread. */
export function publicView(c: Case, now: Date): PublicCase | null {
  if (!isPublic(c, now) || !c.draft) return null;
  return { reference: c.reference, distribution: c.report.distribution, publishedAt: c.publishedAt!, cve: c.cve, advisory: c.draft.advisory };
}

export type EmbargoState = 'none' | 'active' | 'ending-soon' | 'expired' | 'ended';

export interface EmbargoStatus {
  state: EmbargoState;
  endsAt: string | null;
  /** whole days until the end (negative once passed) */
  daysLeft: number | null;
}

/**
 * `expired`: the end has passed and the case is neither published nor closed — the team must act
 * (publish, or extend with the reporter's agreement). `ended`: passed, and nothing left to do.
 */
export function embargoStatus(c: EmbargoFacts, now: Date, config: EmbargoConfig = DEFAULT_EMBARGO): EmbargoStatus {
  if (!c.embargo) return { state: 'none', endsAt: null, daysLeft: null };
  const endsAt = c.embargo.endsAt;
  const daysLeft = daysBetween(now, endsAt);
  if (embargoActive(c, now)) {
    const lead = Math.max(0, ...config.reminderLeadDays);
    const soon = new Date(endsAt).getTime() - now.getTime() <= lead * 86_400_000;
    return { state: soon ? 'ending-soon' : 'active', endsAt, daysLeft };
  }
  return { state: isTerminal(c.state) ? 'ended' : 'expired', endsAt, daysLeft };
}

/** The end date of a new or changed embargo: in the future and within the configured maximum. */
export function checkEmbargoEnd(input: unknown, now: Date, config: EmbargoConfig = DEFAULT_EMBARGO): Date {
  const d = typeof input === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(input) ? new Date(input) : input instanceof Date ? input : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    throw new CpansecError('PARSE_ERROR', `'${String(input).slice(0, 40)}' is not a date (YYYY-MM-DD or an ISO 8601 time)`, { file: 'embargoEndsAt' });
  }
  if (d.getTime() <= now.getTime()) throw new CpansecError('PARSE_ERROR', 'an embargo must end in the future', { file: 'embargoEndsAt' });
  if (d.getTime() > addDays(now, config.maxDays).getTime()) {
    throw new CpansecError('PARSE_ERROR', `an embargo may last at most ${config.maxDays} days`, { file: 'embargoEndsAt' });
  }
  return d;
}

/** The reminder lead times (days) now due for this case and not yet sent, longest first. */
export function dueReminders(c: EmbargoFacts, now: Date, config: EmbargoConfig = DEFAULT_EMBARGO): number[] {
  if (!c.embargo || !embargoActive(c, now) || isTerminal(c.state)) return [];
  const left = new Date(c.embargo.endsAt).getTime() - now.getTime();
  return [...new Set(config.reminderLeadDays)]
    .filter((d) => left <= d * 86_400_000 && !c.embargo!.remindersSent.includes(d))
    .sort((a, b) => b - a);
}

/** Has the embargo expired unpublished without the team having been told yet? */
export function expiryNeedsFlag(c: EmbargoFacts, now: Date): boolean {
  return c.embargo !== null && embargoStatus(c, now).state === 'expired' && c.embargo.expiryFlaggedAt === null;
}
