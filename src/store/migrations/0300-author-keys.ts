/**
 * Author signing keys bound to PAUSE ids: an append-only table of changes (add, rotate, revoke),
 * the keys of an author being their fold. UPDATE and DELETE are refused by triggers, so the history
 * of who held which key when cannot be rewritten by the application; a key id is registered once
 * (the partial unique index), whichever author tries again.
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

const SQLITE = [
  `create trigger author_key_changes_no_update before update on author_key_changes
   begin select raise(abort, 'author_key_changes is append-only'); end`,
  `create trigger author_key_changes_no_delete before delete on author_key_changes
   begin select raise(abort, 'author_key_changes is append-only'); end`,
];

const POSTGRES = [
  `create function author_key_changes_refuse() returns trigger language plpgsql as $$
   begin raise exception '% is append-only', tg_table_name; end $$`,
  `create trigger author_key_changes_no_change before update or delete on author_key_changes
   for each row execute function author_key_changes_refuse()`,
  `create trigger author_key_changes_no_truncate before truncate on author_key_changes
   for each statement execute function author_key_changes_refuse()`,
];

export const authorKeys: StoreMigration = {
  name: '0300-author-keys',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const { sql } = await import('kysely');
    await db.schema
      .createTable('author_key_changes')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('add', 'rotate', 'revoke')`))
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text')
      .addColumn('previous_key_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('author_key_changes_author').on('author_key_changes').columns(['author', 'seq']).execute();
    await sql`create unique index author_key_changes_key_once on author_key_changes (key_id) where action <> 'revoke'`.execute(db);
    for (const statement of dialect === 'postgres' ? POSTGRES : SQLITE) await sql.raw(statement).execute(db);
  },
};
