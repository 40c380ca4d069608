/**
 * The store's side of the workspace's hardening, on SQLite and PostgreSQL: the audit log is
 * append-only in the database itself (triggers), its head is recorded apart and only moves
 * forward, and a log cut or rewritten behind the triggers' back is caught against it and against
 * a head seen elsewhere; the migration keeps an existing store's log, head and invitations;
 * stored mails hold no live link; parallel logins are counted before their scrypt ends.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import {
  ANONYMOUS,
  createFirstAdmin,
  CredentialThrottle,
  fileReport,
  inviteAccount,
  login,
  postMessage,
  redeemInvitation,
  resetPassword,
  systemActor,
  verifyAudit,
  type AuditHead,
} from '../../src/disclosure/index.js';
import { chainEntry } from '../../src/disclosure/audit-log.js';
import { MIGRATIONS, Store } from '../../src/store/index.js';
import { mailedLink, reportInput } from '../disclosure/helpers.js';
import { BACKENDS, onCleanup } from './backends.js';
import { sqlDeps, type SqlDeps } from './disclosure-helpers.js';

const ADMIN = { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' };
const raw = (store: Store) => store.db as unknown as Kysely<Record<string, Record<string, unknown>>>;

async function withAdmin(deps: SqlDeps) {
  await createFirstAdmin(deps, systemActor('cli'), ADMIN);
  const r = await login(deps, { ...ADMIN, ip: '192.0.2.1' });
  assert.ok(r.ok);
  return r.actor;
}

/**
 * What someone who may drop triggers does (the database owner, not the application): the triggers
 * off, the change, the triggers back, so that nothing shows but the log itself.
 */
async function asOwner(store: Store, dialect: string, fn: (db: Kysely<Record<string, Record<string, unknown>>>) => Promise<void>): Promise<void> {
  const db = raw(store);
  if (dialect === 'postgres') {
    for (const t of ['disclosure_audit', 'disclosure_audit_head']) await sql.raw(`alter table ${t} disable trigger user`).execute(db);
    await fn(db);
    for (const t of ['disclosure_audit', 'disclosure_audit_head']) await sql.raw(`alter table ${t} enable trigger user`).execute(db);
    return;
  }
  const triggers = (await sql<{ name: string; sql: string }>`select name, sql from sqlite_master where type = 'trigger' and name like 'disclosure_audit%'`.execute(db)).rows;
  for (const t of triggers) await sql.raw(`drop trigger ${t.name}`).execute(db);
  await fn(db);
  for (const t of triggers) await sql.raw(t.sql).execute(db);
}

