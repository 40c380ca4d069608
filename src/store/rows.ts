/** Between the domain's AdvisoryDatabase and the store's rows. */
import { fromCpansaRecord, toCpansaRecord, type Advisory, type AdvisoryDatabase, type DistributionRecord } from '../advisory/index.js';
import type { AdvisoriesTable, DistributionsTable, ReleasesTable } from './schema.js';

export function recordText(a: Advisory): string {
  return JSON.stringify(toCpansaRecord(a, { withDistribution: true }));
}

export function advisoryOf(row: Pick<AdvisoriesTable, 'record' | 'distribution'>): Advisory {
  return fromCpansaRecord(JSON.parse(row.record) as Record<string, unknown>, row.distribution);
}

/** The identity of an entry across imports: the data repeats ids, so the n-th repeat is `variant` n. */
export const entryKey = (distribution: string, id: string, variant: number) => `${distribution}\u0000${id}\u0000${variant}`;

export interface EntryRow {
  distribution: string;
  id: string;
  variant: number;
  position: number;
  advisory: Advisory;
  record: string;
}

export function entriesOf(db: AdvisoryDatabase): EntryRow[] {
  const out: EntryRow[] = [];
  for (const d of db.distributions.values()) {
    const seen = new Map<string, number>();
    d.advisories.forEach((advisory, position) => {
      const variant = seen.get(advisory.id) ?? 0;
      seen.set(advisory.id, variant + 1);
      // the entry belongs to the distribution it is filed under, whatever its record says
      const a = advisory.distribution === d.name ? advisory : { ...advisory, distribution: d.name };
      out.push({ distribution: d.name, id: a.id, variant, position, advisory: a, record: recordText(a) });
    });
  }
  return out;
}

export function distributionRows(db: AdvisoryDatabase): DistributionsTable[] {
  return [...db.distributions.values()].map((d, position) => ({
    name: d.name,
    position,
    main_module: d.mainModule ?? null,
    meta: d.meta && Object.keys(d.meta).length ? JSON.stringify(d.meta) : null,
  }));
}

export function releaseRows(db: AdvisoryDatabase): ReleasesTable[] {
  return [...db.distributions.values()].flatMap((d) =>
    d.releases.map((r, position) => ({ distribution: d.name, position, version: r.version, date: r.date ?? null })),
  );
}

export function emptyDistribution(name: string): DistributionRecord {
  return { name, releases: [], advisories: [] };
}
