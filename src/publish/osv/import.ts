/**
 * An OSV record back into advisories, one per `affected` entry of a CPAN package. A record we
 * exported gives back exactly the entries it was made from (their range strings and the rest of the
 * CPANSA fields are in `database_specific`); a record from elsewhere is read from its standard
 * fields: ranges become range strings, CVE and GHSA aliases become the two id lists.
 */
import { fromCpansaRecord, normalizeCweId, type Advisory } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import { distributionOfPurl } from '../purl.js';
import { OSV_ECOSYSTEM, type OsvAffected, type OsvRange } from './types.js';

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Range strings of OSV ranges: each introduced…fixed/last_affected/limit pair is one AND'ed element. */
function affectedFromRanges(ranges: OsvRange[] | undefined, versions: string[]): string[] {
  const out: string[] = [];
  for (const range of ranges ?? []) {
    if (range.type !== 'ECOSYSTEM') continue;
    let lower: string | undefined;
    let open = false;
    const ge = isObject(range.database_specific) && range.database_specific.introduced_exclusive === true ? '>' : '>=';
    for (const event of range.events) {
      if ('introduced' in event) {
        if (open) out.push(lower === undefined ? '>=0' : `${ge}${lower}`);
        lower = event.introduced === '0' && ge === '>=' ? undefined : event.introduced;
        open = true;
      } else if (open) {
        const upper = 'fixed' in event ? `<${event.fixed}` : 'last_affected' in event ? `<=${event.last_affected}` : `<${event.limit}`;
        out.push(lower === undefined ? upper : `${ge}${lower},${upper}`);
        open = false;
      }
    }
    if (open) out.push(lower === undefined ? '>=0' : `${ge}${lower}`);
  }
  if (out.length === 0) out.push(...versions.map((v) => `==${v}`));
  return out;
}

/** A fixed range only when it is unambiguous: one range, one `fixed` event. */
function fixedFromRanges(ranges: OsvRange[] | undefined): string[] {
  const fixed = (ranges ?? []).flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : [])));
  return (ranges ?? []).length === 1 && fixed.length === 1 ? [`>=${fixed[0]}`] : [];
}

function distributionOf(a: OsvAffected): string | undefined {
  if (a.package?.ecosystem === OSV_ECOSYSTEM && typeof a.package.name === 'string') return a.package.name;
  return a.package?.purl ? distributionOfPurl(a.package.purl) : undefined;
}

function cvssOf(record: Raw): Raw[] {
  return (Array.isArray(record.severity) ? record.severity : [])
    .filter((s): s is Raw => isObject(s) && typeof s.score === 'string' && /^CVSS_V[234]$/.test(String(s.type)))
    .map((s) => ({ version: /^CVSS:(\d\.\d)\//.exec(s.score as string)?.[1] ?? '2.0', vector: s.score }));
}

/** The advisories of one OSV record. `file` names the input in errors. */
export function fromOsv(input: unknown, file: string): Advisory[] {
  if (!isObject(input) || typeof input.id !== 'string') throw new CpansecError('PARSE_ERROR', 'not an OSV record: no id', { file });
  const record = input;
  const ds = isObject(record.database_specific) ? record.database_specific : {};
  const affected = (Array.isArray(record.affected) ? record.affected : []).filter(isObject) as unknown as OsvAffected[];
  const cpan = affected.filter((a) => distributionOf(a) !== undefined);
  if (cpan.length === 0) throw new CpansecError('PARSE_ERROR', `OSV record ${record.id} names no CPAN package`, { file });

  const aliases = strings(record.aliases);
  const previous = strings(ds.previous_id);
  const others = aliases.filter((a) => !/^(CVE|GHSA)-/.test(a) && !previous.includes(a));
  const { cpansa_id, references, reported, cvss, severity, cves, github_security_advisory, cwe_ids, cwes, withdrawn_reason, ...rest } = ds;
  const weaknesses = Array.isArray(cwes) ? cwes : strings(cwe_ids).map((c) => normalizeCweId(c)).filter((c): c is string => !!c);
  const published = typeof record.published === 'string' ? record.published.slice(0, 10) : null;
  const common: Raw = {
    ...rest,
    id: typeof cpansa_id === 'string' ? cpansa_id : record.id,
    cves: Array.isArray(cves) ? cves : aliases.filter((a) => a.startsWith('CVE-')),
    github_security_advisory: Array.isArray(github_security_advisory) ? github_security_advisory : aliases.filter((a) => a.startsWith('GHSA-')),
    description: typeof record.details === 'string' ? record.details : typeof record.summary === 'string' ? record.summary : '',
    references: Array.isArray(references)
      ? references
      : (Array.isArray(record.references) ? record.references : []).filter(isObject).map((r) => r.url),
    reported: typeof reported === 'string' ? reported : published,
    severity: severity === undefined ? null : severity,
    cvss: Array.isArray(cvss) ? cvss : cvssOf(record),
    ...(others.length ? { osv_aliases: others } : {}),
    ...(weaknesses.length ? { cwes: weaknesses } : {}),
    ...(typeof record.withdrawn === 'string' ? { withdrawn: { date: record.withdrawn, reason: typeof withdrawn_reason === 'string' ? withdrawn_reason : '' } } : {}),
  };
  return cpan.flatMap((a) => {
    const ds = isObject(a.database_specific) ? a.database_specific : {};
    const versions = strings(a.versions);
    // an entry we merged from several (osv/record.ts mergeAffected) gives each back
    const owns = Array.isArray(ds.entries) ? ds.entries.filter(isObject).slice(0, 10_000) : [ds];
    return owns.map((own) =>
      fromCpansaRecord({
        ...common,
        distribution: distributionOf(a),
        affected_versions: Array.isArray(own.affected_versions) ? own.affected_versions : affectedFromRanges(a.ranges, versions),
        fixed_versions: Array.isArray(own.fixed_versions) ? own.fixed_versions : fixedFromRanges(a.ranges),
      }),
    );
  });
}
