/**
 * Files of reports and messages (0104): the record as JSON beside the columns it is found by, and
 * the bytes themselves in the database (BLOB on SQLite, bytea on PostgreSQL), so a file is written
 * in the same transaction as its report or message and backed up with them.
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

export const disclosureAttachments: StoreMigration = {
  name: '0104-disclosure-attachments',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    await db.schema
      .createTable('disclosure_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('position', 'integer', (c) => c.notNull().unique())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disclosure_attachments_case').on('disclosure_attachments').columns(['case_id', 'position']).execute();
  },
};
