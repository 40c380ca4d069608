/** The outbox: mails written with the change they report, claimed by a drain with a lease. */
import type { OutboxMail, OutboxRepository } from '../../disclosure/index.js';
import { conflict, fromJson, nextPosition, toJson, type Db } from './common.js';

function columns(m: OutboxMail) {
  return { case_id: m.caseId, status: m.status, attempts: m.attempts, next_attempt_at: m.nextAttemptAt, claimed_until: m.claimedUntil, record: toJson(m) };
}

export function outboxRepository(db: Db): OutboxRepository {
  const select = () => db.selectFrom('disclosure_outbox').select('record');
  const get = async (id: string) => {
    const row = await select().where('id', '=', id).executeTakeFirst();
    return row ? fromJson<OutboxMail>(row.record) : undefined;
  };
  return {
    get,
    async insert(m) {
      if (await get(m.id)) throw conflict(`mail ${m.id} exists`);
      const position = await nextPosition(db, 'disclosure_outbox');
      await db.insertInto('disclosure_outbox').values({ id: m.id, created_at: m.createdAt, position, ...columns(m) }).execute();
    },
    async due(now, limit) {
      const at = now.toISOString();
      const rows = await select()
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
            eb.and([eb('status', '=', 'sending'), eb('claimed_until', 'is not', null), eb('claimed_until', '<=', at)]),
          ]),
        )
        .orderBy('created_at')
        .orderBy('position')
        .limit(limit)
        .execute();
      return rows.map((r) => fromJson<OutboxMail>(r.record));
    },
    async claim(id, seen, claimedUntil) {
      const m = await get(id);
      if (!m || m.attempts !== seen.attempts || m.status !== seen.status || m.claimedUntil !== seen.claimedUntil) return false;
      const next: OutboxMail = { ...m, status: 'sending', claimedUntil };
      // compare-and-set in SQL too, so that even an unserialised writer cannot claim it twice
      let q = db.updateTable('disclosure_outbox').set(columns(next)).where('id', '=', id).where('status', '=', m.status).where('attempts', '=', m.attempts);
      q = m.claimedUntil === null ? q.where('claimed_until', 'is', null) : q.where('claimed_until', '=', m.claimedUntil);
      return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
    },
    async update(m) {
      await db.updateTable('disclosure_outbox').set(columns(m)).where('id', '=', m.id).execute();
    },
    async list(f = {}) {
      let q = select();
      if (f.status) q = q.where('status', '=', f.status);
      if (f.caseId) q = q.where('case_id', '=', f.caseId);
      q = q.orderBy('created_at').orderBy('position');
      if (f.limit !== undefined) q = q.limit(f.limit);
      return (await q.execute()).map((r) => fromJson<OutboxMail>(r.record));
    },
  };
}
