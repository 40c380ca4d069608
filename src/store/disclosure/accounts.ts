/** Accounts and their credentials: sessions, API tokens, invitations, login attempts. */
import type {
  Account,
  AccountRepository,
  ApiToken,
  Invitation,
  InvitationRepository,
  LoginAttempt,
  LoginAttemptRepository,
  Session,
  SessionRepository,
  TokenRepository,
} from '../../disclosure/index.js';
import { conflict, fromJson, nextPosition, toJson, type Db } from './common.js';

const first = <T>(row: { record: string } | undefined): T | undefined => (row ? fromJson<T>(row.record) : undefined);

export function accountRepository(db: Db): AccountRepository {
  const select = () => db.selectFrom('disclosure_accounts').select('record');
  return {
    get: async (id) => first<Account>(await select().where('id', '=', id).executeTakeFirst()),
    getByEmailKey: async (key) => first<Account>(await select().where('email_key', '=', key).executeTakeFirst()),
    list: async () => (await select().orderBy('position').execute()).map((r) => fromJson<Account>(r.record)),
    async countByRole(role) {
      const row = await db.selectFrom('disclosure_accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', role).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async insert(a) {
      const taken = await db.selectFrom('disclosure_accounts').select(['id']).where((eb) => eb.or([eb('id', '=', a.id), eb('email_key', '=', a.emailKey)])).executeTakeFirst();
      if (taken) throw conflict(taken.id === a.id ? `account id ${a.id} exists` : `an account for ${a.email} exists`);
      const position = await nextPosition(db, 'disclosure_accounts');
      await db.insertInto('disclosure_accounts').values({ id: a.id, email_key: a.emailKey, role: a.role, position, record: toJson(a) }).execute();
    },
    async update(a) {
      const other = await db.selectFrom('disclosure_accounts').select('id').where('email_key', '=', a.emailKey).where('id', '!=', a.id).executeTakeFirst();
      if (other) throw conflict(`an account for ${a.email} exists`);
      await db.updateTable('disclosure_accounts').set({ email_key: a.emailKey, role: a.role, record: toJson(a) }).where('id', '=', a.id).execute();
    },
  };
}

export function sessionRepository(db: Db): SessionRepository {
  return {
    get: async (h) => first<Session>(await db.selectFrom('disclosure_sessions').select('record').where('id_hash', '=', h).executeTakeFirst()),
    async insert(s) {
      await db.insertInto('disclosure_sessions').values({ id_hash: s.idHash, account_id: s.accountId, record: toJson(s) }).execute();
    },
    async update(s) {
      await db.updateTable('disclosure_sessions').set({ account_id: s.accountId, record: toJson(s) }).where('id_hash', '=', s.idHash).execute();
    },
    async delete(h) {
      await db.deleteFrom('disclosure_sessions').where('id_hash', '=', h).execute();
    },
    async deleteByAccount(id) {
      await db.deleteFrom('disclosure_sessions').where('account_id', '=', id).execute();
    },
  };
}

export function tokenRepository(db: Db): TokenRepository {
  const select = () => db.selectFrom('disclosure_tokens').select('record');
  return {
    getByPrefix: async (p) => first<ApiToken>(await select().where('prefix', '=', p).executeTakeFirst()),
    get: async (id) => first<ApiToken>(await select().where('id', '=', id).executeTakeFirst()),
    listByAccount: async (id) => (await select().where('account_id', '=', id).orderBy('id').execute()).map((r) => fromJson<ApiToken>(r.record)),
    async insert(t) {
      const taken = await db.selectFrom('disclosure_tokens').select('id').where((eb) => eb.or([eb('id', '=', t.id), eb('prefix', '=', t.prefix)])).executeTakeFirst();
      if (taken) throw conflict('token prefix taken');
      await db.insertInto('disclosure_tokens').values({ id: t.id, prefix: t.prefix, account_id: t.accountId, record: toJson(t) }).execute();
    },
    async update(t) {
      await db.updateTable('disclosure_tokens').set({ account_id: t.accountId, record: toJson(t) }).where('id', '=', t.id).execute();
    },
  };
}

export function invitationRepository(db: Db): InvitationRepository {
  const select = () => db.selectFrom('disclosure_invitations').select('record');
  const all = async (q: ReturnType<typeof select>) => (await q.execute()).map((r) => fromJson<Invitation>(r.record)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const tokenTaken = async (h: string) =>
    !!(await db.selectFrom('disclosure_invitations').select('id').where('token_hash', '=', h).executeTakeFirst()) ||
    !!(await db.selectFrom('disclosure_invitation_tokens').select('token_hash').where('token_hash', '=', h).executeTakeFirst());
  return {
    get: async (id) => first<Invitation>(await select().where('id', '=', id).executeTakeFirst()),
    getByTokenHash: async (h) =>
      first<Invitation>(
        await select()
          .where((eb) => eb.or([eb('token_hash', '=', h), eb('id', 'in', db.selectFrom('disclosure_invitation_tokens').select('invitation_id').where('token_hash', '=', h))]))
          .executeTakeFirst(),
      ),
    listByCase: async (caseId) => all(select().where('case_id', '=', caseId)),
    listByEmail: async (key) => all(select().where('email_key', '=', key)),
    async insert(i) {
      if ((await db.selectFrom('disclosure_invitations').select('id').where('id', '=', i.id).executeTakeFirst()) || (await tokenTaken(i.tokenHash))) throw conflict(`invitation ${i.id} exists`);
      await db.insertInto('disclosure_invitations').values({ id: i.id, token_hash: i.tokenHash, case_id: i.caseId, email_key: i.email.toLowerCase(), record: toJson(i) }).execute();
    },
    async update(i) {
      await db.updateTable('disclosure_invitations').set({ token_hash: i.tokenHash, case_id: i.caseId, email_key: i.email.toLowerCase(), record: toJson(i) }).where('id', '=', i.id).execute();
    },
    async addToken(id, h) {
      if (await tokenTaken(h)) throw conflict('invitation token taken');
      await db.insertInto('disclosure_invitation_tokens').values({ token_hash: h, invitation_id: id }).execute();
    },
  };
}

export function loginAttemptRepository(db: Db): LoginAttemptRepository {
  return {
    async insert(a) {
      await db.insertInto('disclosure_login_attempts').values({ id: a.id ?? null, at: a.at, email_key: a.emailKey, ip: a.ip, ok: a.ok ? 1 : 0 }).execute();
    },
    async settle(id, ok) {
      if (ok === null) await db.deleteFrom('disclosure_login_attempts').where('id', '=', id).execute();
      else await db.updateTable('disclosure_login_attempts').set({ ok: ok ? 1 : 0 }).where('id', '=', id).execute();
    },
    async recent(key, since) {
      const rows = await db
        .selectFrom('disclosure_login_attempts')
        .selectAll()
        .where('at', '>', since)
        .where((eb) => eb.or([eb('email_key', '=', key.emailKey), eb('ip', '=', key.ip)]))
        .orderBy('at')
        .execute();
      return rows.map((r): LoginAttempt => ({ ...(r.id ? { id: r.id } : {}), at: r.at, emailKey: r.email_key, ip: r.ip, ok: Number(r.ok) === 1 }));
    },
    async prune(before, successesBefore = before) {
      await db.deleteFrom('disclosure_login_attempts').where('ok', '=', 0).where('at', '<', before).execute();
      await db.deleteFrom('disclosure_login_attempts').where('ok', '=', 1).where('at', '<', successesBefore).execute();
    },
  };
}
