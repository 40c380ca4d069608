/**
 * Reading: a case as its viewer may see it, the list of one's cases, the public view, the audit
 * log and its verification, the outbox. Every read goes through the policy; the public one
 * through `publicView` (and so `isPublic`).
 */
import { CpansecError } from '../../errors.js';
import type { Actor } from '../actor.js';
import { caseRole, isStaff } from '../actor.js';
import { attachmentView, type Attachment, type AttachmentView } from '../attachments.js';
import { AuditVerifier, type AuditEntry, type AuditHead, type AuditVerification } from '../audit-log.js';
import { activeShare } from '../downstream.js';
import { distributionName, type Assessment, type Case } from '../case.js';
import { escalation, nextStepName, type ContactEntry, type Escalation } from '../contact.js';
import type { Draft } from '../draft.js';
import { embargoStatus, isPublic, publicView, type EmbargoStatus, type PublicCase } from '../embargo.js';
import type { EncryptionKey } from '../encryption-key.js';
import { CASE_STATES, parseCaseState, type CaseState } from '../lifecycle.js';
import { drainOutbox, outboxView, type DrainReport, type MailLinks, type MailTransport, type OutboxMail } from '../outbox.js';
import { authorize, can, CASE_ACTIONS, type CaseAction } from '../policy.js';
import type { DisclosureTx } from '../repository.js';
import { caseFor, type DisclosureDeps } from './context.js';

export interface CaseView {
  id: string;
  reference: string;
  state: CaseState;
  createdAt: string;
  updatedAt: string;
  distribution: string;
  affectedVersions: string[];
  description: string;
  proof: string | null;
  credit: string | null;
  /** only for those who may see the reporter's contact */
  reporter?: { name: string | null; email: string; encryptionKey: EncryptionKey | null };
  duplicateOf: string | null;
  embargo: EmbargoStatus;
  cve: string | null;
  publishedAt: string | null;
  /** staff only */
  assessment?: Assessment;
  contacts?: ContactEntry[];
  escalation?: Escalation;
  /** those who may see the draft */
  draft?: Draft;
  /** the files that came with the report (those on the case) */
  attachments?: AttachmentView[];
  /** the team: what downstream packagers read, and with whom the case is shared (revoked shares too) */
  downstream?: {
    summary: string;
    fixAttachmentId: string | null;
    shares: { accountId: string; name: string; sharedAt: string; revokedAt: string | null }[];
  } | null;
  /** the team member leading the case, and the people on it by name (for the team) */
  assignee?: { id: string; name: string } | null;
  participants?: { role: 'assignee' | 'reporter' | 'author'; name: string }[];
  /** the earliest date something is due: the embargo's end, the author's deadline, the next escalation step (for the team) */
  nextDeadline?: { at: string; what: string } | null;
  /** what this viewer may do now (buttons), and the states they may move the case to */
  actions: CaseAction[];
  nextStates: CaseState[];
  viewerRole: string;
}

export async function viewCase(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<CaseView> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.view', now);
    const v = caseView(actor, c, now, deps, await tx.contacts.listByCase(c.id), await tx.attachments.listByCase(c.id));
    if (!v.assessment) return v;
    const nameOf = async (id: string) => (await tx.accounts.get(id))?.name ?? 'an account that no longer exists';
    const downstream = c.downstream
      ? {
          summary: c.downstream.summary,
          fixAttachmentId: c.downstream.fixAttachmentId,
          shares: await Promise.all(c.downstream.shares.map(async (s) => ({ accountId: s.accountId, name: await nameOf(s.accountId), sharedAt: s.sharedAt, revokedAt: s.revokedAt }))),
        }
      : null;
    const assignee = c.assigneeAccountId ? { id: c.assigneeAccountId, name: await nameOf(c.assigneeAccountId) } : null;
    const participants: NonNullable<CaseView['participants']> = [
      ...(assignee ? [{ role: 'assignee' as const, name: assignee.name }] : []),
      { role: 'reporter', name: c.report.reporter.name ?? c.report.reporter.email },
      ...(await Promise.all(c.authorAccountIds.map(async (id) => ({ role: 'author' as const, name: await nameOf(id) })))),
    ];
    return { ...v, assignee, participants, downstream };
  });
}

