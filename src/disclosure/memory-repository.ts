/**
 * An in-memory DisclosureStore, for tests and for trying the domain without a database. It keeps
 * the store contract of repository.ts: transactions are serialised, see their own writes, and
 * commit all or nothing (each works on a copy of the state that replaces it only on success);
 * records are copied in and out, as a database would; the same conflicts are raised.
 * `crashAfterWrites(n)` makes the (n+1)-th write of later transactions throw, to show that a
 * command interrupted between two writes leaves nothing behind.
 */
import { CpansecError } from '../errors.js';
import type { Account } from './accounts/account.js';
import type { Invitation } from './accounts/invitation.js';
import type { LoginAttempt } from './accounts/rate-limit.js';
import type { Session } from './accounts/session.js';
import type { ApiToken } from './accounts/tokens.js';
import type { Attachment } from './attachments.js';
import type { AuditEntry, AuditHead } from './audit-log.js';
import { sharedWith } from './downstream.js';
import type { Case } from './case.js';
import type { ContactEntry } from './contact.js';
import type { Message } from './messages.js';
import { isDue, type OutboxMail } from './outbox.js';
import type { CaseFilter, DisclosureStore, DisclosureTx } from './repository.js';

interface State {
  cases: Map<string, Case>;
  audit: AuditEntry[];
  /** the head kept apart from the entries, as the SQL store's head table */
  auditHead: AuditHead | null;
  messages: Message[];
  attachments: Map<string, { record: Attachment; content: Uint8Array }>;
  contacts: Map<string, ContactEntry>;
  accounts: Map<string, Account>;
  sessions: Map<string, Session>;
  tokens: Map<string, ApiToken>;
  invitations: Map<string, Invitation>;
  /** token hash -> invitation id, for the tokens of mailed links */
  invitationTokens: Map<string, string>;
  loginAttempts: LoginAttempt[];
  outbox: Map<string, OutboxMail>;
  limits: { bucket: string; at: string }[];
  secrets: Map<string, string>;
}

const copy = <T>(v: T): T => structuredClone(v);

const conflict = (what: string) => new CpansecError('CONFLICT', what, { file: 'store' });

function emptyState(): State {
  return {
    cases: new Map(),
    audit: [],
    auditHead: null,
    messages: [],
    attachments: new Map(),
    contacts: new Map(),
    accounts: new Map(),
    sessions: new Map(),
    tokens: new Map(),
    invitations: new Map(),
    invitationTokens: new Map(),
    loginAttempts: [],
    outbox: new Map(),
    limits: [],
    secrets: new Map(),
  };
}

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash between two writes');
  }
}

export class MemoryStore implements DisclosureStore {
  private state: State = emptyState();
  private lock: Promise<unknown> = Promise.resolve();
  private writesLeft: number | undefined;
  /** committed transactions, for tests */
  commits = 0;

  /** The (n+1)-th write from now on throws SimulatedCrash (undefined: never). */
  crashAfterWrites(n: number | undefined): void {
    this.writesLeft = n;
  }

  /** A copy of everything stored, for assertions. */
  snapshot(): State {
    return copy(this.state);
  }

  transaction<T>(fn: (tx: DisclosureTx) => Promise<T>): Promise<T> {
    const run = this.lock.then(async () => {
      const working = copy(this.state);
      const result = await fn(this.bind(working));
      this.state = working;
      this.commits++;
      return result;
    });
    this.lock = run.catch(() => undefined);
    return run;
  }

  private write(): void {
    if (this.writesLeft === undefined) return;
    if (this.writesLeft <= 0) throw new SimulatedCrash();
    this.writesLeft--;
  }

