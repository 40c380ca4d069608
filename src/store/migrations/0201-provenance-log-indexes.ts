/**
 * Cheaper index upkeep for the log's appends. SHA-256 keys are random, so every batch of entries
 * lands all over their index: the smaller its keys, the fewer pages a commit rewrites. The lookup
 * by SHA-256 is equality only — on PostgreSQL a hash index (no comparisons of 64-character keys
 * under the database's collation, which was half an append's time), on SQLite an index of the
 * first 16 hex digits (a quarter of the key; the query compares the whole hash after it). Release
 * paths compare bytewise on PostgreSQL (collation "C"), as they do on SQLite.
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

export const provenanceLogIndexes: StoreMigration = {
  name: '0201-provenance-log-indexes',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const { sql } = await import('kysely');
    await sql`drop index provenance_entries_sha256`.execute(db);
    if (dialect === 'postgres') {
      await sql`create index provenance_entries_sha256 on provenance_entries using hash (sha256)`.execute(db);
      await sql`alter table provenance_entries alter column path type text collate "C"`.execute(db);
    } else {
      await sql`create index provenance_entries_sha256 on provenance_entries (substr(sha256, 1, 16))`.execute(db);
    }
  },
};
