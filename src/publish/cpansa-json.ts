/**
 * The advisory database in the CPANSA JSON layout (`{meta, module2dist, dists}`), the file
 * CPAN::Audit reads and `cpansec audit --db` loads: every advisory field as the report files have
 * it, the released versions and the module map. Written one distribution a line (the bundled
 * layout), which any JSON reader reads as usual.
 */
import { toCpansaRecord } from '../advisory/index.js';
import { formatCpansaLines, type VulnerabilityIndex } from '../index/index.js';

export interface CpansaJsonOptions {
  /** only this distribution (and the modules the map gives it) */
  distribution?: string;
  /** added to `meta` (e.g. `{exported_by: 'cpansec 0.1.0'}`) */
  meta?: Record<string, unknown>;
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
      // as read (numbers stay numbers, null versions and extra keys kept), else from the model
      versions: d.releaseList ?? d.releases.map((r) => ({ version: r.version, ...(r.date ? { date: r.date } : {}) })),
    };
  }
  const module2dist: Record<string, string> = {};
  for (const [m, dist] of index.db.moduleToDistribution) if (wanted === undefined || dist === wanted) module2dist[m] = dist;
  const { source: _source, ...meta } = index.meta;
  return formatCpansaLines({ ...meta, ...options.meta }, module2dist, dists);
}
