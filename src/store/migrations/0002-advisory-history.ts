/** What changed, when, per advisory id: the history the site shows and `withdraw` adds to. */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const advisoryHistory: StoreMigration = {
  name: '0002-advisory-history',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('advisory_history')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('distribution', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('advisory_history_id').on('advisory_history').columns(['id', 'revision']).execute();
  },
};
