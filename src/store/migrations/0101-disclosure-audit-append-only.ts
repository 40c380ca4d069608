/**
 * The disclosure audit log made append-only by the database itself: UPDATE, DELETE (and on
 * PostgreSQL TRUNCATE) of `disclosure_audit` are refused by triggers, and the chain's head is kept
 * in `disclosure_audit_head`, a one-row table that the database moves forward with every insert
 * (an entry must follow the recorded head) and that only ever moves forward, one entry at a time.
 * A writer with the application's rights can then neither change nor cut the log; one who can
 * drop triggers can, and is caught by the heads kept outside the database (docs/workspace.md).
 */
import type { Kysely } from 'kysely';
import type { Dialect, StoreMigration } from './index.js';

const SQLITE = [
  `create trigger disclosure_audit_no_update before update on disclosure_audit
   begin select raise(abort, 'disclosure_audit is append-only'); end`,
  `create trigger disclosure_audit_no_delete before delete on disclosure_audit
   begin select raise(abort, 'disclosure_audit is append-only'); end`,
  `create trigger disclosure_audit_follows_head before insert on disclosure_audit
   when new.hash is null or new.seq <> coalesce((select seq from disclosure_audit_head where id = 1), 0) + 1
   begin select raise(abort, 'disclosure_audit: an entry must follow the recorded head'); end`,
  `create trigger disclosure_audit_moves_head after insert on disclosure_audit
   begin
     update disclosure_audit_head set seq = new.seq, hash = new.hash where id = 1;
     insert into disclosure_audit_head (id, seq, hash) select 1, new.seq, new.hash where not exists (select 1 from disclosure_audit_head);
   end`,
  `create trigger disclosure_audit_head_forward before update on disclosure_audit_head
   when new.id <> old.id or new.seq <> old.seq + 1
   begin select raise(abort, 'disclosure_audit_head only moves forward, one entry at a time'); end`,
  `create trigger disclosure_audit_head_no_delete before delete on disclosure_audit_head
   begin select raise(abort, 'disclosure_audit_head only moves forward, one entry at a time'); end`,
];

const POSTGRES = [
  `create function disclosure_audit_refuse() returns trigger language plpgsql as $$
   begin raise exception '% is append-only', tg_table_name; end $$`,
  `create trigger disclosure_audit_no_change before update or delete on disclosure_audit
   for each row execute function disclosure_audit_refuse()`,
  `create trigger disclosure_audit_no_truncate before truncate on disclosure_audit
   for each statement execute function disclosure_audit_refuse()`,
  `create function disclosure_audit_append() returns trigger language plpgsql as $$
   declare h integer;
   begin
     select seq into h from disclosure_audit_head where id = 1;
     if new.hash is null or new.seq <> coalesce(h, 0) + 1 then
       raise exception 'disclosure_audit: an entry must follow the recorded head';
     end if;
     update disclosure_audit_head set seq = new.seq, hash = new.hash where id = 1;
     if not found then insert into disclosure_audit_head (id, seq, hash) values (1, new.seq, new.hash); end if;
     return new;
   end $$`,
  `create trigger disclosure_audit_appended before insert on disclosure_audit
   for each row execute function disclosure_audit_append()`,
  `create function disclosure_audit_head_guard() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' or new.id <> old.id or new.seq <> old.seq + 1 then
       raise exception 'disclosure_audit_head only moves forward, one entry at a time';
     end if;
     return new;
   end $$`,
  `create trigger disclosure_audit_head_forward before update or delete on disclosure_audit_head
   for each row execute function disclosure_audit_head_guard()`,
  `create trigger disclosure_audit_head_no_truncate before truncate on disclosure_audit_head
   for each statement execute function disclosure_audit_refuse()`,
];

export const disclosureAuditAppendOnly: StoreMigration = {
  name: '0101-disclosure-audit-append-only',
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    // loaded here: the library's entry point must not load Kysely
    const { sql } = await import('kysely');
    const hashOf = dialect === 'postgres' ? sql`(record::json ->> 'hash')` : sql`json_extract(record, '$.hash')`;
    await db.schema.alterTable('disclosure_audit').addColumn('hash', 'text').execute();
    await sql`update disclosure_audit set hash = ${hashOf}`.execute(db);
    await db.schema
      .createTable('disclosure_audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into disclosure_audit_head (id, seq, hash) select 1, seq, hash from disclosure_audit order by seq desc limit 1`.execute(db);
    for (const statement of dialect === 'postgres' ? POSTGRES : SQLITE) await sql.raw(statement).execute(db);
  },
};
