/**
 * What every command is given, and the steps they share: find a case the actor may act on, save
 * it with optimistic locking, append to the audit log, queue a mail. A command is one call to
 * `store.transaction`; everything it writes is in that transaction.
 */
import { CpansecError } from '../../errors.js';
import type { VulnerabilityIndex } from '../../index/index.js';
import type { Account } from '../accounts/account.js';
import type { CredentialThrottle } from '../accounts/throttle.js';
import { actorLabel, type Actor } from '../actor.js';
import { chainEntry, type AuditEntry, type AuditValue } from '../audit-log.js';
import type { Case } from '../case.js';
import type { Clock, RandomSource } from '../clock.js';
import type { DisclosureConfig } from '../config.js';
import type { CveRecordInput } from '../draft.js';
import { parseCaseReference } from '../ids.js';
import { LINK_MARK, newMail, type MailLink } from '../outbox.js';
import { authorize, type Action } from '../policy.js';
import type { DisclosureStore, DisclosureTx } from '../repository.js';
import type { CpanKnowledge } from '../scope.js';

export interface DisclosureDeps {
  store: DisclosureStore;
  clock: Clock;
  random: RandomSource;
  config: DisclosureConfig;
  /** the vulnerability index: existing advisories, advisory ids taken, modules, "on CPAN" */
  index?: VulnerabilityIndex;
  /** more CPAN knowledge (e.g. the 02packages list), asked after the index */
  cpan?: CpanKnowledge;
  /** limits on logins and password checks in flight (default: the process's) */
  throttle?: CredentialThrottle;
  /**
   * Builds and validates a case's CVE JSON 5 record (src/publish, which this part does not
   * import): publishing a case with a CVE id is refused without it, or with its errors.
   */
  checkCveRecord?: CveRecordCheck;
}

export interface CveRecordProblem {
  level: 'error' | 'warning';
  where: string;
  message: string;
}

export type CveRecordCheck = (input: CveRecordInput) => { problems: CveRecordProblem[] };

/** A case by internal id or public reference, if the actor may do `action` on it. NOT_FOUND otherwise. */
export async function caseFor(tx: DisclosureTx, actor: Actor, key: string, action: Action, now: Date): Promise<Case> {
  const trimmed = String(key ?? '').trim();
  const byReference = /^cpansec-/i.test(trimmed);
  const reference = byReference ? parseCaseReference(trimmed) : undefined;
  const c = reference ? await tx.cases.getByReference(reference) : /^[0-9a-z]{26}$/.test(trimmed) ? await tx.cases.get(trimmed) : undefined;
  authorize(actor, action, c ?? null, now, reference ?? 'case');
  return c!;
}

/** An account by id; NOT_FOUND when there is none. */
export async function accountFor(tx: DisclosureTx, id: string): Promise<Account> {
  const a = await tx.accounts.get(id);
  if (!a) throw new CpansecError('NOT_FOUND', 'no such account', { file: 'account' });
  return a;
}

/** Write the case back as the next version. */
export async function saveCase(tx: DisclosureTx, c: Case, now: Date): Promise<Case> {
  const next = { ...c, version: c.version + 1, updatedAt: now.toISOString() };
  await tx.cases.update(next);
  return next;
}

export interface AuditFields {
  caseId: string | null;
  action: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
  data?: Record<string, AuditValue>;
}

export async function audit(tx: DisclosureTx, actor: Actor, now: Date, f: AuditFields): Promise<AuditEntry> {
  const entry = chainEntry(
    { at: now.toISOString(), actor: actorLabel(actor), caseId: f.caseId, action: f.action, from: f.from ?? null, to: f.to ?? null, reason: f.reason ?? '', data: f.data ?? {} },
    await tx.audit.head(),
  );
  await tx.audit.append(entry);
  return entry;
}

/**
 * Queue a notification. The body carries no case details: the reference and a link only. A
 * single-use link is not written into it: the body holds LINK_MARK where the link goes, and the
 * drain makes a fresh token for it when it sends the mail (outbox.ts). Mails to the team carry
 * the audit log's head, a copy of it outside the database (docs/workspace.md: the threat model).
 */
export async function notify(tx: DisclosureTx, deps: DisclosureDeps, now: Date, mail: { to: string; subject: string; body: string; caseId: string | null; link?: MailLink }): Promise<void> {
  if (mail.link && mail.body.split(LINK_MARK).length !== 2) throw new Error('a mail with a link has exactly one place for it');
  let body = mail.body;
  if (mail.to === deps.config.teamAddress) {
    const head = await tx.audit.head();
    if (head) body += `Audit log head: ${head.seq} ${head.hash}\n`;
  }
  await tx.outbox.insert(newMail(deps.random, { ...mail, body }, now, deps.config.outbox.messageIdDomain));
}

export const SIGNATURE = '\n\n-- \ncpansec, the CPAN Security Group workspace\n';

/** The reporter's and the invited authors' addresses, without the actor's own. */
export async function participantAddresses(tx: DisclosureTx, c: Case, actor: Actor): Promise<string[]> {
  const own = actor.kind === 'account' ? await tx.accounts.get(actor.accountId) : undefined;
  const reporter = c.reporterAccountId ? (await tx.accounts.get(c.reporterAccountId))?.email ?? c.report.reporter.email : c.report.reporter.email;
  const authors = await Promise.all(c.authorAccountIds.map(async (id) => (await tx.accounts.get(id))?.email));
  return [...new Set([reporter, ...authors].filter((a): a is string => !!a && a.toLowerCase() !== own?.emailKey))];
}
