/**
 * Exact-version agreement with CPAN::Audit's query logic: for every (distribution, released version)
 * of a CPANSA JSON database, the advisory ids we report against those cpan-audit reports.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { parseRange, satisfies } from '../src/perl/index.js';

const oracle = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oracle', 'cpan-audit-query.pl');

export interface Agreement {
  points: number;
  agreed: number;
  /** disagreements explained by a deliberate difference, by reason */
  explained: Record<string, number>;
  /** disagreements nothing explains: must be zero */
  unexplained: { dist: string; version: string; ours: string; theirs: string }[];
}

export function compareWithCpanAudit(dbFile: string): Agreement {
  const out = execFileSync('perl', [oracle, dbFile], { maxBuffer: 64 * 1024 * 1024 }).toString();
  const index = new VulnerabilityIndex(loadDatabase(dbFile));
  const result: Agreement = { points: 0, agreed: 0, explained: {}, unexplained: [] };
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [dist = '', version = '', theirs = ''] = line.split('\t');
    result.points++;
    let ours: string;
    try {
      ours = [...new Set(index.advisoriesFor(dist, version).map((a) => a.id))].sort().join(',');
    } catch {
      // version.pm cannot read this listed version: cpan-audit's eval swallows the error and
      // reports nothing; we refuse to answer for it (and say so in an audit)
      ours = '';
    }
    if (ours === theirs) {
      result.agreed++;
      continue;
    }
    // cpan-audit cannot read a single '=' clause (version->parse('=1.2') dies), so such an element
    // never matches there; we read '=' as '==' (and the linter flags the spelling)
    if (withoutSingleEquals(index, dist, version) === theirs) {
      result.explained['single = read as =='] = (result.explained['single = read as =='] ?? 0) + 1;
    } else {
      result.unexplained.push({ dist, version, ours, theirs });
    }
  }
  return result;
}

/** Our answer if range elements with a single '=' clause never matched, as in cpan-audit. */
function withoutSingleEquals(index: VulnerabilityIndex, dist: string, version: string): string {
  const strip = (list: string[]) =>
    list.filter((r) => !parseRange([r]).alternatives.flat().some((c) => c.oddSpelling === 'single-equals'));
  const ids = (index.distribution(dist)?.advisories ?? []).filter((a) => {
    const affected = parseRange(strip(a.affectedVersions));
    const fixed = parseRange(strip(a.fixedVersions));
    return satisfies(affected, version) && !satisfies(fixed, version);
  });
  return [...new Set(ids.map((a) => a.id))].sort().join(',');
}
