/**
 * Which OSV records a package query matches, as osv.dev matches them: with a version, the records
 * whose ranges contain it (evaluated with version.pm semantics by the index) or, for a version
 * version.pm cannot read, the records that list it in `versions`; without a version, every record
 * of the package. Only the CPAN ecosystem has records here.
 */
import { OSV_ECOSYSTEM } from '../../publish/index.js';
import { invalidArgument } from '../http/errors.js';
import type { Snapshot } from '../snapshot.js';
import type { PackageQuery, ParsedQuery } from './query.js';
import { osvIndexOf } from './records.js';

/** osv.dev's "start" token (base64 of FIRST_PAGE_TOKEN), accepted as the first page. */
export const START_TOKEN = 'RklSU1RfUEFHRV9UT0tFTg==';
const TOKEN_PREFIX = 'cpansec:';

function pageToken(offset: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${offset}`).toString('base64');
}

function offsetOf(token: string): number {
  if (!token || token === START_TOKEN) return 0;
  const text = Buffer.from(token, 'base64').toString('utf8');
  const n = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalidArgument('invalid cursor');
  return n;
}

function packageIds(s: Snapshot, q: PackageQuery): string[] {
  if (q.ecosystem !== '' && q.ecosystem !== OSV_ECOSYSTEM) return [];
  const osv = osvIndexOf(s);
  const all = osv.byPackage.get(q.name) ?? [];
  if (!q.version || !all.length) return all;
  let affecting;
  try {
    // osv.dev compares the version as sent: ` 1.643` is no version, it is not trimmed into one
    if (q.version !== q.version.trim()) throw new Error('not a version');
    affecting = s.index.advisoriesFor(q.name, q.version);
  } catch {
    return all.filter((id) =>
      osv.records.get(id)!.record.affected?.some((a) => a.package.name === q.name && a.versions?.includes(q.version)),
    );
  }
  return [...new Set(affecting.map((a) => osv.idOf.get(a)!))].sort();
}

export interface Page {
  ids: string[];
  /** empty on the last page */
  next: string;
}

/** The matching ids from the query's page on, at most `limit` of them. */
export function matchQuery(s: Snapshot, q: ParsedQuery, limit: number): Page {
  const offset = offsetOf(q.pageToken);
  const ids = q.kind === 'package' ? packageIds(s, q) : [];
  const page = ids.slice(offset, offset + limit);
  return { ids: page, next: offset + limit < ids.length ? pageToken(offset + limit) : '' };
}
