/**
 * Conversion between the CPANSA record (the YAML report entry and the compiled JSON entry, same keys)
 * and our `Advisory`. Lenient on read — the real data is irregular, the linter reports how — and
 * exact on write, so a read/write round trip keeps every field.
 */
import type { Advisory, CvssScore, EmbeddedLibrary, Reviewer } from './advisory.js';
import { normalizeSeverity } from './severity.js';

const KNOWN = new Set([
  'id', 'distribution', 'affected_versions', 'fixed_versions', 'cves', 'github_security_advisory',
  'severity', 'cvss', 'references', 'description', 'reported', 'embedded_vulnerability',
  'external_vulnerability', 'reviewed_by', 'previous_id', 'comment', 'generated', 'cwes', 'withdrawn',
]);

type Raw = Record<string, unknown>;

const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);

/** A list field: the data has lists, single strings (older databases) and nulls. */
export function listOf(v: unknown): string[] {
  if (v === null || v === undefined || v === '') return [];
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map((x) => String(x));
  return [String(v)];
}

function cvssOf(v: unknown): CvssScore[] {
  return (Array.isArray(v) ? v : v ? [v] : []).flatMap((c): CvssScore[] => {
    if (typeof c === 'string') return [{ version: /^CVSS:(\d\.\d)/.exec(c)?.[1] ?? '3.1', vector: c }];
    if (c && typeof c === 'object' && typeof (c as Raw).vector === 'string') {
      const o = c as Raw;
      const vector = o.vector as string;
      const score = o.score === undefined || o.score === null ? undefined : Number(o.score);
      return [{ version: str(o.version) ?? /^CVSS:(\d\.\d)/.exec(vector)?.[1] ?? '3.1', vector, score }];
    }
    return [];
  });
}

export function fromCpansaRecord(raw: Raw, distribution?: string): Advisory {
  const extra: Raw = {};
  // for-in, not Object.entries: no pair allocated per key (an audit converts every advisory it reports)
  for (const k in raw) if (Object.hasOwn(raw, k) && !KNOWN.has(k)) extra[k] = raw[k];
  const severityText = str(raw.severity);
  const embedded = raw.embedded_vulnerability as Raw | null | undefined;
  const advisory: Advisory = {
    id: str(raw.id) ?? '',
    distribution: str(raw.distribution) ?? distribution ?? '',
    affectedVersions: listOf(raw.affected_versions),
    fixedVersions: listOf(raw.fixed_versions),
    cves: listOf(raw.cves),
    ghsas: listOf(raw.github_security_advisory),
    severityText,
    severity: normalizeSeverity(severityText),
    cvss: cvssOf(raw.cvss),
    references: listOf(raw.references),
    description: str(raw.description) ?? '',
    reported: str(raw.reported),
    reviewedBy: Array.isArray(raw.reviewed_by) ? (raw.reviewed_by as Reviewer[]) : [],
    previousIds: listOf(raw.previous_id),
    extra,
  };
  if (embedded && typeof embedded === 'object') {
    const { name, distributed_version, ...rest } = embedded;
    advisory.embeddedVulnerability = {
      ...rest,
      name: str(name) ?? '',
      distributedVersion: str(distributed_version),
    } as EmbeddedLibrary;
  }
  if (raw.external_vulnerability && typeof raw.external_vulnerability === 'object') {
    advisory.externalVulnerability = raw.external_vulnerability as Raw;
  }
  if (raw.comment !== undefined && raw.comment !== null) advisory.comment = String(raw.comment);
  if (raw.generated && typeof raw.generated === 'object') advisory.generated = raw.generated as Advisory['generated'];
  const cwes = listOf(raw.cwes);
  if (cwes.length) advisory.cwes = cwes;
  const w = raw.withdrawn;
  if (w && typeof w === 'object' && !Array.isArray(w)) {
    const o = w as Raw;
    advisory.withdrawn = { date: str(o.date) ?? '', reason: str(o.reason) ?? '' };
  }
  return advisory;
}

/** Our advisory as a CPANSA record, keys in the order the upstream YAML files use. */
export function toCpansaRecord(a: Advisory, options: { withDistribution?: boolean } = {}): Raw {
  const out: Raw = { affected_versions: a.affectedVersions };
  if (a.comment !== undefined) out.comment = a.comment;
  out.cves = a.cves;
  if (a.cwes?.length) out.cwes = a.cwes;
  if (a.cvss.length) out.cvss = a.cvss.map((c) => ({ version: c.version, vector: c.vector, ...(c.score !== undefined ? { score: c.score } : {}) }));
  out.description = a.description;
  if (options.withDistribution) out.distribution = a.distribution;
  if (a.embeddedVulnerability) {
    const { name, distributedVersion, ...rest } = a.embeddedVulnerability;
    out.embedded_vulnerability = { distributed_version: distributedVersion ?? null, name, ...rest };
  }
  if (a.externalVulnerability) out.external_vulnerability = a.externalVulnerability;
  out.fixed_versions = a.fixedVersions;
  if (a.generated) out.generated = a.generated;
  out.github_security_advisory = a.ghsas;
  out.id = a.id;
  if (a.previousIds.length) out.previous_id = a.previousIds;
  out.references = a.references;
  out.reported = a.reported;
  if (a.reviewedBy.length) out.reviewed_by = a.reviewedBy;
  out.severity = a.severityText;
  if (a.withdrawn) out.withdrawn = { date: a.withdrawn.date, reason: a.withdrawn.reason };
  Object.assign(out, a.extra);
  return out;
}
