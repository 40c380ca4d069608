/**
 * A distribution's releases in ascending version order, as the index's queries walk them (the
 * remediation: the first stable release above a version that no advisory affects).
 *
 * The bundled database's line table gives the order (computed when the data is bundled), so a
 * query parses only the versions it compares: a binary search and a few steps, not all 759 of
 * Mojolicious (measured: parsing the release lists was a tenth of an `audit deps` of a lock).
 * Without a table the whole list is parsed and sorted, as it always was.
 */
import type { Release } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
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

/** The indices of the releases version.pm reads, in ascending version order. */
export function releaseOrder(releases: Release[]): number[] {
  return parsedInOrder(releases).map((p) => p.i);
}

/** Is `order` a list of distinct indices into a list of `length` releases? */
export function isReleaseOrder(order: unknown, length: number): order is number[] {
  if (!Array.isArray(order) || order.length > length) return false;
  const seen = new Uint8Array(length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as unknown;
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= length || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

function isDeveloperRelease(version: string): boolean {
  return version.includes('_') || /TRIAL/i.test(version);
}

export class SortedReleases {
  private readonly versions: (PerlVersion | undefined)[];

  private constructor(
    private readonly all: Release[],
    /** indices into `all`, ascending by version */
    private readonly order: number[],
    versions?: PerlVersion[],
  ) {
    this.versions = versions ?? [];
  }

  /** Parse every version and sort: a list the line table does not order. */
  static parse(releases: Release[]): SortedReleases {
    const parsed = parsedInOrder(releases);
    return new SortedReleases(
      releases,
      parsed.map((p) => p.i),
      parsed.map((p) => p.v),
    );
  }

  /** The list in a known order (the line table's), each version parsed when first compared. */
  static ordered(releases: Release[], order: number[], distribution: string): SortedReleases {
    if (!isReleaseOrder(order, releases.length)) {
      throw new CpansecError('PARSE_ERROR', `dists.${distribution}: the line table's release order does not fit its versions: regenerate it (npm run data:bundle)`);
    }
    return new SortedReleases(releases, order);
  }

  get length(): number {
    return this.order.length;
  }

  release(i: number): Release {
    return this.all[this.order[i]!]!;
  }

  version(i: number): PerlVersion {
    return (this.versions[i] ??= parseVersion(this.release(i).version));
  }

  developer(i: number): boolean {
    return isDeveloperRelease(this.release(i).version);
  }

  /** The releases whose version version.pm cannot read (they cannot be matched against ranges). */
  unreadable(): Release[] {
    const listed = new Uint8Array(this.all.length);
    for (const i of this.order) listed[i] = 1;
    return this.all.filter((_, i) => !listed[i]);
  }

  /** The index of the first release above `floor` (the length when none is). */
  firstAbove(floor: PerlVersion): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.version(mid).compare(floor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
