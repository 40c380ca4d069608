/**
 * The disclosure workspace's tables. Each record of the domain is stored whole as JSON in `record`
 * (cases, accounts, audit entries …: the domain owns their shape), beside the columns the store
 * looks records up, filters and orders by. `position` keeps the order records were written in
 * (messages of the same instant, the outbox), which the contract asks for.
 */
import type { StoreSchema } from '../schema.js';

export interface CasesTable {
  id: string;
  reference: string;
  state: string;
  version: number;
  created_at: string;
  distribution: string;
  cve: string | null;
  /** 0103: SHA-256 of the idempotency key it was filed with */
  intake_key?: string | null;
  record: string;
}

export interface LimitEventsTable {
  bucket: string;
  at: string;
}

export interface SecretsTable {
  name: string;
  value: string;
}

/** Who is on a case (reporter, invited authors, downstream packagers it is shared with), for "the cases of this account". */
export interface CaseParticipantsTable {
  case_id: string;
  account_id: string;
}

export interface AuditTable {
  seq: number;
  case_id: string | null;
  /** the entry's hash (0101): the triggers move the head with it */
  hash: string | null;
  record: string;
}

/** The chain's head, kept apart from the entries by the database's triggers (0101). */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface MessagesTable {
  id: string;
  case_id: string;
  at: string;
  position: number;
  record: string;
}

/** Files of reports and messages (0104): the record, and the bytes. */
export interface AttachmentsTable {
  id: string;
  case_id: string;
  message_id: string | null;
  position: number;
  record: string;
  content: Uint8Array;
}

export interface ContactsTable {
  id: string;
  case_id: string;
  at: string;
  position: number;
  record: string;
}

export interface AccountsTable {
  id: string;
  email_key: string;
  role: string;
  position: number;
  record: string;
}

export interface SessionsTable {
  id_hash: string;
  account_id: string;
  record: string;
}

export interface TokensTable {
  id: string;
  prefix: string;
  account_id: string;
  record: string;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  case_id: string | null;
  /** lower-cased address (0102) */
  email_key: string | null;
  record: string;
}

/** The other tokens of an invitation: one per mailed link, made when the mail is sent (0102). */
export interface InvitationTokensTable {
  token_hash: string;
  invitation_id: string;
}

export interface LoginAttemptsTable {
  /** set for attempts reserved before their password check (0102) */
  id: string | null;
  at: string;
  email_key: string;
  ip: string;
  ok: number;
}

export interface OutboxTable {
  id: string;
  case_id: string | null;
  status: string;
  attempts: number;
  created_at: string;
  next_attempt_at: string;
  claimed_until: string | null;
  position: number;
  record: string;
}

export interface DisclosureSchema {
  disclosure_cases: CasesTable;
  disclosure_case_participants: CaseParticipantsTable;
  disclosure_audit: AuditTable;
  disclosure_audit_head: AuditHeadTable;
  disclosure_messages: MessagesTable;
  disclosure_attachments: AttachmentsTable;
  disclosure_contacts: ContactsTable;
  disclosure_accounts: AccountsTable;
  disclosure_sessions: SessionsTable;
  disclosure_tokens: TokensTable;
  disclosure_invitations: InvitationsTable;
  disclosure_invitation_tokens: InvitationTokensTable;
  disclosure_login_attempts: LoginAttemptsTable;
  disclosure_outbox: OutboxTable;
  disclosure_limit_events: LimitEventsTable;
  disclosure_secrets: SecretsTable;
}

export type DisclosureDatabase = StoreSchema & DisclosureSchema;
