/**
 * Whether some version — any version, listed or not — lies in every one of a set of ranges and in
 * none of another: how a requirement is checked against an advisory when the database lists no
 * releases to try.
 *
 * Each clause compares with one version, so the answer can only change at the versions the ranges
 * name: trying each of them, one version strictly between each two neighbours, one below the lowest
 * and one above the highest decides it.
 */
import { satisfies, type Range } from './range.js';
import { PerlVersion } from './version.js';

/** A version strictly between a < b: a padded with zeros to b's length, then one more part of 1. */
function between(a: PerlVersion, b: PerlVersion): PerlVersion {
  const parts = [...a.parts];
  while (parts.length < Math.max(a.parts.length, b.parts.length)) parts.push(0);
  parts.push(1);
  return new PerlVersion(parts, `v${parts.join('.')}`, true, false);
}

function above(v: PerlVersion): PerlVersion {
  const parts = [(v.parts[0] ?? 0) + 1];
  return new PerlVersion(parts, `v${parts[0]}`, true, false);
}

/** The versions at which the truth of the ranges' clauses can change, and one inside each gap. */
function witnesses(ranges: Range[]): PerlVersion[] {
  const named = ranges.flatMap((r) => r.alternatives.flat().map((c) => c.version));
  named.push(new PerlVersion([0], '0', false, false));
  named.sort((a, b) => a.compare(b));
  const points = named.filter((v, i) => i === 0 || v.compare(named[i - 1]!) !== 0);
  const out: PerlVersion[] = [];
  points.forEach((v, i) => {
    out.push(v);
    const next = points[i + 1];
    out.push(next ? between(v, next) : above(v));
  });
  return out;
}

/** Is there a version inside every range of `all` and inside no range of `none`? */
export function someVersionSatisfies(all: Range[], none: Range[] = []): boolean {
  return witnesses([...all, ...none]).some((v) => all.every((r) => satisfies(r, v)) && !none.some((r) => satisfies(r, v)));
}
