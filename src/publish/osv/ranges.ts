/**
 * OSV `ECOSYSTEM` ranges from an advisory's affected set. Perl versions are not semver, so each
 * disjoint interval becomes its own range with one `introduced` and at most one `fixed` or
 * `last_affected` event: a consumer never has to order events of different intervals, which it
 * could not do without version.pm's rules.
 */
import { parseVersion, type PerlVersion } from '../../perl/index.js';
import type { Release } from '../../advisory/index.js';
import { contains, type Interval } from '../affected-set.js';
import type { OsvEvent, OsvRange } from './types.js';

export interface ReleasedVersion {
  version: PerlVersion;
  text: string;
}

/** The releases version.pm can read, ascending. */
export function readableReleases(releases: Release[]): ReleasedVersion[] {
  const out: ReleasedVersion[] = [];
  for (const r of releases) {
    try {
      out.push({ version: parseVersion(r.version), text: r.version });
    } catch {
      // an unreadable release cannot be placed in a range; the index leaves it out too
    }
  }
  return out.sort((a, b) => a.version.compare(b.version));
}

const ZERO = parseVersion('0');

/**
 * One range per interval. OSV's `introduced` is inclusive, so an exclusive lower bound (`> 1.2`)
 * is written as the first released version inside the interval (`> 0` as `0` when no release is numbered 0); an interval with such
 * a bound and no release inside it starts at the bound, marked `database_specific.introduced_exclusive`.
 */
export function osvRanges(intervals: Interval[], releases: ReleasedVersion[]): OsvRange[] {
  const out: OsvRange[] = [];
  for (const i of intervals) {
    let introduced: string | undefined;
    if (!i.lower) introduced = '0';
    else if (i.lower.inclusive) introduced = i.lower.text;
    // `> 0` means every version, OSV's `introduced: "0"`, unless a release numbered 0 exists
    else if (i.lower.version.compare(ZERO) === 0 && !releases.some((r) => r.version.compare(ZERO) === 0)) introduced = '0';
    else introduced = releases.find((r) => contains(i, r.version))?.text;
    // No release inside (yet): OSV has no exclusive start, so the range starts at the bound itself
    // and says so; without it a consumer would never match a future release (`> 0.24`). The bound
    // itself is not listed in `versions`, which stays exact.
    const exclusive = introduced === undefined && i.lower !== undefined;
    if (exclusive) introduced = i.lower!.text;
    const events: OsvEvent[] = [{ introduced: introduced! }];
    if (i.upper) events.push(i.upper.inclusive ? { last_affected: i.upper.text } : { fixed: i.upper.text });
    out.push({ type: 'ECOSYSTEM', events, ...(exclusive ? { database_specific: { introduced_exclusive: true } } : {}) });
  }
  return out;
}
