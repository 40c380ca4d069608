/**
 * Each listed release of a distribution with the advisories affecting it, and the same summarised
 * as runs of consecutive releases (oldest first) that are all affected, all clean, or unreadable:
 * the distribution page shows the runs, the release list pages the releases.
 */
import type { SiteData } from './data.js';

export interface ReleaseStatus {
  version: string;
  date?: string;
  /** advisory ids affecting it, sorted; undefined when version.pm cannot read the version */
  ids?: string[];
}

export type RunKind = 'affected' | 'clean' | 'unreadable';

export interface ReleaseRun {
  kind: RunKind;
  first: ReleaseStatus;
  last: ReleaseStatus;
  count: number;
  /** advisories affecting some release of the run */
  advisories: number;
  /** fewest and most advisories affecting one release of the run */
  min: number;
  max: number;
}

/** advisory ids in a stable, readable order: by distribution and year, then number, as people count */
export const byId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

const cache = new WeakMap<SiteData, Map<string, ReleaseStatus[]>>();

/** Every listed release, oldest first, with the advisories affecting it. */
export function releaseStatuses(data: SiteData, name: string): ReleaseStatus[] {
  let byName = cache.get(data);
  if (!byName) cache.set(data, (byName = new Map()));
  let list = byName.get(name);
  if (list) return list;
  list = data.index.releasesOf(name).map((r) => {
    let ids: string[] | undefined;
    try {
      ids = [...new Set(data.index.advisoriesFor(name, r.version).map((a) => a.id))].sort(byId);
    } catch {
      ids = undefined; // a version version.pm cannot read
    }
    return { version: r.version, ...(r.date ? { date: r.date } : {}), ...(ids ? { ids } : {}) };
  });
  byName.set(name, list);
  return list;
}

const kindOf = (r: ReleaseStatus): RunKind => (r.ids === undefined ? 'unreadable' : r.ids.length ? 'affected' : 'clean');

/** The releases as runs of one kind, oldest first. */
export function releaseRuns(statuses: ReleaseStatus[]): ReleaseRun[] {
  const runs: ReleaseRun[] = [];
  let ids = new Set<string>();
  for (const r of statuses) {
    const kind = kindOf(r);
    const n = r.ids?.length ?? 0;
    const run = runs.at(-1);
    if (run && run.kind === kind) {
      run.last = r;
      run.count++;
      run.min = Math.min(run.min, n);
      run.max = Math.max(run.max, n);
    } else {
      if (run) run.advisories = ids.size;
      ids = new Set();
      runs.push({ kind, first: r, last: r, count: 1, advisories: 0, min: n, max: n });
    }
    for (const id of r.ids ?? []) ids.add(id);
  }
  if (runs.length) runs.at(-1)!.advisories = ids.size;
  return runs;
}
