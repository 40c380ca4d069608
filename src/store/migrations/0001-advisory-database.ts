/** The advisory database: distributions, releases, the module map, advisories, revisions, settings. */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const advisoryDatabase: StoreMigration = {
  name: '0001-advisory-database',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('distributions')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('main_module', 'text')
      .addColumn('meta', 'text')
      .execute();
    await db.schema
      .createTable('releases')
      .addColumn('distribution', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('date', 'text')
      .addPrimaryKeyConstraint('releases_pk', ['distribution', 'position'])
      .execute();
    await db.schema
      .createTable('modules')
      .addColumn('module', 'text', (c) => c.primaryKey())
      .addColumn('distribution', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('advisories')
      .addColumn('distribution', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('variant', 'integer', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addColumn('published_at', 'text')
      .addColumn('modified_at', 'text', (c) => c.notNull())
      .addColumn('withdrawn_at', 'text')
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('advisories_pk', ['origin', 'distribution', 'id', 'variant'])
      .execute();
    await db.schema.createIndex('advisories_id').on('advisories').column('id').execute();
    await db.schema
      .createTable('revisions')
      .addColumn('revision', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('source', 'text')
      .addColumn('sha256', 'text')
      .addColumn('etag', 'text')
      .addColumn('summary', 'text')
      .execute();
    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
