/** Cases (with who is on them) and the audit log. */
import type { AuditEntry, AuditHead, AuditRepository, Case, CaseFilter, CaseRepository, LimitRepository, SecretRepository } from '../../disclosure/index.js';
import { CpansecError } from '../../errors.js';
import { conflict, fromJson, toJson, type Db } from './common.js';

const caseOf = (row: { record: string } | undefined): Case | undefined => (row ? fromJson<Case>(row.record) : undefined);

function columns(c: Case) {
  return { state: c.state, version: c.version, distribution: c.report.distribution, cve: c.cve, intake_key: c.intake?.keyHash ?? null, record: toJson(c) };
}

async function setParticipants(db: Db, c: Case): Promise<void> {
  await db.deleteFrom('disclosure_case_participants').where('case_id', '=', c.id).execute();
  // the packagers the case is shared with now are on it too (their list); a revoked share is not
  const ids = [...new Set([c.reporterAccountId, ...c.authorAccountIds, ...(c.downstream?.shares ?? []).filter((s) => s.revokedAt === null).map((s) => s.accountId)].filter((x): x is string => !!x))];
  if (ids.length) await db.insertInto('disclosure_case_participants').values(ids.map((account_id) => ({ case_id: c.id, account_id }))).execute();
}

export function caseRepository(db: Db): CaseRepository {
  const select = () => db.selectFrom('disclosure_cases').select('record');
  return {
    get: async (id) => caseOf(await select().where('id', '=', id).executeTakeFirst()),
    getByReference: async (ref) => caseOf(await select().where('reference', '=', ref).executeTakeFirst()),
    getByCve: async (cve) => caseOf(await select().where('cve', '=', cve).executeTakeFirst()),
    getByIntakeKey: async (keyHash) => caseOf(await select().where('intake_key', '=', keyHash).executeTakeFirst()),
    async list(f: CaseFilter = {}) {
      let q = select();
      if (f.states) q = f.states.length ? q.where('state', 'in', f.states) : q.where((eb) => eb.lit(false));
      if (f.distribution) q = q.where('distribution', '=', f.distribution);
      if (f.participant) {
        const p = f.participant;
        q = q.where('id', 'in', db.selectFrom('disclosure_case_participants').select('case_id').where('account_id', '=', p));
      }
      q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
      if (f.limit !== undefined) q = q.limit(f.limit);
      if (f.offset) q = (f.limit === undefined ? q.limit(Number.MAX_SAFE_INTEGER) : q).offset(f.offset);
      return (await q.execute()).map((r) => fromJson<Case>(r.record));
    },
    async insert(c) {
      const taken = await db
        .selectFrom('disclosure_cases')
        .select(['id', 'reference', 'cve'])
        .where((eb) => eb.or([eb('id', '=', c.id), eb('reference', '=', c.reference), ...(c.cve ? [eb('cve', '=', c.cve)] : [])]))
        .executeTakeFirst();
      if (taken?.id === c.id) throw conflict(`case id ${c.id} exists`);
      if (taken?.reference === c.reference) throw conflict(`case reference ${c.reference} exists`);
      if (taken) throw conflict(`${c.cve} is assigned to another case`);
      await db.insertInto('disclosure_cases').values({ id: c.id, reference: c.reference, created_at: c.createdAt, ...columns(c) }).execute();
      await setParticipants(db, c);
    },
    async update(c) {
      const old = await db.selectFrom('disclosure_cases').select(['version', 'reference']).where('id', '=', c.id).executeTakeFirst();
      if (!old) throw new CpansecError('NOT_FOUND', `no case ${c.id}`, { file: 'store' });
      if (c.version !== old.version + 1) throw conflict(`case ${c.reference} was changed by someone else (version ${old.version}, not ${c.version - 1})`);
      if (c.cve) {
        const holder = await db.selectFrom('disclosure_cases').select('id').where('cve', '=', c.cve).where('id', '!=', c.id).executeTakeFirst();
        if (holder) throw conflict(`${c.cve} is assigned to another case`);
      }
      // the version in WHERE as well: a writer that is not serialised with us still cannot overwrite
      const r = await db.updateTable('disclosure_cases').set(columns(c)).where('id', '=', c.id).where('version', '=', old.version).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw conflict(`case ${c.reference} was changed by someone else`);
      await setParticipants(db, c);
    },
  };
}

export function auditRepository(db: Db): AuditRepository {
  const head = async (): Promise<AuditHead | null> => {
    const row = await db.selectFrom('disclosure_audit').select('record').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!row) return null;
    const e = fromJson<AuditEntry>(row.record);
    return { seq: e.seq, hash: e.hash };
  };
  return {
    head,
    async recordedHead() {
      const row = await db.selectFrom('disclosure_audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    },
    async append(e) {
      const h = await head();
      if (e.seq !== (h?.seq ?? 0) + 1) throw conflict(`audit entry ${e.seq} does not follow the head`);
      // the database's triggers refuse an entry that does not follow the recorded head, and move it
      await db.insertInto('disclosure_audit').values({ seq: e.seq, case_id: e.caseId, hash: e.hash, record: toJson(e) }).execute();
    },
    async list({ caseId, afterSeq = 0, limit }) {
      let q = db.selectFrom('disclosure_audit').select('record').where('seq', '>', afterSeq);
      if (caseId !== undefined) q = q.where('case_id', '=', caseId);
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map((r) => fromJson<AuditEntry>(r.record));
    },
  };
}

export function limitRepository(db: Db): LimitRepository {
  return {
    async add(bucket, at) {
      await db.insertInto('disclosure_limit_events').values({ bucket, at }).execute();
    },
    async since(bucket, since) {
      const rows = await db.selectFrom('disclosure_limit_events').select('at').where('bucket', '=', bucket).where('at', '>', since).orderBy('at').execute();
      return rows.map((r) => r.at);
    },
    async prune(before) {
      await db.deleteFrom('disclosure_limit_events').where('at', '<', before).execute();
    },
  };
}

export function secretRepository(db: Db): SecretRepository {
  return {
    async getOrCreate(name, value) {
      await db.insertInto('disclosure_secrets').values({ name, value }).onConflict((oc) => oc.column('name').doNothing()).execute();
      return (await db.selectFrom('disclosure_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()).value;
    },
  };
}
