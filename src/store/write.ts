/** Writes: replacing the imported database, and publishing an advisory here. Each is one transaction. */
import type { Kysely, Transaction } from 'kysely';
import type { Advisory, AdvisoryDatabase } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { diffDatabases, stableJson, type ImportResult, type ImportSource } from '../index/index.js';
import { guardImport, type ImportOptions, type KeptFromStore } from './import-guard.js';
import { readDatabase } from './read.js';
import { isPublicAdvisory } from './public.js';
import { advisoryOf, distributionRows, entriesOf, entryKey, recordText, releaseRows, type EntryRow } from './rows.js';
import type { AdvisoriesTable, StoreSchema } from './schema.js';

const CHUNK = 500;

export async function currentRevision(db: Kysely<StoreSchema>): Promise<number> {
  const row = await db.selectFrom('revisions').select((eb) => eb.fn.max('revision').as('r')).executeTakeFirst();
  return Number(row?.r ?? 0);
}

async function insertChunks<T extends keyof StoreSchema>(trx: Transaction<StoreSchema>, table: T, rows: StoreSchema[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely cannot type a table chosen at run time
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as any).execute();
  }
}

/** RFC 3339 of a date-only or date-time value, undefined when unreadable. */
function instant(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined;
  const d = new Date(/T/.test(value) ? value : `${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const earliest = (...ds: (Date | undefined)[]) => new Date(Math.min(...ds.filter((d): d is Date => !!d).map((d) => d.getTime())));

/**
 * Timestamps of an imported entry. Unchanged entries keep theirs; changed ones are modified now.
 * On the first import nothing says when the data was published, so an entry counts as published
 * when it was reported and modified when the database was built (never later than now: an
 * imported entry is public at once).
 */
function timesOf(entry: EntryRow, old: AdvisoriesTable | undefined, now: Date, initial: boolean, built: Date | undefined) {
  if (old && old.record === entry.record) return { published_at: old.published_at ?? now.toISOString(), modified_at: old.modified_at };
  if (old) return { published_at: old.published_at ?? now.toISOString(), modified_at: now.toISOString() };
  if (!initial) return { published_at: now.toISOString(), modified_at: now.toISOString() };
  const modified = earliest(built, now);
  return { published_at: earliest(instant(entry.advisory.reported), modified).toISOString(), modified_at: modified.toISOString() };
}

function conflict(e: unknown): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (code === '23505' || code.startsWith('SQLITE_BUSY') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new CpansecError('CONFLICT', 'the store changed during this write (another update ran at the same time); try again', { cause: e });
  }
  return e;
}

export interface StoreImportResult extends ImportResult {
  /** what the store kept of its own because the imported database had none (see import-guard.ts) */
  kept: KeptFromStore;
}

export async function replaceImported(
  db: Kysely<StoreSchema>,
  imported: AdvisoryDatabase,
  source: ImportSource,
  now: Date,
  options: ImportOptions = {},
): Promise<StoreImportResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const previousRevision = await currentRevision(trx);
      const stored = await readDatabase(trx, { origin: 'import' });
      // decided inside the transaction: the stored releases it keeps are the ones it replaces
      const { database: incoming, kept } = guardImport(stored.database, imported, source.location, options);
      const changes = diffDatabases(stored.database, incoming);
      // where the data was read from is not the data: the same database from another path (or a
      // directory of report files, which has no metadata of its own) is no new revision
      const { source: _from, ...incomingMeta } = incoming.meta;
      const { source: _was, ...storedMeta } = stored.database.meta;
      if (Object.keys(incomingMeta).length === 0 && previousRevision > 0) incoming.meta = { ...storedMeta, ...(_from !== undefined ? { source: _from } : {}) };
      const metaChanged = stableJson(storedMeta) !== stableJson(Object.keys(incomingMeta).length ? incomingMeta : storedMeta);
      const locals = await trx.selectFrom('advisories').select(['distribution', 'id']).where('origin', '=', 'local').execute();
      const localKeys = new Set(locals.map((l) => `${l.distribution}\u0000${l.id}`));
      const entries = entriesOf(incoming);
      const shadowedByLocal = entries
        .filter((e) => e.variant === 0 && localKeys.has(`${e.distribution}\u0000${e.id}`))
        .map((e) => ({ id: e.id, distribution: e.distribution }));
      if (changes.unchanged && !metaChanged && previousRevision > 0) {
        return { written: false, previousRevision, revision: previousRevision, changes, shadowedByLocal, kept };
      }
      const revision = previousRevision + 1;
      const initial = stored.rows.size === 0;
      const built = instant(incoming.meta.epoch) ?? instant(incoming.meta.date);
      const rows: AdvisoriesTable[] = entries.map((e) => ({
        distribution: e.distribution,
        id: e.id,
        variant: e.variant,
        position: e.position,
        origin: 'import',
        record: e.record,
        ...timesOf(e, stored.rows.get(entryKey(e.distribution, e.id, e.variant)), now, initial, built),
        withdrawn_at: null,
        revision,
      }));
      await trx.deleteFrom('advisories').where('origin', '=', 'import').execute();
      await trx.deleteFrom('releases').execute();
      await trx.deleteFrom('modules').execute();
      await trx.deleteFrom('distributions').execute();
      await insertChunks(trx, 'distributions', distributionRows(incoming));
      await insertChunks(trx, 'releases', releaseRows(incoming));
      await insertChunks(trx, 'modules', [...incoming.moduleToDistribution].map(([module, distribution]) => ({ module, distribution })));
      await insertChunks(trx, 'advisories', rows);
      const meta = JSON.stringify(incoming.meta ?? {});
      await trx.deleteFrom('settings').where('key', '=', 'database.meta').execute();
      await trx.insertInto('settings').values({ key: 'database.meta', value: meta }).execute();
      await trx
        .insertInto('revisions')
        .values({
          revision,
          at: now.toISOString(),
          kind: 'import',
          source: source.location,
          sha256: source.sha256 ?? null,
          etag: source.etag ?? null,
          summary: JSON.stringify({
            source: source.kind,
            added: changes.added.length,
            removed: changes.removed.length,
            changed: changes.changed.length,
            advisories: rows.length,
            ...(kept.releases || kept.modules ? { kept } : {}),
          }),
        })
        .execute();
      const at = now.toISOString();
      // the first import is where the history starts, not a change
      await insertChunks(trx, 'advisory_history', initial ? [] : [
        ...changes.added.map((r) => ({ revision, at, id: r.id, distribution: r.distribution, kind: 'added', detail: source.location })),
        ...changes.changed.map((r) => ({ revision, at, id: r.id, distribution: r.distribution, kind: 'changed', detail: source.location })),
        ...changes.removed.map((r) => ({ revision, at, id: r.id, distribution: r.distribution, kind: 'removed', detail: source.location })),
      ]);
      return { written: true, previousRevision, revision, changes, shadowedByLocal, kept };
    });
  } catch (e) {
    throw conflict(e);
  }
}

export async function publishLocal(
  db: Kysely<StoreSchema>,
  advisory: Advisory,
  now: Date,
  options: { publishAt?: Date; by?: string } = {},
): Promise<number> {
  if (!advisory.id || !advisory.distribution) throw new CpansecError('USAGE', 'an advisory to publish needs an id and a distribution');
  try {
    return await db.transaction().execute(async (trx) => {
      const revision = (await currentRevision(trx)) + 1;
      const existing = await trx
        .selectFrom('advisories')
        .select(['published_at', 'position'])
        .where('origin', '=', 'local')
        .where('distribution', '=', advisory.distribution)
        .where('id', '=', advisory.id)
        .executeTakeFirst();
      const last = await trx
        .selectFrom('advisories')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('origin', '=', 'local')
        .where('distribution', '=', advisory.distribution)
        .executeTakeFirst();
      const at = (options.publishAt ?? now).toISOString();
      // republishing keeps the first publication time once it was public
      const published = existing?.published_at && existing.published_at <= now.toISOString() ? existing.published_at : at;
      await trx
        .deleteFrom('advisories')
        .where('origin', '=', 'local')
        .where('distribution', '=', advisory.distribution)
        .where('id', '=', advisory.id)
        .execute();
      await trx
        .insertInto('advisories')
        .values({
          distribution: advisory.distribution,
          id: advisory.id,
          variant: 0,
          position: existing?.position ?? Number(last?.p ?? -1) + 1,
          origin: 'local',
          record: recordText(advisory),
          published_at: published,
          modified_at: now.toISOString(),
          withdrawn_at: null,
          revision,
        })
        .execute();
      await trx
        .insertInto('revisions')
        .values({
          revision,
          at: now.toISOString(),
          kind: 'publish',
          source: options.by ?? null,
          sha256: null,
          etag: null,
          summary: JSON.stringify({ id: advisory.id, distribution: advisory.distribution, published_at: published }),
        })
        .execute();
      await trx
        .insertInto('advisory_history')
        .values({ revision, at: now.toISOString(), id: advisory.id, distribution: advisory.distribution, kind: existing ? 'changed' : 'published', detail: options.by ?? null })
        .execute();
      return revision;
    });
  } catch (e) {
    throw conflict(e);
  }
}

/**
 * Withdraw a published advisory (every entry with the id): it stays public, marked withdrawn with
 * the time and the reason (OSV `withdrawn`), and is modified now. An imported entry is withdrawn
 * by a local copy that shadows it, so a later import of upstream data does not bring it back.
 */
export async function withdrawPublished(
  db: Kysely<StoreSchema>,
  id: string,
  reason: string,
  now: Date,
  options: { by?: string } = {},
): Promise<{ revision: number; advisories: Advisory[] }> {
  if (!reason.trim()) throw new CpansecError('USAGE', 'a withdrawal needs a reason (--reason)');
  try {
    return await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('advisories').selectAll().where('id', '=', id).where(isPublicAdvisory(now)).orderBy('distribution').orderBy('variant').execute();
      if (!rows.length) throw new CpansecError('NOT_FOUND', `no published advisory '${id}'`);
      const localDists = new Set(rows.filter((r) => r.origin === 'local').map((r) => r.distribution));
      const chosen = rows.filter((r) => (localDists.has(r.distribution) ? r.origin === 'local' : r.origin === 'import'));
      const revision = (await currentRevision(trx)) + 1;
      const at = now.toISOString();
      const date = at.replace(/\.\d{3}Z$/, 'Z');
      const advisories: Advisory[] = [];
      for (const row of chosen) {
        const advisory = advisoryOf(row);
        if (advisory.withdrawn) throw new CpansecError('CONFLICT', `advisory '${id}' was already withdrawn on ${advisory.withdrawn.date}`);
        advisory.withdrawn = { date, reason: reason.trim() };
        advisories.push(advisory);
        const values = { record: recordText(advisory), modified_at: at, revision };
        if (row.origin === 'local') {
          await trx
            .updateTable('advisories')
            .set(values)
            .where('origin', '=', 'local')
            .where('distribution', '=', row.distribution)
            .where('id', '=', row.id)
            .where('variant', '=', row.variant)
            .execute();
        } else {
          await trx
            .insertInto('advisories')
            .values({ ...row, ...values, origin: 'local', published_at: row.published_at ?? at, withdrawn_at: null })
            .execute();
        }
      }
      await trx
        .insertInto('revisions')
        .values({ revision, at, kind: 'withdraw', source: options.by ?? null, sha256: null, etag: null, summary: JSON.stringify({ id, reason: reason.trim() }) })
        .execute();
      const dists = [...new Set(chosen.map((r) => r.distribution))];
      await insertChunks(
        trx,
        'advisory_history',
        dists.map((distribution) => ({ revision, at, id, distribution, kind: 'withdrawn', detail: reason.trim() })),
      );
      return { revision, advisories };
    });
  } catch (e) {
    throw conflict(e);
  }
}

export interface HistoryEntry {
  revision: number;
  at: string;
  id: string;
  distribution: string;
  kind: string;
  detail: string | null;
}

/** The recorded changes of advisories (all, or one id's), oldest first. */
export async function readHistory(db: Kysely<StoreSchema>, id?: string): Promise<HistoryEntry[]> {
  let q = db.selectFrom('advisory_history').selectAll();
  if (id !== undefined) q = q.where('id', '=', id);
  return q.orderBy('revision').orderBy('distribution').execute();
}
