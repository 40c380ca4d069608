/**
 * What the site shows, computed once per published revision from the vulnerability index: the
 * advisories grouped by id (the data repeats an id for each affected range or distribution), in
 * publication order, and per-distribution summaries.
 */
import { aliasesOf, severityOfScore, summaryOf, type Advisory, type Severity } from '../../advisory/index.js';
import type { AdvisoryTimes, VulnerabilityIndex } from '../../index/index.js';

export interface SiteInfo {
  title: string;
  /** absolute base URL of the site, no trailing slash */
  baseUrl: string;
  revision: number;
  /** RFC 3339 */
  updated: string;
}

export interface AdvisoryGroup {
  id: string;
  entries: Advisory[];
  distributions: string[];
  aliases: string[];
  severity: Severity | null;
  summary: string;
  reported: string | null;
  published: string | null;
  modified: string | null;
}

/** One recorded change of an advisory (the store's history): when, what, in which distribution. */
export interface AdvisoryChange {
  at: string;
  /** added | changed | removed | published | withdrawn */
  kind: string;
  distribution: string;
  detail: string | null;
}

export interface DistributionSummary {
  name: string;
  advisories: number;
  /** advisories that still affect the newest stable release */
  unfixed: number;
  latest: string | null;
}

export const advisoryPath = (id: string) => `/advisories/${encodeURIComponent(id)}`;
export const distributionPath = (name: string) => `/distributions/${encodeURIComponent(name)}`;

export function severityOf(a: Advisory): Severity | null {
  if (a.severity) return a.severity;
  const scores = a.cvss.map((c) => c.score).filter((s): s is number => typeof s === 'number');
  return scores.length ? severityOfScore(Math.max(...scores)) : null;
}

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/**
 * Newest report first, undated last: the pages show the reported date, and an undated advisory has
 * none to show (the feeds, which must date every entry, date it by its record's modified time).
 */
function newestFirst(a: AdvisoryGroup, b: AdvisoryGroup): number {
  const ka = a.reported ?? '';
  const kb = b.reported ?? '';
  if (ka !== kb) return ka < kb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class SiteData {
  private groupsCache?: AdvisoryGroup[];
  private byId?: Map<string, AdvisoryGroup>;
  private distributionsCache?: DistributionSummary[];
  private unfixedCache?: Set<string>;

  constructor(
    readonly index: VulnerabilityIndex,
    readonly info: SiteInfo,
    readonly times?: Map<Advisory, AdvisoryTimes>,
    /** by advisory id, oldest first */
    readonly history?: Map<string, AdvisoryChange[]>,
  ) {}

  /** Every advisory id, newest report first. */
  get groups(): AdvisoryGroup[] {
    if (this.groupsCache) return this.groupsCache;
    const byId = new Map<string, Advisory[]>();
    for (const a of this.index.allAdvisories()) {
      const list = byId.get(a.id) ?? [];
      list.push(a);
      byId.set(a.id, list);
    }
    this.groupsCache = [...byId].map(([id, entries]) => this.group0(id, entries)).sort(newestFirst);
    this.byId = new Map(this.groupsCache.map((g) => [g.id, g]));
    return this.groupsCache;
  }

  private group0(id: string, entries: Advisory[]): AdvisoryGroup {
    const first = entries[0]!;
    const severities = entries.map(severityOf).filter((s): s is Severity => !!s);
    const times = entries.map((e) => this.times?.get(e)).filter((t): t is AdvisoryTimes => !!t);
    const min = (xs: string[]) => (xs.length ? xs.reduce((a, b) => (a < b ? a : b)) : null);
    const max = (xs: string[]) => (xs.length ? xs.reduce((a, b) => (a > b ? a : b)) : null);
    return {
      id,
      entries,
      distributions: [...new Set(entries.map((e) => e.distribution))],
      aliases: [...new Set(entries.flatMap(aliasesOf))],
      severity: severities.sort((a, b) => RANK[b]! - RANK[a]!)[0] ?? null,
      summary: summaryOf(first),
      reported: min(entries.map((e) => e.reported).filter((r): r is string => !!r)),
      published: min(times.map((t) => t.published)),
      modified: max(times.map((t) => t.modified)),
    };
  }

  group(id: string): AdvisoryGroup | undefined {
    if (!this.byId) void this.groups;
    return this.byId!.get(id);
  }

  get distributions(): DistributionSummary[] {
    this.distributionsCache ??= this.index
      .distributionNames()
      .map((name) => {
        const d = this.index.distribution(name)!;
        const stable = d.releases.filter((r) => !/_|TRIAL/i.test(r.version));
        return {
          name,
          advisories: new Set(d.advisories.map((a) => a.id)).size,
          unfixed: new Set(this.index.unfixedAdvisories(name).map((a) => a.id)).size,
          latest: stable.at(-1)?.version ?? null,
        };
      })
      .filter((d) => d.advisories > 0)
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
    return this.distributionsCache;
  }

  /** Ids of the advisories that still affect the newest listed stable release of a distribution. */
  get unfixedIds(): Set<string> {
    this.unfixedCache ??= new Set(this.index.distributionNames().flatMap((n) => this.index.unfixedAdvisories(n).map((a) => a.id)));
    return this.unfixedCache;
  }

  /** Groups affecting one distribution, newest first. */
  groupsOf(distribution: string): AdvisoryGroup[] {
    const ids = new Set(this.index.distribution(distribution)?.advisories.map((a) => a.id) ?? []);
    return this.groups.filter((g) => ids.has(g.id));
  }
}