  private bind(s: State): DisclosureTx {
    const w = () => this.write();
    return {
      cases: {
        get: async (id) => copy(s.cases.get(id)),
        getByReference: async (ref) => copy([...s.cases.values()].find((c) => c.reference === ref)),
        getByCve: async (cve) => copy([...s.cases.values()].find((c) => c.cve === cve)),
        getByIntakeKey: async (keyHash) => copy([...s.cases.values()].find((c) => c.intake?.keyHash === keyHash)),
        list: async (f: CaseFilter = {}) => {
          const all = [...s.cases.values()]
            .filter((c) => !f.states || f.states.includes(c.state))
            .filter((c) => !f.participant || c.reporterAccountId === f.participant || c.authorAccountIds.includes(f.participant) || sharedWith(c).includes(f.participant))
            .filter((c) => !f.distribution || c.report.distribution === f.distribution)
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
          return copy(all.slice(f.offset ?? 0, (f.offset ?? 0) + (f.limit ?? all.length)));
        },
        insert: async (c) => {
          w();
          if (s.cases.has(c.id)) throw conflict(`case id ${c.id} exists`);
          if ([...s.cases.values()].some((x) => x.reference === c.reference)) throw conflict(`case reference ${c.reference} exists`);
          s.cases.set(c.id, copy(c));
        },
        update: async (c) => {
          w();
          const old = s.cases.get(c.id);
          if (!old) throw new CpansecError('NOT_FOUND', `no case ${c.id}`, { file: 'store' });
          if (c.version !== old.version + 1) throw conflict(`case ${c.reference} was changed by someone else (version ${old.version}, not ${c.version - 1})`);
          if (c.cve && [...s.cases.values()].some((x) => x.id !== c.id && x.cve === c.cve)) throw conflict(`${c.cve} is assigned to another case`);
          s.cases.set(c.id, copy(c));
        },
      },
      audit: {
        head: async () => {
          const last = s.audit.at(-1);
          return last ? { seq: last.seq, hash: last.hash } : null;
        },
        recordedHead: async () => copy(s.auditHead),
        append: async (e) => {
          w();
          if (e.seq !== (s.audit.at(-1)?.seq ?? 0) + 1) throw conflict(`audit entry ${e.seq} does not follow the head`);
          s.audit.push(copy(e));
          s.auditHead = { seq: e.seq, hash: e.hash };
        },
        list: async ({ caseId, afterSeq = 0, limit }) =>
          copy(s.audit.filter((e) => e.seq > afterSeq && (caseId === undefined || e.caseId === caseId)).slice(0, limit)),
      },
      messages: {
        insert: async (m) => {
          w();
          s.messages.push(copy(m));
        },
        listByCase: async (caseId) => copy(s.messages.filter((m) => m.caseId === caseId).sort((a, b) => a.at.localeCompare(b.at))),
      },
      attachments: {
        insert: async (a, content) => {
          w();
          if (s.attachments.has(a.id)) throw conflict(`attachment ${a.id} exists`);
          s.attachments.set(a.id, { record: copy(a), content: new Uint8Array(content) });
        },
        get: async (id) => copy(s.attachments.get(id)?.record),
        content: async (id) => {
          const x = s.attachments.get(id);
          return x ? new Uint8Array(x.content) : undefined;
        },
        listByCase: async (caseId) => copy([...s.attachments.values()].map((x) => x.record).filter((a) => a.caseId === caseId)),
      },
      contacts: {
        insert: async (e) => {
          w();
          s.contacts.set(e.id, copy(e));
        },
        update: async (e) => {
          w();
          s.contacts.set(e.id, copy(e));
        },
        get: async (id) => copy(s.contacts.get(id)),
        listByCase: async (caseId) => copy([...s.contacts.values()].filter((e) => e.caseId === caseId).sort((a, b) => a.at.localeCompare(b.at))),
      },
      accounts: {
        get: async (id) => copy(s.accounts.get(id)),
        getByEmailKey: async (key) => copy([...s.accounts.values()].find((a) => a.emailKey === key)),
        list: async () => copy([...s.accounts.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))),
        countByRole: async (role) => [...s.accounts.values()].filter((a) => a.role === role).length,
        insert: async (a) => {
          w();
          if ([...s.accounts.values()].some((x) => x.emailKey === a.emailKey)) throw conflict(`an account for ${a.email} exists`);
          s.accounts.set(a.id, copy(a));
        },
        update: async (a) => {
          w();
          s.accounts.set(a.id, copy(a));
        },
      },
      sessions: {
        get: async (h) => copy(s.sessions.get(h)),
        insert: async (x) => {
          w();
          s.sessions.set(x.idHash, copy(x));
        },
        update: async (x) => {
          w();
          s.sessions.set(x.idHash, copy(x));
        },
        delete: async (h) => {
          w();
          s.sessions.delete(h);
        },
        deleteByAccount: async (id) => {
          w();
          for (const [k, v] of s.sessions) if (v.accountId === id) s.sessions.delete(k);
        },
      },
      tokens: {
        getByPrefix: async (p) => copy([...s.tokens.values()].find((t) => t.prefix === p)),
        get: async (id) => copy(s.tokens.get(id)),
        listByAccount: async (id) => copy([...s.tokens.values()].filter((t) => t.accountId === id)),
        insert: async (t) => {
          w();
          if ([...s.tokens.values()].some((x) => x.prefix === t.prefix)) throw conflict('token prefix taken');
          s.tokens.set(t.id, copy(t));
        },
        update: async (t) => {
          w();
          s.tokens.set(t.id, copy(t));
        },
      },
      invitations: {
        get: async (id) => copy(s.invitations.get(id)),
        getByTokenHash: async (h) => {
          const extra = s.invitationTokens.get(h);
          return copy(extra ? s.invitations.get(extra) : [...s.invitations.values()].find((i) => i.tokenHash === h));
        },
        listByCase: async (caseId) => copy([...s.invitations.values()].filter((i) => i.caseId === caseId)),
        listByEmail: async (key) => copy([...s.invitations.values()].filter((i) => i.email.toLowerCase() === key).sort((a, b) => a.createdAt.localeCompare(b.createdAt))),
        addToken: async (id, h) => {
          w();
          if (s.invitationTokens.has(h) || [...s.invitations.values()].some((i) => i.tokenHash === h)) throw conflict('invitation token taken');
          s.invitationTokens.set(h, id);
        },
        insert: async (i) => {
          w();
          s.invitations.set(i.id, copy(i));
        },
        update: async (i) => {
          w();
          s.invitations.set(i.id, copy(i));
        },
      },
      loginAttempts: {
        insert: async (a) => {
          w();
          s.loginAttempts.push(copy(a));
        },
        settle: async (id, ok) => {
          w();
          s.loginAttempts = ok === null ? s.loginAttempts.filter((a) => a.id !== id) : s.loginAttempts.map((a) => (a.id === id ? { ...a, ok } : a));
        },
        recent: async (key, since) => copy(s.loginAttempts.filter((a) => a.at > since && (a.emailKey === key.emailKey || a.ip === key.ip))),
        prune: async (before, successesBefore = before) => {
          w();
          s.loginAttempts = s.loginAttempts.filter((a) => a.at >= (a.ok ? successesBefore : before));
        },
      },
      outbox: {
        insert: async (m) => {
          w();
          s.outbox.set(m.id, copy(m));
        },
        get: async (id) => copy(s.outbox.get(id)),
        due: async (now, limit) =>
          copy([...s.outbox.values()].filter((m) => isDue(m, now)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, limit)),
        claim: async (id, seen, claimedUntil) => {
          w();
          const m = s.outbox.get(id);
          if (!m || m.attempts !== seen.attempts || m.status !== seen.status || m.claimedUntil !== seen.claimedUntil) return false;
          s.outbox.set(id, { ...m, status: 'sending', claimedUntil });
          return true;
        },
        update: async (m) => {
          w();
          s.outbox.set(m.id, copy(m));
        },
        list: async (f = {}) =>
          copy(
            [...s.outbox.values()]
              .filter((m) => (!f.status || m.status === f.status) && (!f.caseId || m.caseId === f.caseId))
              .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
              .slice(0, f.limit ?? Infinity),
          ),
      },
      limits: {
        add: async (bucket, at) => {
          w();
          s.limits.push({ bucket, at });
        },
        since: async (bucket, since) => s.limits.filter((e) => e.bucket === bucket && e.at > since).map((e) => e.at).sort(),
        prune: async (before) => {
          w();
          s.limits = s.limits.filter((e) => e.at >= before);
        },
      },
      secrets: {
        getOrCreate: async (name, value) => {
          if (!s.secrets.has(name)) {
            w();
            s.secrets.set(name, value);
          }
          return s.secrets.get(name)!;
        },
      },
    };
  }
}
