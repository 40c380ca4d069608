/**
 * What many servers on one database share beyond 0100–0102: the idempotency key a case was filed
 * with (a retried or refreshed report files nothing new, whichever server gets it), the events of
 * the sliding-window limits (reports per address, password-reset requests), and server secrets
 * (the key that signs pre-session CSRF tokens), so that every process agrees on them.
 */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const disclosureShared: StoreMigration = {
  name: '0103-disclosure-shared',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('disclosure_cases').addColumn('intake_key', 'text').execute();
    await db.schema.createIndex('disclosure_cases_intake_key').on('disclosure_cases').column('intake_key').unique().execute();
    await db.schema
      .createTable('disclosure_limit_events')
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disclosure_limit_events_bucket').on('disclosure_limit_events').columns(['bucket', 'at']).execute();
    await db.schema.createIndex('disclosure_limit_events_at').on('disclosure_limit_events').column('at').execute();
    await db.schema
      .createTable('disclosure_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
};