/** The earliest of what falls due on a case (for the team's header and the list's deadline filter). */
export function nextDeadline(c: Case, esc: Escalation | undefined, now: Date, embargoState: EmbargoStatus): { at: string; what: string } | null {
  const candidates: { at: string; what: string }[] = [];
  if (c.embargo && (embargoState.state === 'active' || embargoState.state === 'ending-soon' || embargoState.state === 'expired')) candidates.push({ at: c.embargo.endsAt, what: 'embargo ends' });
  if (esc?.next) candidates.push({ at: esc.next.at, what: nextStepName(esc.next) });
  if (esc?.responseDeadline && esc.step !== 'answered' && esc.responseDeadline > now.toISOString()) candidates.push({ at: esc.responseDeadline, what: 'author’s answer due' });
  return candidates.sort((a, b) => a.at.localeCompare(b.at))[0] ?? null;
}


/** The projection of a case for one viewer (who may `case.view` it). */
export function caseView(actor: Actor, c: Case, now: Date, deps: Pick<DisclosureDeps, 'config'>, contacts: ContactEntry[], attachments: readonly Attachment[] = []): CaseView {
  const allowed = CASE_ACTIONS.filter((a) => can(actor, a, c, now));
  const staff = can(actor, 'case.viewAudit', c, now);
  // who reported it (the credit included) is for the team and the reporter until it is public:
  // the author, or a downstream packager, learns it from the advisory, if the reporter asked to be named
  const knowsReporter = can(actor, 'case.viewContact', c, now) || isPublic(c, now);
  const draft = c.draft && can(actor, 'case.viewDraft', c, now) ? (knowsReporter ? c.draft : withoutCredits(c.draft)) : undefined;
  return {
    id: c.id,
    reference: c.reference,
    state: c.state,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    distribution: c.report.distribution,
    affectedVersions: c.report.affectedVersions,
    description: c.report.description,
    proof: c.report.proof,
    credit: knowsReporter ? c.report.credit : null,
    ...(can(actor, 'case.viewContact', c, now) ? { reporter: { ...c.report.reporter, encryptionKey: c.report.encryptionKey } } : {}),
    duplicateOf: c.duplicateOf,
    embargo: embargoStatus(c, now, deps.config.embargo),
    cve: c.cve,
    publishedAt: c.publishedAt,
    ...(staff ? staffPart(c, contacts, now, deps) : {}),
    ...(draft ? { draft } : {}),
    ...(can(actor, 'case.view', c, now) ? { attachments: attachments.filter((a) => a.caseId === c.id && a.messageId === null).map(attachmentView) } : {}),
    actions: allowed.filter((a) => !a.startsWith('transition:')),
    nextStates: CASE_STATES.filter((s) => allowed.includes(`transition:${s}`)),
    viewerRole: caseRole(actor, c),
  };
}

function staffPart(c: Case, contacts: ContactEntry[], now: Date, deps: Pick<DisclosureDeps, 'config'>) {
  const esc = escalation(c, contacts, now, deps.config.contact);
  return { assessment: c.assessment, contacts, escalation: esc, nextDeadline: nextDeadline(c, esc, now, embargoStatus(c, now, deps.config.embargo)) };
}

/** A draft without the reporter's credit (the only place it names them). */
function withoutCredits(d: Draft): Draft {
  return { ...d, cna: { ...d.cna, credits: d.cna.credits.filter((x) => x.type !== 'finder' && x.type !== 'reporter') } };
}

export interface CaseSummary {
  reference: string;
  /** not for a downstream packager, who reads only the summary and the fix */
  state?: CaseState;
  distribution: string;
  /** not for a downstream packager */
  createdAt?: string;
  /** not for a downstream packager */
  updatedAt?: string;
  embargoEndsAt: string | null;
  /** for a downstream packager: when the case was shared with them */
  sharedAt?: string;
  /** for the team */
  assigneeAccountId?: string | null;
  severity?: string | null;
  nextDeadline?: { at: string; what: string } | null;
}

export interface CaseListFilter {
  states?: unknown[];
  distribution?: unknown;
  /** 'me', 'none' or an account id (team only) */
  assignee?: unknown;
  /** 'overdue' (something fell due) or a number of days (something falls due within) — team only */
  due?: unknown;
  limit?: unknown;
  offset?: unknown;
}

