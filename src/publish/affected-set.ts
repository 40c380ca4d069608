/**
 * The set of versions an advisory affects, as intervals of the Perl version line: the affected
 * range minus the fixed range (the index's rule), so that OSV events and CVE version entries can be
 * written from it. Bounds keep the version as written in the advisory.
 *
 * Written by hand: no library does interval arithmetic over version.pm's ordering.
 */
import type { Advisory } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { parseRange, type Clause, type PerlVersion } from '../perl/index.js';

export interface Bound {
  version: PerlVersion;
  /** the version as written in the range */
  text: string;
  inclusive: boolean;
}

/** An interval of versions; an absent bound is unbounded. */
export interface Interval {
  lower?: Bound;
  upper?: Bound;
}

const CLAUSE_VERSION = /^(?:<=|<|>=|>|==|!=|=)?\s*(\S+)$/;

function boundOf(clause: Clause, inclusive: boolean): Bound {
  return { version: clause.version, text: CLAUSE_VERSION.exec(clause.text)?.[1] ?? clause.version.original, inclusive };
}

/** The tighter of two lower bounds (the greater; exclusive beats inclusive at the same version). */
function maxLower(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a || !b) return a ?? b;
  const c = a.version.compare(b.version);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? b : a;
}

function minUpper(a: Bound | undefined, b: Bound | undefined): Bound | undefined {
  if (!a || !b) return a ?? b;
  const c = a.version.compare(b.version);
  if (c !== 0) return c < 0 ? a : b;
  return a.inclusive ? b : a;
}

function isEmpty(i: Interval): boolean {
  if (!i.lower || !i.upper) return false;
  const c = i.lower.version.compare(i.upper.version);
  return c > 0 || (c === 0 && !(i.lower.inclusive && i.upper.inclusive));
}

function intersect(a: Interval, b: Interval): Interval[] {
  const out = { lower: maxLower(a.lower, b.lower), upper: minUpper(a.upper, b.upper) };
  return isEmpty(out) ? [] : [out];
}

function clauseIntervals(c: Clause): Interval[] {
  switch (c.op) {
    case '>=':
      return [{ lower: boundOf(c, true) }];
    case '>':
      return [{ lower: boundOf(c, false) }];
    case '<':
      return [{ upper: boundOf(c, false) }];
    case '<=':
      return [{ upper: boundOf(c, true) }];
    case '==':
      return [{ lower: boundOf(c, true), upper: boundOf(c, true) }];
    case '!=':
      return [{ upper: boundOf(c, false) }, { lower: boundOf(c, false) }];
  }
}

/** A compiled range (OR of ANDs) as disjoint, sorted intervals. */
function intervalsOf(list: string[], advisory: Advisory, field: string): Interval[] {
  let range;
  try {
    range = parseRange(list);
  } catch (e) {
    throw new CpansecError('INVALID_RANGE', `advisory ${advisory.id} (${advisory.distribution}): ${field}: ${(e as Error).message}`);
  }
  const all = range.alternatives.flatMap((clauses) =>
    clauses.reduce<Interval[]>((acc, c) => acc.flatMap((i) => clauseIntervals(c).flatMap((ci) => intersect(i, ci))), [{}]),
  );
  return normalize(all);
}

function compareLower(a: Interval, b: Interval): number {
  if (!a.lower || !b.lower) return a.lower ? 1 : b.lower ? -1 : 0;
  const c = a.lower.version.compare(b.lower.version);
  if (c !== 0) return c;
  return a.lower.inclusive === b.lower.inclusive ? 0 : a.lower.inclusive ? -1 : 1;
}

/** Does `b` start inside `a` or right where it ends (so that they merge)? */
function touches(a: Interval, b: Interval): boolean {
  if (!a.upper || !b.lower) return true;
  const c = a.upper.version.compare(b.lower.version);
  return c > 0 || (c === 0 && (a.upper.inclusive || b.lower.inclusive));
}

/** Sort and merge into disjoint intervals. */
export function normalize(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => !isEmpty(i)).sort(compareLower);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && touches(last, i)) {
      last.upper = !last.upper || !i.upper ? undefined : maxUpper(last.upper, i.upper);
    } else {
      out.push({ ...i });
    }
  }
  return out;
}

function maxUpper(a: Bound, b: Bound): Bound {
  const c = a.version.compare(b.version);
  if (c !== 0) return c > 0 ? a : b;
  return a.inclusive ? a : b;
}

const flip = (b: Bound): Bound => ({ ...b, inclusive: !b.inclusive });

function subtract(i: Interval, f: Interval): Interval[] {
  const pieces: Interval[] = [];
  if (f.lower) pieces.push(...intersect(i, { upper: flip(f.lower) }));
  if (f.upper) pieces.push(...intersect(i, { lower: flip(f.upper) }));
  return pieces;
}

/** The versions an advisory affects: in `affected_versions` and not in `fixed_versions`. */
export function affectedIntervals(advisory: Advisory): Interval[] {
  let set = intervalsOf(advisory.affectedVersions, advisory, 'affected_versions');
  for (const f of intervalsOf(advisory.fixedVersions, advisory, 'fixed_versions')) {
    set = set.flatMap((i) => subtract(i, f));
  }
  return normalize(set);
}

export function contains(i: Interval, v: PerlVersion): boolean {
  if (i.lower) {
    const c = v.compare(i.lower.version);
    if (c < 0 || (c === 0 && !i.lower.inclusive)) return false;
  }
  if (i.upper) {
    const c = v.compare(i.upper.version);
    if (c > 0 || (c === 0 && !i.upper.inclusive)) return false;
  }
  return true;
}
