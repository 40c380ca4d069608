/**
 * A distribution's releases in ascending version order, as the index's queries walk them (the
 * remediation: the first stable release above a version that no advisory affects).
 *
 * The bundled data gives each distribution's versions sorted (data/cpansa.releases.json, written
 * when the data is bundled), so a query parses only the versions it compares: a binary search and
 * a few steps, not all 759 of Mojolicious, and never the release list with its dates (measured:
 * parsing release lists was a tenth of an `audit deps` of a lock). Otherwise the whole list is
 * parsed and sorted.
 */
import type { Release } from '../advisory/index.js';
import { parseVersion, type PerlVersion } from '../perl/index.js';

type Raw = Record<string, unknown>;

// a plain loop: DBI lists 208 releases, Mojolicious 759, and an audit converts the lists of the
// distributions it finds vulnerable (flatMap and spread cost three objects a release)
/** A CPANSA entry's `versions` as releases: a null version is a perl that shipped the module before CPAN. */
export function releasesOf(raw: unknown): Release[] {
  if (!Array.isArray(raw)) return [];
  const out: Release[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i] as unknown;
    if (typeof r !== 'object' || r === null) {
      out.push({ version: String(r) });
      continue;
    }
    const o = r as Raw;
    if (o.version === null || o.version === undefined) continue;
    out.push(o.date ? { version: String(o.version), date: String(o.date) } : { version: String(o.version) });
  }
  return out;
}

function readable(version: string): PerlVersion | undefined {
  try {
    return parseVersion(version);
  } catch {
    return undefined;
  }
}

function parsedInOrder(releases: Release[]): { i: number; v: PerlVersion }[] {
  const parsed: { i: number; v: PerlVersion }[] = [];
  releases.forEach((r, i) => {
    const v = readable(r.version);
    if (v) parsed.push({ i, v });
  });
  // a stable sort: equal versions (Authen-SASL lists 2.1700 twice) keep the list's order
  return parsed.sort((a, b) => a.v.compare(b.v));
}

/** A distribution's release versions: those version.pm reads, ascending, and the others in the list's order. */
export interface SortedVersions {
  sorted: string[];
  unreadable: string[];
}

export function sortedVersions(releases: Release[]): SortedVersions {
  const order = parsedInOrder(releases);
  const listed = new Set(order.map((p) => p.i));
  return { sorted: order.map((p) => releases[p.i]!.version), unreadable: releases.filter((_, i) => !listed.has(i)).map((r) => r.version) };
}

function isDeveloperRelease(version: string): boolean {
  return version.includes('_') || /TRIAL/i.test(version);
}

export class SortedReleases {
  private readonly parsed: (PerlVersion | undefined)[] = [];

  private constructor(
    /** the versions version.pm reads, ascending */
    private readonly texts: string[],
    /** the versions version.pm cannot read, in the list's order */
    readonly unreadable: string[],
  ) {}

  /** Parse every version and sort: a list given unsorted (versions parsed again hit parseVersion's cache). */
  static parse(releases: Release[]): SortedReleases {
    return SortedReleases.sorted(sortedVersions(releases));
  }

  /** The versions in a known order (the bundled data's, sortedVersions), each parsed when first compared. */
  static sorted(versions: SortedVersions): SortedReleases {
    return new SortedReleases(versions.sorted, versions.unreadable);
  }

  get length(): number {
    return this.texts.length;
  }

  text(i: number): string {
    return this.texts[i]!;
  }

  version(i: number): PerlVersion {
    return (this.parsed[i] ??= parseVersion(this.texts[i]!));
  }

  developer(i: number): boolean {
    return isDeveloperRelease(this.texts[i]!);
  }

  /** The index of the first release above `floor` (the length when none is). */
  firstAbove(floor: PerlVersion): number {
    let lo = 0;
    let hi = this.texts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.version(mid).compare(floor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
