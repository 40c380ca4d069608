/**
 * The advisory database in the CPANSA JSON layout (`{meta, module2dist, dists}`), the file
 * CPAN::Audit reads and `cpansec audit --db` loads: every advisory field as the report files have
 * it, the released versions and the module map. Written one distribution a line (the bundled
 * layout), which any JSON reader reads as usual.
 */
import { toCpansaRecord, type Release } from '../advisory/index.js';
import { formatCpansaLines, type VulnerabilityIndex } from '../index/index.js';

export interface CpansaJsonOptions {
  /** only this distribution (and the modules the map gives it) */
  distribution?: string;
  /** added to `meta` (e.g. `{exported_by: 'cpansec 0.1.0'}`) */
  meta?: Record<string, unknown>;
}

/** Does the release list as read give exactly these releases (the versions the loader keeps, in order)? */
function sameReleases(list: unknown[] | undefined, releases: Release[]): list is unknown[] {
  if (!list) return false;
  const versions: string[] = [];
  for (const r of list) {
    if (typeof r !== 'object' || r === null) versions.push(String(r));
    else {
      const v = (r as Record<string, unknown>).version;
      if (v !== null && v !== undefined) versions.push(String(v));
    }
  }
  return versions.length === releases.length && versions.every((v, i) => v === releases[i]!.version);
}

export function toCpansaJson(index: VulnerabilityIndex, options: CpansaJsonOptions = {}): string {
  const wanted = options.distribution;
  const names = index.distributionNames().filter((n) => wanted === undefined || n === wanted).sort();
  const dists: Record<string, unknown> = {};
  for (const name of names) {
    const d = index.distribution(name)!;
    dists[name] = {
      advisories: d.advisories.map((a) => toCpansaRecord(a, { withDistribution: true })),
      main_module: d.mainModule ?? null,
      // as read (numbers stay numbers, null versions and extra keys kept) while it still says what
      // the model does (a copy whose releases were edited carries the old list), else from the model
      versions: sameReleases(d.releaseList, d.releases) ? d.releaseList : d.releases.map((r) => ({ version: r.version, ...(r.date ? { date: r.date } : {}) })),
    };
  }
  const module2dist: Record<string, string> = {};
  for (const [m, dist] of index.db.moduleToDistribution) if (wanted === undefined || dist === wanted) module2dist[m] = dist;
  const { source: _source, ...meta } = index.meta;
  return formatCpansaLines({ ...meta, ...options.meta }, module2dist, dists);
}
