/**
 * Statistics of the published advisories, counted by advisory id (the data repeats an id for each
 * range or distribution it affects).
 *
 * Time from report to fix: the database records no fix date, so it is measured, per distribution
 * and advisory, from the `reported` date to the date of the earliest listed release that is inside
 * the advisory's fixed range and outside its affected range. Advisories without a fixed range, a
 * report date, or such a dated release are counted apart, and so are fixes released before the
 * report (common when a CVE is assigned after the fix).
 */
import { SEVERITIES, type Severity } from '../../advisory/index.js';
import { parseRange, parseVersion, satisfies, type Range } from '../../perl/index.js';
import type { SiteData } from './data.js';

export interface Count {
  label: string;
  value: number;
}

export interface FixTimes {
  /** (distribution, advisory) pairs considered */
  pairs: number;
  measured: number;
  /** the first fixed release came out before the report date */
  fixedBeforeReport: number;
  noFixedRange: number;
  noReportDate: number;
  /** a fixed range, but no dated release in the list satisfies it */
  noFixedRelease: number;
  /** over fixes released on or after the report date */
  medianDays: number | null;
  buckets: Count[];
}

export interface Statistics {
  advisories: number;
  distributions: number;
  perYear: Count[];
  unknownYear: number;
  bySeverity: Count[];
  topDistributions: Count[];
  fixTimes: FixTimes;
}

const DAY = 86_400_000;

function compile(list: string[]): Range | undefined {
  try {
    return parseRange(list);
  } catch {
    return undefined;
  }
}

function time(date: string | undefined | null): number | undefined {
  if (!date || !/^\d{4}-\d\d-\d\d/.test(date)) return undefined;
  const t = Date.parse(/T/.test(date) ? (/[Zz]|[+-]\d\d:?\d\d$/.test(date) ? date : `${date}Z`) : `${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : t;
}

const BUCKETS: [string, number][] = [
  ['0–7 days', 7],
  ['8–30 days', 30],
  ['31–90 days', 90],
  ['91–365 days', 365],
  ['1–2 years', 730],
  ['over 2 years', Infinity],
];

function fixTimes(data: SiteData): FixTimes {
  const out: FixTimes = { pairs: 0, measured: 0, fixedBeforeReport: 0, noFixedRange: 0, noReportDate: 0, noFixedRelease: 0, medianDays: null, buckets: [] };
  const days: number[] = [];
  for (const g of data.groups) {
    for (const dist of g.distributions) {
      out.pairs++;
      const entries = g.entries.filter((e) => e.distribution === dist);
      const fixed = entries.filter((e) => e.fixedVersions.length).map((e) => [compile(e.fixedVersions), compile(e.affectedVersions)] as const);
      const reported = time(entries.map((e) => e.reported).find((r) => r));
      if (!fixed.length || fixed.some(([f, a]) => !f || !a)) {
        out.noFixedRange++;
        continue;
      }
      if (reported === undefined) {
        out.noReportDate++;
        continue;
      }
      let first: number | undefined;
      for (const r of data.index.releasesOf(dist)) {
        const t = time(r.date);
        if (t === undefined || (first !== undefined && t >= first)) continue;
        let v;
        try {
          v = parseVersion(r.version);
        } catch {
          continue;
        }
        if (fixed.some(([f, a]) => satisfies(f!, v) && !satisfies(a!, v))) first = t;
      }
      if (first === undefined) {
        out.noFixedRelease++;
        continue;
      }
      out.measured++;
      const d = Math.floor((first - reported) / DAY);
      if (d < 0) out.fixedBeforeReport++;
      else days.push(d);
    }
  }
  days.sort((a, b) => a - b);
  if (days.length) {
    const mid = Math.floor(days.length / 2);
    out.medianDays = days.length % 2 ? days[mid]! : Math.round((days[mid - 1]! + days[mid]!) / 2);
  }
  let lower = -1;
  out.buckets = BUCKETS.map(([label, upper]) => {
    const value = days.filter((d) => d > lower && d <= upper).length;
    lower = upper;
    return { label, value };
  });
  return out;
}

export function statistics(data: SiteData, top = 15): Statistics {
  const years = new Map<string, number>();
  let unknownYear = 0;
  const severities = new Map<Severity | 'not rated', number>();
  for (const g of data.groups) {
    const y = g.reported?.slice(0, 4);
    if (y && /^\d{4}$/.test(y)) years.set(y, (years.get(y) ?? 0) + 1);
    else unknownYear++;
    const s = g.severity ?? 'not rated';
    severities.set(s, (severities.get(s) ?? 0) + 1);
  }
  const ys = [...years.keys()].sort();
  const perYear: Count[] = [];
  for (let y = Number(ys[0] ?? 0); ys.length && y <= Number(ys.at(-1)); y++) perYear.push({ label: String(y), value: years.get(String(y)) ?? 0 });
  return {
    advisories: data.groups.length,
    distributions: data.distributions.length,
    perYear,
    unknownYear,
    bySeverity: [...SEVERITIES, 'not rated' as const].map((s) => ({ label: s, value: severities.get(s) ?? 0 })),
    topDistributions: data.distributions
      .map((d) => ({ label: d.name, value: d.advisories }))
      .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'en'))
      .slice(0, top),
    fixTimes: fixTimes(data),
  };
}
