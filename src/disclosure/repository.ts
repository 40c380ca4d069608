/**
 * What the disclosure domain needs from storage. src/store implements these over kysely (SQLite
 * and PostgreSQL); memory-repository.ts implements them for tests.
 *
 * Contract for implementations:
 * - `transaction(fn)` runs fn with repositories bound to one database transaction: every write in
 *   it is committed together when fn resolves, and none when it throws (or the process dies). Each
 *   command runs exactly one transaction for its writes, so a crash between two writes of a
 *   command cannot leave half of it applied. The store may run fn again after a serialization
 *   failure: fn touches nothing but `tx`.
 * - Reads inside a transaction see its own writes.
 * - Conflicts are CpansecError('CONFLICT'): a duplicate id, reference, CVE, e-mail key or token
 *   prefix; a case update whose `version` is not the stored version + 1 (optimistic locking); an
 *   audit entry whose `seq` is not the head's + 1. Appends to the audit log are serialised (one
 *   chain): SQLite's write lock does it; on PostgreSQL lock the head (e.g. SELECT … FOR UPDATE on
 *   a one-row head table, or a unique index on seq and a retry).
 * - Records are stored and returned whole (JSON columns are fine for nested parts such as
 *   `report`, `assessment`, `embargo`, `draft`, `totp`); ISO 8601 strings stay strings.
 */
import type { Account, AccountRole } from './accounts/account.js';
import type { Invitation } from './accounts/invitation.js';
import type { LoginAttempt } from './accounts/rate-limit.js';
import type { Session } from './accounts/session.js';
import type { ApiToken } from './accounts/tokens.js';
import type { Attachment } from './attachments.js';
import type { AuditEntry, AuditHead } from './audit-log.js';
import type { Case } from './case.js';
import type { ContactEntry } from './contact.js';
import type { CaseState } from './lifecycle.js';
import type { Message } from './messages.js';
import type { OutboxMail, OutboxStatus } from './outbox.js';

export interface CaseFilter {
  states?: CaseState[];
  /** cases this account filed, was invited to, or that are shared with it (downstream) */
  participant?: string;
  distribution?: string;
  limit?: number;
  offset?: number;
}

export interface CaseRepository {
  get(id: string): Promise<Case | undefined>;
  getByReference(reference: string): Promise<Case | undefined>;
  getByCve(cve: string): Promise<Case | undefined>;
  /** the case filed with this idempotency key's hash (`Case.intake.keyHash`) */
  getByIntakeKey(keyHash: string): Promise<Case | undefined>;
  /** newest first */
  list(filter?: CaseFilter): Promise<Case[]>;
  insert(c: Case): Promise<void>;
  /** CONFLICT unless c.version is the stored version + 1 */
  update(c: Case): Promise<void>;
}

export interface AuditRepository {
  /** the last entry's seq and hash */
  head(): Promise<AuditHead | null>;
  /**
   * The head as recorded apart from the entries, moved forward by every append in the same
   * transaction (and only forward): what a verification compares the entries with, so entries
   * cut off the end are seen.
   */
  recordedHead(): Promise<AuditHead | null>;
  /** CONFLICT unless e.seq is head.seq + 1 (1 for the first); moves the recorded head to e */
  append(e: AuditEntry): Promise<void>;
  /** in seq order */
  list(options: { caseId?: string; afterSeq?: number; limit: number }): Promise<AuditEntry[]>;
}

export interface MessageRepository {
  insert(m: Message): Promise<void>;
  /** oldest first; messages of the same instant in the order they were written */
  listByCase(caseId: string): Promise<Message[]>;
}

/** Files of reports and messages: the record and its bytes, written with the report or message. */
export interface AttachmentRepository {
  /** CONFLICT on a taken id */
  insert(a: Attachment, content: Uint8Array): Promise<void>;
  get(id: string): Promise<Attachment | undefined>;
  content(id: string): Promise<Uint8Array | undefined>;
  /** oldest first */
  listByCase(caseId: string): Promise<Attachment[]>;
}

export interface ContactRepository {
  insert(e: ContactEntry): Promise<void>;
  update(e: ContactEntry): Promise<void>;
  get(id: string): Promise<ContactEntry | undefined>;
  listByCase(caseId: string): Promise<ContactEntry[]>;
}

