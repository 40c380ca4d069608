/** Reading the stored database back: the public part for the server, the imported part for a diff. */
import type { Kysely } from 'kysely';
import type { Advisory, AdvisoryDatabase, DistributionRecord } from '../advisory/index.js';
import type { AdvisoryTimes } from '../index/index.js';
import { isPublicAdvisory } from './public.js';
import { advisoryOf, emptyDistribution, entryKey } from './rows.js';
import type { AdvisoriesTable, StoreSchema } from './schema.js';

export interface StoredDatabase {
  database: AdvisoryDatabase;
  times: Map<Advisory, AdvisoryTimes>;
  /** the rows read, by entry key */
  rows: Map<string, AdvisoriesTable>;
}

async function readMeta(db: Kysely<StoreSchema>): Promise<Record<string, unknown>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'database.meta').executeTakeFirst();
  return row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
}

/**
 * The database with either the public advisories at `now` (local ones shadowing imported entries
 * of the same distribution and id), or the imported advisories only.
 */
export async function readDatabase(db: Kysely<StoreSchema>, select: { publicAt: Date } | { origin: 'import' }): Promise<StoredDatabase> {
  const distributions = new Map<string, DistributionRecord>();
  for (const d of await db.selectFrom('distributions').selectAll().orderBy('position').execute()) {
    distributions.set(d.name, {
      name: d.name,
      ...(d.main_module !== null ? { mainModule: d.main_module } : {}),
      ...(d.meta !== null ? { meta: JSON.parse(d.meta) as Record<string, unknown> } : {}),
      releases: [],
      advisories: [],
    });
  }
  for (const r of await db.selectFrom('releases').selectAll().orderBy('distribution').orderBy('position').execute()) {
    const d = distributions.get(r.distribution);
    if (d) d.releases.push({ version: r.version, ...(r.date !== null ? { date: r.date } : {}) });
  }
  let q = db.selectFrom('advisories').selectAll();
  q = 'publicAt' in select ? q.where(isPublicAdvisory(select.publicAt)) : q.where('origin', '=', select.origin);
  const rows = await q.orderBy('origin').orderBy('distribution').orderBy('position').execute();
  const local = new Set(rows.filter((r) => r.origin === 'local').map((r) => `${r.distribution}\u0000${r.id}`));
  const times = new Map<Advisory, AdvisoryTimes>();
  const byKey = new Map<string, AdvisoriesTable>();
  for (const row of rows) {
    if (row.origin === 'import' && local.has(`${row.distribution}\u0000${row.id}`)) continue;
    let d = distributions.get(row.distribution);
    if (!d) distributions.set(row.distribution, (d = emptyDistribution(row.distribution)));
    const advisory = advisoryOf(row);
    d.advisories.push(advisory);
    times.set(advisory, { published: row.published_at ?? row.modified_at, modified: row.modified_at });
    byKey.set(entryKey(row.distribution, row.id, row.variant), row);
  }
  const moduleToDistribution = new Map<string, string>();
  // sorted here, not in SQL: collations differ between SQLite and PostgreSQL
  const modules = await db.selectFrom('modules').selectAll().execute();
  modules.sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
  for (const m of modules) moduleToDistribution.set(m.module, m.distribution);
  return { database: { meta: await readMeta(db), distributions, moduleToDistribution }, times, rows: byKey };
}
