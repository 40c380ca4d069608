/**
 * The store's migrations, one ordered list for SQLite and PostgreSQL. Names sort in the order they
 * run ("0001-…", "0002-…"); a part that needs tables adds its migration file here and appends it
 * to MIGRATIONS (never edit or reorder one that has shipped: stores already ran it).
 */
import type { Kysely } from 'kysely';
import { advisoryDatabase } from './0001-advisory-database.js';
import { advisoryHistory } from './0002-advisory-history.js';
import { disclosureWorkspace } from './0100-disclosure.js';
import { disclosureAuditAppendOnly } from './0101-disclosure-audit-append-only.js';
import { disclosureCredentials } from './0102-disclosure-credentials.js';
import { disclosureShared } from './0103-disclosure-shared.js';
import { disclosureAttachments } from './0104-disclosure-attachments.js';
import { provenanceLog } from './0200-provenance-log.js';
import { provenanceLogIndexes } from './0201-provenance-log-indexes.js';
import { authorKeys } from './0300-author-keys.js';
import { tufRepository } from './0301-tuf.js';
import { tufPending } from './0302-tuf-pending.js';

export type Dialect = 'sqlite' | 'postgres';

export interface StoreMigration {
  name: string;
  /** `dialect` for the rare statement that must differ (identity columns, partial indexes) */
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: readonly StoreMigration[] = [advisoryDatabase, advisoryHistory, disclosureWorkspace, disclosureAuditAppendOnly, disclosureCredentials, disclosureShared, disclosureAttachments, provenanceLog, provenanceLogIndexes, authorKeys, tufRepository, tufPending];
