/**
 * An advisory as an OSV record (schema 1.7.5, ecosystem `CPAN`): ranges computed from the
 * advisory's affected and fixed ranges, the affected released versions listed explicitly, and what
 * OSV has no field for kept in `database_specific` under the CPANSA data's own key names, so that
 * `fromOsv` gives the advisory back. See docs/publish.md for the mapping and the id rule.
 */
import { isCveId, isCweId, isGhsaId, summaryOf, toCpansaRecord, type Advisory, type CvssScore } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import type { VulnerabilityIndex } from '../../index/index.js';
import { affectedIntervals, contains } from '../affected-set.js';
import { distributionPurl } from '../purl.js';
import { asUri, osvReferenceType } from '../references.js';
import { osvGroupOf, osvGroups, type OsvGroup } from './ids.js';
import { osvRanges, readableReleases } from './ranges.js';
import { OSV_ECOSYSTEM, OSV_SCHEMA_VERSION, type OsvAffected, type OsvRecord, type OsvSeverity } from './types.js';

export interface OsvOptions {
  /**
   * The record's `modified` time (RFC 3339, UTC, `Z`). Default: the time the database was
   * generated (its `meta.epoch`), the latest moment any record in it can have changed.
   */
  modified?: string;
  /** the record's `published` time; default the advisory's reported date */
  published?: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// what `advisory lint` calls an invalid id is never published as an alias
const isCve = isCveId;
const isGhsa = isGhsaId;

/** Fields the OSV record carries natively; everything else of the CPANSA entry goes to database_specific. */
const NATIVE = new Set(['id', 'distribution', 'affected_versions', 'fixed_versions', 'cves', 'github_security_advisory', 'description', 'references', 'reported', 'cvss', 'cwes', 'withdrawn']);

/** The `modified` time of records exported from this index, or undefined when the index does not say. */
export function databaseModified(index: VulnerabilityIndex): string | undefined {
  const epoch = Number(index.meta.epoch);
  if (Number.isFinite(epoch) && epoch > 0) return new Date(epoch * 1000).toISOString().replace(/\.000Z$/, 'Z');
  return undefined;
}

function modifiedOf(index: VulnerabilityIndex, options: OsvOptions): string {
  const modified = options.modified ?? databaseModified(index);
  if (!modified) {
    throw new CpansecError('USAGE', 'no modified time for the OSV records: the database has no meta.epoch, pass one (options.modified)');
  }
  if (!TIMESTAMP.test(modified)) throw new CpansecError('USAGE', `modified time '${modified}' is not an RFC 3339 UTC timestamp`);
  return modified;
}

function severityOf(cvss: CvssScore[]): OsvSeverity[] {
  return cvss.map((c) => ({
    type: c.vector.startsWith('CVSS:4') ? 'CVSS_V4' : c.vector.startsWith('CVSS:3') ? 'CVSS_V3' : 'CVSS_V2',
    score: c.vector,
  }));
}

function affectedOf(a: Advisory, index: VulnerabilityIndex): OsvAffected {
  const intervals = affectedIntervals(a);
  const releases = readableReleases(index.releasesOf(a.distribution));
  const ranges = osvRanges(intervals, releases);
  // the release lists repeat a version string when a release was uploaded twice: list it once
  const versions = [...new Set(releases.filter((r) => intervals.some((i) => contains(i, r.version))).map((r) => r.text))];
  return {
    package: { ecosystem: OSV_ECOSYSTEM, name: a.distribution, purl: distributionPurl(a.distribution) },
    ...(ranges.length ? { ranges } : {}),
    versions,
    database_specific: { affected_versions: a.affectedVersions, fixed_versions: a.fixedVersions },
  };
}

/**
 * Entries of one record that give the same package, ranges and versions (the data repeats some,
 * differing only in how the ranges are written) are one `affected` entry: OSV consumers must not
 * see a package twice. What differed is kept in one place, `database_specific.entries`, each
 * entry's range strings as written, so that the import gives every entry back.
 */
export function mergeAffected(entries: OsvAffected[]): OsvAffected[] {
  const byKey = new Map<string, OsvAffected[]>();
  for (const e of entries) {
    const key = JSON.stringify([e.package, e.ranges ?? [], e.versions ?? []]);
    const list = byKey.get(key);
    if (list) list.push(e);
    else byKey.set(key, [e]);
  }
  return [...byKey.values()].map((list) => {
    if (list.length === 1) return list[0]!;
    const { database_specific: _ds, ...first } = list[0]!;
    return { ...first, database_specific: { entries: list.map((e) => e.database_specific ?? {}) } };
  });
}

function databaseSpecific(group: OsvGroup, lead: Advisory): Record<string, unknown> {
  const raw = toCpansaRecord(lead);
  const out: Record<string, unknown> = {};
  if (group.id !== group.cpansaId) out.cpansa_id = group.cpansaId;
  for (const [k, v] of Object.entries(raw)) {
    if (NATIVE.has(k) || v === undefined) continue;
    if (k === 'severity' && v === null) continue;
    out[k] = v;
  }
  if (lead.reported !== null && !DATE.test(lead.reported)) out.reported = lead.reported;
  // ids that are not CVE or GHSA ids (the data has a few made-up ones) are not aliases
  if (!lead.cves.every(isCve)) out.cves = lead.cves;
  if (!lead.ghsas.every(isGhsa)) out.github_security_advisory = lead.ghsas;
  // a reference that is not a valid URI is published percent-encoded; keep the list as written
  if (lead.references.some((u) => asUri(u) !== u)) out.references = lead.references;
  // OSV carries the vector only; keep the list when it says more (a score, an odd version)
  if (lead.cvss.some((c) => c.score !== undefined || !c.vector.startsWith(`CVSS:${c.version}/`))) out.cvss = raw.cvss;
  // GHSA's OSV records carry weakness classes here, under this name
  if (lead.cwes?.length) {
    out.cwe_ids = lead.cwes.filter(isCweId);
    if (!lead.cwes.every(isCweId)) out.cwes = lead.cwes;
  }
  if (lead.withdrawn) out.withdrawn_reason = lead.withdrawn.reason;
  return out;
}

/** The OSV record of one group of entries (see ids.ts). */
export function osvRecordOfGroup(group: OsvGroup, index: VulnerabilityIndex, modified: string, published?: string): OsvRecord {
  const lead = group.advisories[0]!;
  const aliases = [...new Set([...lead.cves.filter(isCve), ...lead.ghsas.filter(isGhsa), ...lead.previousIds])];
  const references = [...new Set(lead.references)];
  const dbSpecific = databaseSpecific(group, lead);
  const summary = summaryOf(lead);
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: group.id,
    modified,
    ...(lead.withdrawn ? { withdrawn: lead.withdrawn.date } : {}),
    ...(published ? { published } : lead.reported && DATE.test(lead.reported) ? { published: `${lead.reported}T00:00:00Z` } : {}),
    ...(aliases.length ? { aliases } : {}),
    ...(summary ? { summary } : {}),
    ...(lead.description ? { details: lead.description } : {}),
    ...(lead.cvss.length ? { severity: severityOf(lead.cvss) } : {}),
    affected: mergeAffected(group.advisories.map((a) => affectedOf(a, index))),
    ...(references.length ? { references: references.map((url) => ({ type: osvReferenceType(url), url: asUri(url) })) } : {}),
    ...(Object.keys(dbSpecific).length ? { database_specific: dbSpecific } : {}),
  };
}

/**
 * The OSV record of an advisory. Entries of the index that share its id and text (one per range of
 * releases, in the generated reports) are part of the same record, as further `affected` entries.
 */
export function toOsv(advisory: Advisory, index: VulnerabilityIndex, options: OsvOptions = {}): OsvRecord {
  if (options.published !== undefined && !TIMESTAMP.test(options.published)) {
    throw new CpansecError('USAGE', `published time '${options.published}' is not an RFC 3339 UTC timestamp`);
  }
  return osvRecordOfGroup(osvGroupOf(advisory, index), index, modifiedOf(index, options), options.published);
}

/** Every OSV record of the index (or of one distribution's advisories), sorted by id. */
export function osvRecords(index: VulnerabilityIndex, options: OsvOptions & { distribution?: string } = {}): OsvRecord[] {
  const modified = modifiedOf(index, options);
  const groups = osvGroups(index.allAdvisories());
  const wanted = options.distribution;
  return groups
    .filter((g) => wanted === undefined || g.advisories.some((a) => a.distribution === wanted))
    .map((g) => osvRecordOfGroup(g, index, modified));
}
