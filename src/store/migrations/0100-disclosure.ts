/** The coordinated-disclosure workspace: cases, audit log, thread, contacts, accounts and credentials, outbox. */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const disclosureWorkspace: StoreMigration = {
  name: '0100-disclosure',
  async up(db: Kysely<unknown>): Promise<void> {
    const s = db.schema;
    await s
      .createTable('disclosure_cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('reference', 'text', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('distribution', 'text', (c) => c.notNull())
      .addColumn('cve', 'text', (c) => c.unique())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('disclosure_cases_created').on('disclosure_cases').columns(['created_at', 'id']).execute();
    await s.createIndex('disclosure_cases_distribution').on('disclosure_cases').column('distribution').execute();
    await s
      .createTable('disclosure_case_participants')
      .addColumn('case_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('disclosure_case_participants_pk', ['account_id', 'case_id'])
      .execute();
    await s
      .createTable('disclosure_audit')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('case_id', 'text')
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('disclosure_audit_case').on('disclosure_audit').columns(['case_id', 'seq']).execute();
    for (const table of ['disclosure_messages', 'disclosure_contacts'] as const) {
      await s
        .createTable(table)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().unique())
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await s.createIndex(`${table}_case`).on(table).columns(['case_id', 'at', 'position']).execute();
    }
    await s
      .createTable('disclosure_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email_key', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull().unique())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('disclosure_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('disclosure_sessions_account').on('disclosure_sessions').column('account_id').execute();
    await s
      .createTable('disclosure_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('prefix', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('disclosure_invitations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('case_id', 'text')
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s
      .createTable('disclosure_login_attempts')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('email_key', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('ok', 'integer', (c) => c.notNull())
      .execute();
    await s.createIndex('disclosure_login_attempts_key').on('disclosure_login_attempts').columns(['email_key', 'at']).execute();
    await s.createIndex('disclosure_login_attempts_ip').on('disclosure_login_attempts').columns(['ip', 'at']).execute();
    await s
      .createTable('disclosure_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('claimed_until', 'text')
      .addColumn('position', 'integer', (c) => c.notNull().unique())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('disclosure_outbox_due').on('disclosure_outbox').columns(['status', 'next_attempt_at']).execute();
  },
};
