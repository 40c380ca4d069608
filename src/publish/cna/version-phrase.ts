/**
 * The CNA tool's version ranges: the YAML spelling (`"<= 0.8.4"`, `"0.19 <= 0.201"`, `"1.05"`),
 * the CVE `versions[]` entry it becomes, and the English phrase for titles and announcements
 * ("through 0.8.4", "from 0.19 through 0.201"). A start of `0` means "from the first version".
 */

export interface CveVersion {
  version: string;
  status: 'affected' | 'unaffected' | 'unknown';
  versionType?: string;
  lessThan?: string;
  lessThanOrEqual?: string;
  changes?: { at: string; status: string }[];
}

/** One `affected` entry of the YAML as a CVE version entry. */
export function parseAffectedVersion(expr: string): CveVersion {
  const s = expr.trim();
  let m = /^(\S+)\s*(<=|<)\s*(\S+)$/.exec(s);
  if (m) {
    return { versionType: 'custom', status: 'affected', version: m[1]!, ...(m[2] === '<=' ? { lessThanOrEqual: m[3]! } : { lessThan: m[3]! }) };
  }
  m = /^(<=|<)\s*(\S+)$/.exec(s);
  if (m) return { versionType: 'custom', status: 'affected', version: '0', ...(m[1] === '<=' ? { lessThanOrEqual: m[2]! } : { lessThan: m[2]! }) };
  return { versionType: 'custom', status: 'affected', version: s };
}

const zeroStart = (v: string | undefined) => v === '0';

/** The phrase of one YAML `affected` entry. */
export function phraseOfAffected(expr: string): string {
  const s = expr.trim();
  if (!s) return '';
  const range = /^(\S+)\s*(<=|<)\s*(\S+)$/.exec(s);
  if (range) {
    const [, from, op, to] = range as unknown as [string, string, string, string];
    if (to === '*') return zeroStart(from) ? '' : `from ${from}`;
    const word = op === '<=' ? 'through' : 'before';
    return zeroStart(from) ? `${word} ${to}` : `from ${from} ${word} ${to}`;
  }
  const upper = /^(<=|<)\s*(\S+)$/.exec(s);
  if (upper) return `${upper[1] === '<=' ? 'through' : 'before'} ${upper[2]}`;
  return s;
}

/** `{{VERSION_RANGE}}`: "versions " and the phrases of the entries, or '' when there are none. */
export function versionRangeTemplate(affected: string[]): string {
  const phrases = affected.map(phraseOfAffected).filter(Boolean);
  return phrases.length ? `versions ${phrases.join(', ')}` : '';
}

/** The phrase of a CVE version entry (the announcement's `Versions:` lines). */
export function phraseOfCveVersion(v: CveVersion): string {
  if (v.versionType !== 'custom') return '';
  const from = v.version ?? '';
  const to = v.lessThanOrEqual ?? v.lessThan;
  if (to === undefined) return from;
  const word = v.lessThanOrEqual !== undefined ? 'through' : 'before';
  // the tool tests the start with Perl truth, where "0" is false: `0` to `*` reads "through *"
  const truthy = from !== '' && from !== '0';
  if (truthy && to === '*') return `from ${from}`;
  return truthy ? `from ${from} ${word} ${to}` : `${word} ${to}`;
}