export interface AccountRepository {
  get(id: string): Promise<Account | undefined>;
  getByEmailKey(emailKey: string): Promise<Account | undefined>;
  list(): Promise<Account[]>;
  countByRole(role: AccountRole): Promise<number>;
  /** CONFLICT on a taken e-mail key */
  insert(a: Account): Promise<void>;
  update(a: Account): Promise<void>;
}

export interface SessionRepository {
  get(idHash: string): Promise<Session | undefined>;
  insert(s: Session): Promise<void>;
  update(s: Session): Promise<void>;
  delete(idHash: string): Promise<void>;
  deleteByAccount(accountId: string): Promise<void>;
}

export interface TokenRepository {
  getByPrefix(prefix: string): Promise<ApiToken | undefined>;
  get(id: string): Promise<ApiToken | undefined>;
  listByAccount(accountId: string): Promise<ApiToken[]>;
  /** CONFLICT on a taken prefix */
  insert(t: ApiToken): Promise<void>;
  update(t: ApiToken): Promise<void>;
}

export interface InvitationRepository {
  get(id: string): Promise<Invitation | undefined>;
  /** by the hash of any of its tokens: the first one, or one added for a mailed link */
  getByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  listByCase(caseId: string): Promise<Invitation[]>;
  /** every invitation sent to this address (e-mail key), oldest first */
  listByEmail(emailKey: string): Promise<Invitation[]>;
  insert(i: Invitation): Promise<void>;
  update(i: Invitation): Promise<void>;
  /** another token of the invitation (a link made when its mail is sent); CONFLICT on a taken hash */
  addToken(invitationId: string, tokenHash: string): Promise<void>;
}

export interface LoginAttemptRepository {
  insert(a: LoginAttempt): Promise<void>;
  /** the outcome of an attempt reserved as a failure: a success, or (null) no attempt after all */
  settle(id: string, ok: boolean | null): Promise<void>;
  /** attempts after `since` for this e-mail key or this address */
  recent(key: { emailKey: string; ip: string }, since: string): Promise<LoginAttempt[]>;
  /** forget failures before `before`, successes before `successesBefore` (default: `before`) */
  prune(before: string, successesBefore?: string): Promise<void>;
}

export interface OutboxRepository {
  insert(m: OutboxMail): Promise<void>;
  get(id: string): Promise<OutboxMail | undefined>;
  /** pending and due, or `sending` with an expired claim; oldest first */
  due(now: Date, limit: number): Promise<OutboxMail[]>;
  /**
   * Compare-and-set: mark the record `sending` until `claimedUntil` if its status, attempt count
   * and current claim are still those of `seen`; false when another drain got there first.
   */
  claim(id: string, seen: Pick<OutboxMail, 'status' | 'attempts' | 'claimedUntil'>, claimedUntil: string): Promise<boolean>;
  update(m: OutboxMail): Promise<void>;
  list(filter?: { status?: OutboxStatus; caseId?: string; limit?: number }): Promise<OutboxMail[]>;
}

/**
 * Events counted by sliding-window limits shared by every server on the store (reports per
 * address, password-reset requests per address and per account): a bucket name and a time.
 */
export interface LimitRepository {
  add(bucket: string, at: string): Promise<void>;
  /** the times of the bucket's events after `since`, oldest first */
  since(bucket: string, since: string): Promise<string[]>;
  /** forget events before this time */
  prune(before: string): Promise<void>;
}

/** Server secrets shared by every process on the store (the key that signs pre-session tokens). */
export interface SecretRepository {
  /** the stored value, or `value` stored now when there is none (the first writer wins) */
  getOrCreate(name: string, value: string): Promise<string>;
}

export interface DisclosureTx {
  cases: CaseRepository;
  audit: AuditRepository;
  messages: MessageRepository;
  attachments: AttachmentRepository;
  contacts: ContactRepository;
  accounts: AccountRepository;
  sessions: SessionRepository;
  tokens: TokenRepository;
  invitations: InvitationRepository;
  loginAttempts: LoginAttemptRepository;
  outbox: OutboxRepository;
  limits: LimitRepository;
  secrets: SecretRepository;
}

export interface DisclosureStore {
  transaction<T>(fn: (tx: DisclosureTx) => Promise<T>): Promise<T>;
}
