/**
 * Authors' TUF roles awaiting their signature: one prepared version per author role (the next
 * version, with new releases or after a key change), replaced while it waits and removed when the
 * signed version is published in tuf_metadata. Never served to TUF clients.
 */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const tufPending: StoreMigration = {
  name: '0302-tuf-pending',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('tuf_pending')
      .addColumn('role', 'text', (c) => c.primaryKey())
      .addColumn('json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
};
