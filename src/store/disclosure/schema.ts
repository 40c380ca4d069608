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
  record: string;
}

/** Who is on a case (reporter, invited authors), for "the cases of this account". */
export interface CaseParticipantsTable {
  case_id: string;
  account_id: string;
}

export interface AuditTable {
  seq: number;
  case_id: string | null;
  record: string;
}

export interface MessagesTable {
  id: string;
  case_id: string;
  at: string;
  position: number;
  record: string;
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
  record: string;
}

export interface LoginAttemptsTable {
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
  disclosure_messages: MessagesTable;
  disclosure_contacts: ContactsTable;
  disclosure_accounts: AccountsTable;
  disclosure_sessions: SessionsTable;
  disclosure_tokens: TokensTable;
  disclosure_invitations: InvitationsTable;
  disclosure_login_attempts: LoginAttemptsTable;
  disclosure_outbox: OutboxTable;
}

export type DisclosureDatabase = StoreSchema & DisclosureSchema;
