/**
 * The TUF repository of the mirror: every version of every role's metadata (consistent snapshots
 * serve old versions too), the targets (release files by their CPAN path) and their bytes by
 * SHA-256. Metadata rows are only ever added.
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

export const tufRepository: StoreMigration = {
  name: '0301-tuf-repository',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const { sql } = await import('kysely');
    await db.schema
      .createTable('tuf_metadata')
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('tuf_metadata_pk', ['role', 'version'])
      .execute();
    await db.schema
      .createTable('tuf_targets')
      .addColumn('path', 'text', (c) => c.primaryKey())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('length', 'integer', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('tuf_blobs')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('bytes', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
      .execute();
    const refuse = dialect === 'postgres'
      ? [
          `create function tuf_metadata_refuse() returns trigger language plpgsql as $$ begin raise exception 'tuf_metadata is append-only'; end $$`,
          `create trigger tuf_metadata_no_change before update or delete on tuf_metadata for each row execute function tuf_metadata_refuse()`,
        ]
      : [
          `create trigger tuf_metadata_no_update before update on tuf_metadata begin select raise(abort, 'tuf_metadata is append-only'); end`,
          `create trigger tuf_metadata_no_delete before delete on tuf_metadata begin select raise(abort, 'tuf_metadata is append-only'); end`,
        ];
    for (const s of refuse) await sql.raw(s).execute(db);
  },
};
