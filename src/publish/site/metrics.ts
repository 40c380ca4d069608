/**
 * The security metrics of the charter's "gathering of security-relevant statistics", beyond the
 * counts of stats.ts: advisories per year by severity, the share with no fixed release, weakness
 * classes (CWE top list), the distributions with the most open advisories, and the time from
 * report to fixed release (stats.ts). One JSON-able value: the site's section, `/stats.json` and
 * `cpansec stats` all print it. Counted once per advisory id; withdrawn advisories are left out.
 */
import { SEVERITIES } from '../../advisory/index.js';
import type { SiteData } from './data.js';
import { statistics, type Count, type FixTimes } from './stats.js';

export const METRICS_VERSION = 1;

export interface YearSeverity {
  year: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  'not rated': number;
}

export interface SecurityMetrics {
  version: number;
  /** the published revision and when it changed */
  revision: number;
  updated: string;
  advisories: number;
  withdrawn: number;
  distributions: number;
  perYearBySeverity: YearSeverity[];
  /** advisories without a report date, not in perYearBySeverity */
  unknownYear: number;
  withoutFix: { advisories: number; withoutFixedRelease: number; share: number };
  cweTop: Count[];
  /** advisories that name a CWE */
  withCwe: number;
  mostOpen: Count[];
  fixTimes: FixTimes;
}

const LEVELS = [...SEVERITIES, 'not rated'] as const;

export function securityMetrics(data: SiteData, top = 15): SecurityMetrics {
  const live = data.groups.filter((g) => !g.entries[0]!.withdrawn);
  const years = new Map<string, YearSeverity>();
  let unknownYear = 0;
  const cwes = new Map<string, number>();
  let withCwe = 0;
  const open = new Map<string, Set<string>>();
  for (const d of data.distributions) {
    open.set(d.name, new Set(data.index.unfixedAdvisories(d.name).filter((a) => !a.withdrawn).map((a) => a.id)));
  }
  let withoutFixedRelease = 0;
  for (const g of live) {
    const y = g.reported?.slice(0, 4);
    if (y && /^\d{4}$/.test(y)) {
      const row = years.get(y) ?? { year: y, critical: 0, high: 0, medium: 0, low: 0, 'not rated': 0 };
      row[g.severity ?? 'not rated']++;
      years.set(y, row);
    } else unknownYear++;
    const ids = new Set(g.entries.flatMap((e) => e.cwes ?? []));
    if (ids.size) withCwe++;
    for (const c of ids) cwes.set(c, (cwes.get(c) ?? 0) + 1);
    // no fixed release: the newest stable release of one of its distributions is still affected
    if (g.distributions.some((d) => open.get(d)?.has(g.id))) withoutFixedRelease++;
  }
  const ys = [...years.keys()].sort();
  const perYearBySeverity: YearSeverity[] = [];
  for (let y = Number(ys[0] ?? 0); ys.length && y <= Number(ys.at(-1)); y++) {
    perYearBySeverity.push(years.get(String(y)) ?? { year: String(y), critical: 0, high: 0, medium: 0, low: 0, 'not rated': 0 });
  }
  const byValue = (a: Count, b: Count) => b.value - a.value || a.label.localeCompare(b.label, 'en');
  const stats = statistics(data, top);
  return {
    version: METRICS_VERSION,
    revision: data.info.revision,
    updated: data.info.updated,
    advisories: live.length,
    withdrawn: data.groups.length - live.length,
    distributions: data.distributions.length,
    perYearBySeverity,
    unknownYear,
    withoutFix: { advisories: live.length, withoutFixedRelease, share: live.length ? Math.round((withoutFixedRelease / live.length) * 1000) / 1000 : 0 },
    cweTop: [...cwes].map(([label, value]) => ({ label, value })).sort(byValue).slice(0, top),
    withCwe,
    mostOpen: [...open].map(([label, ids]) => ({ label, value: ids.size })).filter((c) => c.value > 0).sort(byValue).slice(0, top),
    fixTimes: stats.fixTimes,
  };
}

export { LEVELS as SEVERITY_LEVELS };
