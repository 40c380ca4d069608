/**
 * A date for an advisory without a reported date, from the release list: the first listed release
 * it affects (the flaw was out then), or, when it affects none of the listed releases, the first
 * listed release, which already has the fix. The feeds say which they used. Never the database's
 * build time: that would put old advisories at the top of every feed.
 */
import type { Advisory } from '../advisory/index.js';
import type { VulnerabilityIndex } from '../index/index.js';

export interface ReleaseDating {
  /** RFC 3339, UTC */
  date: string;
  distribution: string;
  version: string;
  /** true: the release is not affected (the first one listed, after the flaw) */
  fixed: boolean;
}

/** "2009-04-05T07:27:17" (no zone: PAUSE times are UTC) or "2009-04-05" as a time, or undefined. */
function utc(date: string | undefined): number | undefined {
  if (!date) return undefined;
  const t = Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(date) ? date : /T/.test(date) ? `${date}Z` : `${date}T00:00:00Z`);
  return Number.isFinite(t) ? t : undefined;
}

export function releaseDating(index: VulnerabilityIndex, advisories: Advisory[]): ReleaseDating | undefined {
  let best: ReleaseDating | undefined;
  let bestTime = Infinity;
  let fallback: ReleaseDating | undefined;
  let fallbackTime = Infinity;
  for (const a of advisories) {
    const affected = new Set(index.affectedReleases(a));
    for (const r of index.releasesOf(a.distribution)) {
      const t = utc(r.date);
      if (t === undefined) continue;
      const d = { date: new Date(t).toISOString(), distribution: a.distribution, version: r.version, fixed: !affected.has(r.version) };
      if (!d.fixed && t < bestTime) [best, bestTime] = [d, t];
      if (d.fixed && !affected.size && t < fallbackTime) [fallback, fallbackTime] = [d, t];
    }
  }
  return best ?? fallback;
}
