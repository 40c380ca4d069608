/**
 * An advisory as a CVE JSON 5 CNA container: what a CNA submits to CVE Services for a CVE id
 * (`{"cnaContainer": …}`), with CVE Record Format 5.2.0's `packageURL`, the advisory's CWE ids as
 * `problemTypes` and its CVSS vectors as `metrics`. What the advisory cannot give is not invented:
 * no vendor (the data does not know the CPAN author); a field the schema requires that the
 * advisory lacks is an error naming the field.
 */
import cvssLibrary from 'ae-cvss-calculator';
import { isCveId, isCweId, summaryOf, type Advisory, type CvssScore } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import type { VulnerabilityIndex } from '../../index/index.js';
import { affectedIntervals, normalize } from '../affected-set.js';
import { osvGroupOf, type OsvGroup } from '../osv/ids.js';
import { distributionPurl } from '../purl.js';
import { asUri, cveReferenceTags } from '../references.js';
import { cveVersions } from './versions.js';

export interface CveExportOptions {
  orgId?: string;
  /** `x_generator.engine`; default "cpansec" */
  generator?: string;
  /** name the input in errors (a file, or the advisory id) */
  source?: string;
}

type Json = Record<string, unknown>;

/** CPANSec's organisation id at CVE Services (its published records carry it). */
export const CPANSEC_ORG_ID = '9b29abf9-4ab0-4765-b253-1875cd9b441e';
/** CVE Record Format 5.2.0 adds `packageURL`, which we write. */
export const CVE_DATA_VERSION = '5.2.0';

const MAX_REFERENCES = 512;

function metricOf(c: CvssScore): Json | undefined {
  const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLibrary;
  const version = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(c.vector)?.[1];
  if (!version) return undefined;
  const calc = version === '4.0' ? new Cvss4P0(c.vector) : version === '3.1' ? new Cvss3P1(c.vector) : new Cvss3P0(c.vector);
  const scores = calc.calculateScores() as unknown as { base?: number };
  const baseScore = c.score ?? scores.base;
  if (baseScore === undefined) return undefined;
  const baseSeverity = baseScore >= 9 ? 'CRITICAL' : baseScore >= 7 ? 'HIGH' : baseScore >= 4 ? 'MEDIUM' : baseScore > 0 ? 'LOW' : 'NONE';
  const key = version === '4.0' ? 'cvssV4_0' : version === '3.1' ? 'cvssV3_1' : 'cvssV3_0';
  return { [key]: { version, vectorString: c.vector, baseScore, baseSeverity } };
}

/** A title in the CNA's style: the summary sentence without its final full stop. */
function titleOf(advisory: Advisory): string | undefined {
  const t = summaryOf(advisory).replace(/[.!]\s*$/, '').trim();
  return t ? t.slice(0, 256) : undefined;
}

/** The CNA container of a group of entries (one OSV record); `cannot build the CVE record: missing <field>` when it lacks one. */
export function cnaContainerOfGroup(group: OsvGroup, index: VulnerabilityIndex, options: CveExportOptions = {}): Json {
  const lead = group.advisories[0]!;
  const source = options.source ?? group.id;
  const missing = (what: string) => new CpansecError('SCHEMA_ERROR', `cannot build the CVE record: missing ${what}`, { file: source });
  const description = lead.description.trim();
  if (!description) throw missing('description');
  const references = [...new Set(lead.references.map(asUri))];
  if (!references.length) throw missing('references');
  if (references.length > MAX_REFERENCES) {
    throw new CpansecError('SCHEMA_ERROR', `cannot build the CVE record: ${references.length} references, CVE records hold at most ${MAX_REFERENCES}`, { file: source });
  }
  const affected: Json[] = [];
  for (const distribution of [...new Set(group.advisories.map((a) => a.distribution))]) {
    const intervals = normalize(group.advisories.filter((a) => a.distribution === distribution).flatMap(affectedIntervals));
    const versions = cveVersions(intervals);
    if (!versions.some((v) => v.status === 'affected')) continue;
    const mainModule = index.distribution(distribution)?.mainModule;
    affected.push({
      collectionURL: 'https://cpan.org/modules',
      defaultStatus: 'unaffected',
      packageName: distribution,
      packageURL: distributionPurl(distribution),
      ...(mainModule ? { product: mainModule } : {}),
      versions,
    });
  }
  if (!affected.length) throw missing('affected versions (the ranges admit no version)');
  const metrics = lead.cvss.map(metricOf).filter((m): m is Json => m !== undefined);
  const title = titleOf(lead);
  const cwes = (lead.cwes ?? []).filter(isCweId);
  return {
    affected,
    descriptions: [{ lang: 'en', value: description }],
    ...(metrics.length ? { metrics } : {}),
    // one problem type per CWE, as the CNA's tool writes them
    ...(cwes.length ? { problemTypes: cwes.map((cweId) => ({ descriptions: [{ cweId, description: cweId, lang: 'en', type: 'CWE' }] })) } : {}),
    providerMetadata: { orgId: options.orgId ?? CPANSEC_ORG_ID },
    references: references.map((url) => {
      const tags = cveReferenceTags(url);
      return { url, ...(tags.length ? { tags } : {}) };
    }),
    source: { discovery: 'UNKNOWN' },
    ...(title ? { title } : {}),
    x_generator: { engine: options.generator ?? 'cpansec' },
  };
}

/** The CVE ids of a group that are CVE ids (the data has a few made-up ones). */
export function cveIdsOf(group: OsvGroup): string[] {
  return group.advisories[0]!.cves.filter((id) => isCveId(id) && /^CVE-\d{4}-\d{4,19}$/.test(id));
}

/** The CNA container of an advisory (and of the entries of the index it forms one record with). */
export function toCve(advisory: Advisory, index: VulnerabilityIndex, options: CveExportOptions = {}): CveExport {
  const group = osvGroupOf(advisory, index);
  return { id: group.id, cveIds: cveIdsOf(group), cnaContainer: cnaContainerOfGroup(group, index, options) };
}

/** What `cpansec export cve5` writes per record: the container CVE Services take, and the CVE ids it is for. */
export interface CveExport {
  /** the OSV id of the same record */
  id: string;
  cveIds: string[];
  cnaContainer: Json;
}

/**
 * A whole CVE record around a container, as the assigning CNA publishes it. Only true of CVE ids
 * that CNA assigned: the export writes containers, this form is for `cve build` and validation.
 */
export function cveRecordOf(container: Json, cveId: string, orgId = CPANSEC_ORG_ID): Json {
  return {
    dataType: 'CVE_RECORD',
    dataVersion: CVE_DATA_VERSION,
    cveMetadata: { assignerOrgId: orgId, cveId, state: 'PUBLISHED' },
    containers: { cna: container },
  };
}

/**
 * The REJECT form of a CVE record (CVE Services `PUT /cve/{id}/reject` takes `{"cnaContainer":
 * {providerMetadata, rejectedReasons}}`): what the CNA submits when an advisory it published under
 * a CVE id is withdrawn.
 */
export function cveRejectionOf(cveId: string, reason: string, orgId = CPANSEC_ORG_ID, dateRejected?: string): Json {
  const text = reason.trim() || 'This candidate was withdrawn by its CNA.';
  return {
    dataType: 'CVE_RECORD',
    dataVersion: CVE_DATA_VERSION,
    cveMetadata: { assignerOrgId: orgId, cveId, state: 'REJECTED', ...(dateRejected ? { dateRejected } : {}) },
    containers: { cna: { providerMetadata: { orgId }, rejectedReasons: [{ lang: 'en', value: text }] } },
  };
}
