/**
 * What changed between two advisory databases: advisories added, removed and changed (compared by
 * distribution and id over every field of the CPANSA record), distributions added and removed,
 * and the counts of releases and modules. Used to report `cpansec db update`.
 */
import { toCpansaRecord, type Advisory, type AdvisoryDatabase } from '../advisory/index.js';

export interface AdvisoryRef {
  id: string;
  distribution: string;
}

export interface DatabaseChanges {
  added: AdvisoryRef[];
  removed: AdvisoryRef[];
  changed: AdvisoryRef[];
  distributionsAdded: string[];
  distributionsRemoved: string[];
  releases: { before: number; after: number };
  modules: { before: number; after: number };
  /** true when neither the advisories nor the releases nor the module map differ */
  unchanged: boolean;
}

const key = (a: Advisory) => `${a.distribution}\u0000${a.id}`;

/** The canonical text of every entry with this distribution and id (the data repeats ids). */
function groups(advisories: Iterable<Advisory>): Map<string, { ref: AdvisoryRef; text: string[] }> {
  const out = new Map<string, { ref: AdvisoryRef; text: string[] }>();
  for (const a of advisories) {
    const g = out.get(key(a)) ?? { ref: { id: a.id, distribution: a.distribution }, text: [] };
    g.text.push(canonicalAdvisory(a));
    out.set(key(a), g);
  }
  return out;
}

/** One advisory as stable JSON: the CPANSA record with sorted keys. */
export function canonicalAdvisory(a: Advisory): string {
  return stableJson(toCpansaRecord(a, { withDistribution: true }));
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function releaseText(db: AdvisoryDatabase): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of db.distributions.values()) out.set(d.name, stableJson([d.mainModule ?? null, d.releases, d.meta ?? null]));
  return out;
}

const byRef = (a: AdvisoryRef, b: AdvisoryRef) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.distribution < b.distribution ? -1 : 1);

export function diffDatabases(before: AdvisoryDatabase, after: AdvisoryDatabase): DatabaseChanges {
  const all = (db: AdvisoryDatabase) => [...db.distributions.values()].flatMap((d) => d.advisories);
  const old = groups(all(before));
  const now = groups(all(after));
  const added: AdvisoryRef[] = [];
  const removed: AdvisoryRef[] = [];
  const changed: AdvisoryRef[] = [];
  for (const [k, g] of now) {
    const o = old.get(k);
    if (!o) added.push(g.ref);
    else if (stableJson(o.text) !== stableJson(g.text)) changed.push(g.ref);
  }
  for (const [k, g] of old) if (!now.has(k)) removed.push(g.ref);
  const distributionsAdded = [...after.distributions.keys()].filter((n) => !before.distributions.has(n)).sort();
  const distributionsRemoved = [...before.distributions.keys()].filter((n) => !after.distributions.has(n)).sort();
  const count = (db: AdvisoryDatabase) => [...db.distributions.values()].reduce((n, d) => n + d.releases.length, 0);
  const oldReleases = releaseText(before);
  const newReleases = releaseText(after);
  const releasesDiffer = oldReleases.size !== newReleases.size || [...newReleases].some(([n, t]) => oldReleases.get(n) !== t);
  const modulesDiffer =
    before.moduleToDistribution.size !== after.moduleToDistribution.size ||
    [...after.moduleToDistribution].some(([m, d]) => before.moduleToDistribution.get(m) !== d);
  return {
    added: added.sort(byRef),
    removed: removed.sort(byRef),
    changed: changed.sort(byRef),
    distributionsAdded,
    distributionsRemoved,
    releases: { before: count(before), after: count(after) },
    modules: { before: before.moduleToDistribution.size, after: after.moduleToDistribution.size },
    unchanged: !added.length && !removed.length && !changed.length && !releasesDiffer && !modulesDiffer,
  };
}
