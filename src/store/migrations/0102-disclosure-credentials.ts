/**
 * What the workspace's credentials need beyond 0100: invitations found by address (to close the
 * other links to set an account's password) and with more than one token (a mailed link's token is
 * made when the mail is sent), and login attempts reserved before their password is checked (an
 * id to settle them by).
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

export const disclosureCredentials: StoreMigration = {
  name: '0102-disclosure-credentials',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const { sql } = await import('kysely');
    const emailOf = dialect === 'postgres' ? sql`lower(record::json ->> 'email')` : sql`lower(json_extract(record, '$.email'))`;
    await db.schema.alterTable('disclosure_invitations').addColumn('email_key', 'text').execute();
    await sql`update disclosure_invitations set email_key = ${emailOf}`.execute(db);
    await db.schema.createIndex('disclosure_invitations_email').on('disclosure_invitations').column('email_key').execute();
    await db.schema
      .createTable('disclosure_invitation_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('invitation_id', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disclosure_invitation_tokens_invitation').on('disclosure_invitation_tokens').column('invitation_id').execute();
    await db.schema.alterTable('disclosure_login_attempts').addColumn('id', 'text').execute();
    await db.schema.createIndex('disclosure_login_attempts_id').on('disclosure_login_attempts').column('id').unique().execute();
  },
};
