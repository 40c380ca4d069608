/**
 * CVE JSON 5 `versions[]` of an advisory's affected set, `versionType: custom` (Perl versions
 * have no registered type). CVE ranges are `version <= v < lessThan` (or `<= lessThanOrEqual`), and
 * a reader takes the first entry that matches; so an exclusive lower bound (`> 1.2`) is written as
 * the range from 1.2 preceded by an entry marking 1.2 itself unaffected, which is exact.
 */
import type { Interval } from '../affected-set.js';
import type { CveVersion } from '../cna/version-phrase.js';

export function cveVersions(intervals: Interval[]): CveVersion[] {
  const out: CveVersion[] = [];
  for (const i of intervals) {
    const lower = i.lower?.text ?? '0';
    if (i.lower && !i.lower.inclusive) out.push({ version: lower, status: 'unaffected', versionType: 'custom' });
    if (i.lower && i.upper && i.lower.inclusive && i.upper.inclusive && i.lower.version.compare(i.upper.version) === 0) {
      out.push({ version: lower, status: 'affected', versionType: 'custom' });
    } else if (!i.upper) {
      out.push({ version: lower, status: 'affected', versionType: 'custom', lessThan: '*' });
    } else {
      out.push({ version: lower, status: 'affected', versionType: 'custom', ...(i.upper.inclusive ? { lessThanOrEqual: i.upper.text } : { lessThan: i.upper.text }) });
    }
  }
  const seen = new Set<string>();
  return out.filter((v) => {
    const key = JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