/** The cases this actor may see: all for the team, their own for reporters and authors, those shared with them for downstream packagers. */
export async function listCases(deps: DisclosureDeps, actor: Actor, filter: CaseListFilter = {}): Promise<CaseSummary[]> {
  const now = deps.clock.now();
  authorize(actor, 'case.list', null, now);
  const count = (v: unknown, field: string, fallback: number, max: number) => {
    if (v === undefined || v === null || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new CpansecError('PARSE_ERROR', 'must be a whole number', { file: field });
    return Math.min(n, max);
  };
  // a packager does not learn a case's state, not even by filtering on it
  const downstream = actor.kind === 'account' && actor.role === 'downstream';
  const query = {
    ...(filter.states && !downstream ? { states: filter.states.map(parseCaseState) } : {}),
    ...(filter.distribution !== undefined && filter.distribution !== '' ? { distribution: distributionName(filter.distribution) } : {}),
    limit: count(filter.limit, 'limit', 100, 500),
    offset: count(filter.offset, 'offset', 0, 1_000_000),
  };
  const staff = actor.kind === 'account' && (actor.role === 'admin' || actor.role === 'member');
  const assignee = filter.assignee === undefined || filter.assignee === '' ? undefined : String(filter.assignee) === 'me' && actor.kind === 'account' ? actor.accountId : String(filter.assignee);
  const due = filter.due === undefined || filter.due === '' ? undefined : filter.due === 'overdue' ? 0 : count(filter.due, 'due', 0, 366);
  // the assignee and deadline filters read the records: fetched whole, filtered, then paged
  const inMemory = staff && (assignee !== undefined || due !== undefined);
  return deps.store.transaction(async (tx) => {
    const cases = await tx.cases.list({ ...query, ...(inMemory ? { limit: 5000, offset: 0 } : {}), ...(staff ? {} : { participant: (actor as Extract<Actor, { kind: 'account' }>).accountId }) });
    if (downstream) {
      const me = (actor as Extract<Actor, { kind: 'account' }>).accountId;
      return cases.flatMap((c): CaseSummary[] => {
        // a case they reported themselves reads as any reporter's
        if (can(actor, 'case.view', c, now)) return [{ reference: c.reference, state: c.state, distribution: c.report.distribution, createdAt: c.createdAt, updatedAt: c.updatedAt, embargoEndsAt: c.embargo?.endsAt ?? null }];
        if (!can(actor, 'case.viewDownstream', c, now)) return [];
        return [{ reference: c.reference, distribution: c.report.distribution, embargoEndsAt: c.embargo?.endsAt ?? null, sharedAt: activeShare(c, me)!.sharedAt }];
      });
    }
    const rows = cases
      .filter((c) => can(actor, 'case.view', c, now))
      .map((c): CaseSummary & { c: Case } => {
        const base = { c, reference: c.reference, state: c.state, distribution: c.report.distribution, createdAt: c.createdAt, updatedAt: c.updatedAt, embargoEndsAt: c.embargo?.endsAt ?? null };
        if (!staff) return base;
        return { ...base, assigneeAccountId: c.assigneeAccountId ?? null, severity: c.assessment.severity, nextDeadline: nextDeadline(c, undefined, now, embargoStatus(c, now, deps.config.embargo)) };
      });
    let out = rows;
    if (inMemory) {
      if (assignee !== undefined) out = out.filter((r) => (assignee === 'none' ? !r.assigneeAccountId : r.assigneeAccountId === assignee));
      if (due !== undefined) {
        // escalation steps need the contact log: read it for the cases that are left
        const withContacts = await Promise.all(out.map(async (r) => ({ ...r, nextDeadline: nextDeadline(r.c, escalation(r.c, await tx.contacts.listByCase(r.c.id), now, deps.config.contact), now, embargoStatus(r.c, now, deps.config.embargo)) })));
        const limit = new Date(now.getTime() + due * 86_400_000).toISOString();
        out = withContacts.filter((r) => r.nextDeadline && r.nextDeadline.at <= limit).sort((a, b) => a.nextDeadline!.at.localeCompare(b.nextDeadline!.at));
      }
      out = out.slice(query.offset, query.offset + query.limit);
    }
    return out.map(({ c: _c, ...summary }) => summary);
  });
}

/** The public view of a case, for anyone, or NOT_FOUND while it is not public. */
export async function publicCase(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<PublicCase> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewPublic', now);
    const view = publicView(c, now);
    // a participant asking before publication: there is no public view yet
    if (!view) throw new CpansecError('NOT_FOUND', 'not published', { file: c.reference });
    return view;
  });
}

