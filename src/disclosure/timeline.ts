/**
 * A case's public timeline, from its audit log: the events a CVE record and an advisory report
 * (reported, author contacted, fix released, published) — times only, never reasons.
 */
import type { AuditEntry } from './audit-log.js';

export interface TimelineEvent {
  time: string;
  value: string;
}

export function lifecycleTimeline(entries: readonly AuditEntry[]): TimelineEvent[] {
  const first = (p: (e: AuditEntry) => boolean) => entries.find(p)?.at;
  const events: [string | undefined, string][] = [
    [first((e) => e.action === 'case.filed'), 'Vulnerability reported to the CPAN Security Group'],
    [first((e) => e.action === 'author.invited' || e.action === 'contact.logged'), 'Distribution author contacted'],
    [first((e) => e.action === 'case.transition' && e.to === 'fix-released'), 'Fixed version released'],
    [first((e) => e.action === 'case.published'), 'Advisory published'],
  ];
  return events.filter((x): x is [string, string] => x[0] !== undefined).map(([time, value]) => ({ time, value }));
}
