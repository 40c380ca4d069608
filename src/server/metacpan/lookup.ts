/**
 * Answers for MetaCPAN and other sites: for a release (author, distribution, version) or a module
 * and version, the advisories that affect it and the release to upgrade to (remediation.ts); for
 * a distribution, all its advisories. Pure: from a snapshot to a JSON-ready object.
 */
import { aliasesOf, summaryOf, type Advisory } from '../../advisory/index.js';
import { cpanPurl, parseVersion } from '../../perl/index.js';
import { advisoryPath, severityOf } from '../../publish/site/index.js';
import { invalidArgument } from '../http/errors.js';
import { osvIndexOf } from '../osv/records.js';
import type { Snapshot } from '../snapshot.js';
import { remediationOf } from './remediation.js';

export interface ReleaseQuery {
  distribution: string;
  version: string;
  author?: string;
  /** the module the caller asked about, when it asked by module */
  module?: string;
}

function advisoryJson(s: Snapshot, a: Advisory, baseUrl: string) {
  const osvId = osvIndexOf(s).idOf.get(a) ?? a.id;
  return {
    id: a.id,
    osv_id: osvId,
    aliases: aliasesOf(a),
    summary: summaryOf(a),
    severity: severityOf(a),
    cvss: a.cvss.map((c) => ({ version: c.version, vector: c.vector, ...(c.score !== undefined ? { score: c.score } : {}) })),
    affected_versions: a.affectedVersions,
    fixed_versions: a.fixedVersions,
    reported: a.reported,
    references: a.references,
    url: `${baseUrl}${advisoryPath(a.id)}`,
    osv_url: `${baseUrl}/v1/vulns/${encodeURIComponent(osvId)}`,
  };
}

function database(s: Snapshot) {
  return { revision: s.revision, updated: s.updated };
}

/** The release's purl in the form the cpan type prefers for new identifiers: the author as a qualifier. */
function purlOf(distribution: string, version?: string, author?: string): string | null {
  try {
    return cpanPurl({ name: distribution, ...(version !== undefined ? { version } : {}), ...(author ? { author } : {}) });
  } catch {
    return null;
  }
}

function checkAuthor(author: string | undefined): string | undefined {
  if (author === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(author)) throw invalidArgument(`invalid CPAN author id: ${author}`);
  return author.toUpperCase();
}

export function releaseAdvisories(s: Snapshot, q: ReleaseQuery, baseUrl: string) {
  try {
    parseVersion(q.version);
  } catch (e) {
    throw invalidArgument(`invalid version '${q.version}': ${(e as Error).message}`);
  }
  const author = checkAuthor(q.author);
  const known = s.index.hasDistribution(q.distribution);
  const affecting = known ? s.index.advisoriesFor(q.distribution, q.version) : [];
  const unique = [...new Map(affecting.map((a) => [osvIndexOf(s).idOf.get(a) ?? a.id, a])).values()];
  const remediation = remediationOf(s.index, q.distribution, q.version, affecting);
  return {
    distribution: q.distribution,
    version: q.version,
    ...(author ? { author } : {}),
    ...(q.module ? { module: q.module } : {}),
    purl: purlOf(q.distribution, q.version, author),
    known,
    vulnerable: unique.length > 0,
    advisories: unique.map((a) => advisoryJson(s, a, baseUrl)),
    lowest_fixed_version: remediation.lowestFixedVersion,
    unfixed: remediation.unfixed,
    database: database(s),
  };
}

export function moduleAdvisories(s: Snapshot, module: string, version: string, baseUrl: string) {
  const distribution = s.index.distributionOfModule(module);
  if (!distribution) {
    return { module, version, distribution: null, known: false, vulnerable: false, advisories: [], lowest_fixed_version: null, unfixed: [], database: database(s) };
  }
  return releaseAdvisories(s, { distribution, version, module }, baseUrl);
}

export function distributionAdvisories(s: Snapshot, distribution: string, baseUrl: string) {
  const record = s.index.distribution(distribution);
  const advisories = record?.advisories ?? [];
  const stable = record?.releases.filter((r) => !/_|TRIAL/i.test(r.version)) ?? [];
  return {
    distribution,
    purl: purlOf(distribution),
    known: !!record,
    main_module: record?.mainModule ?? null,
    advisories: advisories.map((a) => ({ ...advisoryJson(s, a, baseUrl), affected_releases: s.index.affectedReleases(a) })),
    unfixed: [...new Set(s.index.unfixedAdvisories(distribution).map((a) => a.id))],
    latest_release: stable.at(-1)?.version ?? null,
    lowest_unaffected_release: record ? (s.index.lowestUnaffectedRelease(distribution) ?? null) : null,
    database: database(s),
  };
}