for (const backend of BACKENDS) {
  describe(`the hardened disclosure store on ${backend.name}`, { skip: backend.skip }, () => {
    test('the audit log cannot be changed or cut through SQL; its head is recorded apart and only moves forward', async () => {
      const deps = await sqlDeps(backend, 'append-only');
      const admin = await withAdmin(deps);
      const ref = (await fileReport(deps, ANONYMOUS, reportInput())).acknowledgement.reference;
      await postMessage(deps, admin, ref, { body: 'a note', visibility: 'internal' });
      const head = await deps.store.transaction((tx) => tx.audit.head());
      assert.deepEqual(await deps.store.transaction((tx) => tx.audit.recordedHead()), head);
      assert.equal(head!.seq, 3);

      const db = raw(deps.server);
      for (const statement of [
        sql`update disclosure_audit set record = '{}' where seq = 2`,
        sql`delete from disclosure_audit where seq = 3`,
        sql`delete from disclosure_audit`,
        sql`update disclosure_audit_head set seq = 1`,
        sql`update disclosure_audit_head set seq = seq + 2`,
        sql`delete from disclosure_audit_head`,
        sql`insert into disclosure_audit (seq, case_id, hash, record) values (9, null, ${'0'.repeat(64)}, '{}')`,
        ...(backend.name === 'postgres' ? [sql`truncate disclosure_audit`, sql`truncate disclosure_audit_head`] : []),
      ]) {
        await assert.rejects(statement.execute(db), /append-only|only moves forward|follow the recorded head/, statement.compile(db).sql);
      }
      // through the store: refused before the database is asked
      const forged = chainEntry({ at: deps.clock.now().toISOString(), actor: 'anonymous', caseId: null, action: 'forged', from: null, to: null, reason: '', data: {} }, { seq: 5, hash: head!.hash });
      await assert.rejects(deps.store.transaction((tx) => tx.audit.append(forged)), { code: 'CONFLICT' });
      assert.equal((await verifyAudit(deps, admin)).ok, true);
      assert.deepEqual(await deps.store.transaction((tx) => tx.audit.recordedHead()), head);
    });

    test('entries cut off or rewritten behind the triggers’ back are caught against the recorded head and a head from a mail', async () => {
      const deps = await sqlDeps(backend, 'cut');
      const admin = await withAdmin(deps);
      const ref = (await fileReport(deps, ANONYMOUS, reportInput())).acknowledgement.reference;
      for (let i = 0; i < 4; i++) await postMessage(deps, admin, ref, { body: `note ${i}`, visibility: 'internal' });
      const head = (await deps.store.transaction((tx) => tx.audit.head()))!;
      // the team's mail of the new report carries the head as it was then
      const teamMail = (await deps.store.transaction((tx) => tx.outbox.list({}))).find((m) => m.to === deps.config.teamAddress)!;
      const witnessed = /Audit log head: (\d+) ([0-9a-f]{64})/.exec(teamMail.body)!;
      const mailed: AuditHead = { seq: Number(witnessed[1]), hash: witnessed[2]! };
      assert.equal(mailed.seq, 2, 'after the report’s entry');
      assert.equal((await verifyAudit(deps, admin, mailed)).ok, true);

      await asOwner(deps.server, backend.name, async (db) => {
        await sql`delete from disclosure_audit where seq > 4`.execute(db);
      });
      const cut = await verifyAudit(deps, admin);
      assert.deepEqual(cut, { ok: false, seq: head.seq, problem: `the log ends at entry 4 but reached ${head.seq} before (entries cut off)` });
      await assert.rejects(postMessage(deps, admin, ref, { body: 'after the cut' }), { code: 'INTEGRITY_ERROR', message: /follow the recorded head/ }, 'nothing is written on top of a cut log');

      // rewriting the head as well: the head from the mail still catches a rewritten start
      await asOwner(deps.server, backend.name, async (db) => {
        const row = (await sql<{ record: string }>`select record from disclosure_audit where seq = 2`.execute(db)).rows[0]!;
        const e = JSON.parse(row.record);
        const rewritten = chainEntry({ ...e, reason: 'rewritten' }, { seq: 1, hash: e.prevHash });
        await sql`delete from disclosure_audit where seq >= 2`.execute(db);
        await sql`insert into disclosure_audit (seq, case_id, hash, record) values (2, ${rewritten.caseId}, ${rewritten.hash}, ${JSON.stringify(rewritten)})`.execute(db);
        await sql`update disclosure_audit_head set seq = 2, hash = ${rewritten.hash}`.execute(db);
      });
      assert.equal((await verifyAudit(deps, admin)).ok, true, 'consistent with the rewritten head');
      const v = await verifyAudit(deps, admin, mailed);
      assert.deepEqual(v, { ok: false, seq: 2, problem: 'the entry at the recorded head has another hash (the log was rewritten)' });
    });

    test('the migration keeps an existing store: the head is the last entry, invitations are found by address', async () => {
      const { options } = await backend.location();
      const before = await Store.open({ ...options, migrations: MIGRATIONS.filter((m) => m.name <= '0100-disclosure') });
      // rows as the version before wrote them: no hash column, no address column, the link in the mail
      const db = raw(before);
      const entries = [];
      for (let i = 0; i < 3; i++) {
        const e = chainEntry({ at: '2026-03-01T10:00:00.000Z', actor: 'system:cli', caseId: null, action: `old.${i}`, from: null, to: null, reason: '', data: {} }, entries.at(-1) ?? null);
        entries.push(e);
        await sql`insert into disclosure_audit (seq, case_id, record) values (${e.seq}, null, ${JSON.stringify(e)})`.execute(db);
      }
      const { newInvitation } = await import('../../src/disclosure/index.js');
      const random = { bytes: (n: number) => new Uint8Array(n).fill(3) };
      const { token, record } = newInvitation(random, 'i'.repeat(26), { kind: 'account', caseId: null, email: 'Max@Example.org', name: 'Max', role: 'member', invitedBy: 'system:cli' }, new Date(), 14);
      const { closedAt: _c, closedReason: _r, ...oldRecord } = record;
      await sql`insert into disclosure_invitations (id, token_hash, case_id, record) values (${record.id}, ${record.tokenHash}, null, ${JSON.stringify(oldRecord)})`.execute(db);
      const account = { id: 'm'.repeat(26), email: 'Max@Example.org', emailKey: 'max@example.org', name: 'Max', role: 'member', passwordHash: null, disabled: false, totp: null, createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z' };
      await sql`insert into disclosure_accounts (id, email_key, role, position, record) values (${account.id}, ${account.emailKey}, 'member', 1, ${JSON.stringify(account)})`.execute(db);
      await before.close();

      const after = await Store.open(options);
      onCleanup(() => after.close());
      const deps = await sqlDeps(backend, 'migrated', after);
      assert.deepEqual(await deps.store.transaction((tx) => tx.audit.recordedHead()), { seq: 3, hash: entries[2]!.hash });
      assert.equal((await deps.store.transaction((tx) => tx.invitations.listByEmail('max@example.org'))).length, 1);
      await redeemInvitation(deps, ANONYMOUS, token, { password: 'max keeps the triage' });
      const m = await login(deps, { email: 'max@example.org', password: 'max keeps the triage', ip: '192.0.2.2' });
      assert.ok(m.ok);
      const v = await verifyAudit(deps, m.actor);
      assert.deepEqual(v.ok && [v.count, v.checkedHeads?.[0]?.seq], [4, 4], 'the old entries, and the redemption after them, up to the recorded head');
    });

    test('stored mails hold no live link; the mailed link is a second token of the invitation', async () => {
      const deps = await sqlDeps(backend, 'links');
      const admin = await withAdmin(deps);
      const { account } = await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'admin' });
      await resetPassword(deps, admin, account.id, 'again');
      await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }));
      const rows = (await sql<{ record: string }>`select record from disclosure_outbox`.execute(raw(deps.server))).rows;
      assert.equal(rows.length, 4);
      for (const r of rows) assert.doesNotMatch(r.record, /invitations\/[0-9a-z]{20,}/);
      const token = await mailedLink(deps, 'max@cpansec.test');
      const tokens = (await sql<{ n: number }>`select count(*) as n from disclosure_invitation_tokens`.execute(raw(deps.server))).rows[0]!;
      assert.equal(Number(tokens.n), 2, 'the reset’s and the claim link’s; the closed invitation got none');
      await redeemInvitation(deps, ANONYMOUS, token, { password: 'max keeps the triage' });
      const h = 'f'.repeat(64);
      await deps.store.transaction((tx) => tx.invitations.addToken('x'.repeat(26), h));
      await assert.rejects(deps.store.transaction((tx) => tx.invitations.addToken('y'.repeat(26), h)), { code: 'CONFLICT' });
    });

    test('40 parallel wrong passwords are counted before their scrypt ends', async () => {
      const deps = { ...(await sqlDeps(backend, 'parallel')), throttle: new CredentialThrottle({ inFlightPerAccount: 100, inFlightPerAddress: 100, hashQueue: 100 }) };
      await createFirstAdmin(deps, systemActor('cli'), ADMIN);
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(deps, { email: ADMIN.email, password: `wrong guess ${i}`, ip: '198.51.100.7' })));
      const invalid = results.filter((r) => !r.ok && r.reason === 'invalid').length;
      const limited = results.filter((r) => !r.ok && r.reason === 'rate-limited').length;
      assert.deepEqual([invalid, limited], [5, 35]);
      const rows = (await sql<{ n: number }>`select count(*) as n from disclosure_login_attempts where ok = 0`.execute(raw(deps.server))).rows[0]!;
      assert.equal(Number(rows.n), 5);
    });
  });
}