/** Every case published and out of embargo: what feeds, site, API, search and exports may show. */
export async function publishedCases(deps: DisclosureDeps): Promise<PublicCase[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) =>
    (await tx.cases.list({ states: ['published'] })).map((c) => publicView(c, now)).filter((v): v is PublicCase => v !== null),
  );
}

/** Who an audit entry's actor label is, for people reading the log (the entries keep the ids). */
export interface AuditActorView {
  name: string;
  /** for staff viewers */
  email?: string;
  role?: string;
}

/** The people behind the labels of these entries (`account:<id>`, `system:<job>`, `anonymous`). */
export async function auditActors(tx: DisclosureTx, entries: readonly AuditEntry[], withEmail: boolean): Promise<Record<string, AuditActorView>> {
  const out: Record<string, AuditActorView> = {};
  for (const label of new Set(entries.map((e) => e.actor))) {
    if (label === 'anonymous') out[label] = { name: 'anonymous' };
    else if (label.startsWith('system:')) out[label] = { name: `system (${label.slice('system:'.length)})` };
    else if (label.startsWith('account:')) {
      const a = await tx.accounts.get(label.slice('account:'.length));
      out[label] = a ? { name: a.name, role: a.role, ...(withEmail ? { email: a.email } : {}) } : { name: 'an account that no longer exists' };
    } else out[label] = { name: label };
  }
  return out;
}

/** A case's audit log with the names of its actors (e-mail addresses too, for the team). */
export async function caseAuditTrail(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<{ entries: AuditEntry[]; actors: Record<string, AuditActorView> }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewAudit', now);
    const entries = await tx.audit.list({ caseId: c.id, limit: 100_000 });
    return { entries, actors: await auditActors(tx, entries, isStaff(actor)) };
  });
}

export async function caseAuditLog(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<AuditEntry[]> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewAudit', now);
    return tx.audit.list({ caseId: c.id, limit: 100_000 });
  });
}

/**
 * Verify the whole chain, page by page, against the head the store recorded apart from the entries
 * (nothing cut off the end, nothing rewritten) and against a head seen elsewhere (a team mail, the
 * operator's notes), when one is given.
 */
export async function verifyAudit(deps: DisclosureDeps, actor: Actor, witnessed?: AuditHead, pageSize = 1000): Promise<AuditVerification> {
  authorize(actor, 'audit.verify', null, deps.clock.now());
  const recorded = await deps.store.transaction((tx) => tx.audit.recordedHead());
  const verifier = new AuditVerifier([...(recorded ? [recorded] : []), ...(witnessed ? [witnessed] : [])]);
  let after = 0;
  for (;;) {
    const page = await deps.store.transaction((tx) => tx.audit.list({ afterSeq: after, limit: pageSize }));
    for (const e of page) if (!verifier.add(e)) return verifier.result();
    if (page.length < pageSize) return verifier.result();
    after = page.at(-1)!.seq;
  }
}

/** The outbox for its page. Stored mails hold no live link (outbox.ts); the view says where one goes. */
export async function listOutbox(deps: DisclosureDeps, actor: Actor, filter: { status?: OutboxMail['status']; limit?: number } = {}): Promise<OutboxMail[]> {
  authorize(actor, 'outbox.view', null, deps.clock.now());
  return (await deps.store.transaction((tx) => tx.outbox.list({ ...filter, limit: Math.min(filter.limit ?? 100, 1000) }))).map(outboxView);
}

/** How the workspace's drains make mailed links. */
export function mailLinks(deps: Pick<DisclosureDeps, 'random' | 'config'>): MailLinks {
  return { random: deps.random, invitation: (token) => deps.config.links.invitation(token) };
}

export async function sendOutbox(deps: DisclosureDeps, actor: Actor, transport: MailTransport): Promise<DrainReport> {
  authorize(actor, 'outbox.drain', null, deps.clock.now());
  return drainOutbox(deps.store, transport, deps.clock, deps.config.outbox, mailLinks(deps));
}
