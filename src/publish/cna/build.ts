/**
 * A CNA YAML record as a CVE JSON 5 record, the JSON the CNA tool (CPAN-Security/cna-tool) makes
 * of the same YAML, plus what CVE Record Format 5.2.0 adds (`packageURL`, dataVersion 5.2.0).
 * Two deliberate differences, both in `cveMetadata`: no `requesterUserId` (the tool writes the org
 * id there; it is a user id that CVE Services fill) and no `serial` (CVE Services count it).
 * docs/publish.md lists them with the rest of the mapping.
 */
import { CpansecError } from '../../errors.js';
import { CPANSEC_ORG_ID, cveRecordOf } from '../cve5/record.js';
import { distributionPurl } from '../purl.js';
import type { CnaRecord, CnaReference } from './schema.js';
import { normalizeProse, normalizeSingleLine } from './text.js';
import { parseAffectedVersion, versionRangeTemplate } from './version-phrase.js';


export interface CnaBuildOptions {
  /** the CNA's org id; default CPANSec's */
  orgId?: string;
  /** `x_generator.engine`; default "cpansec" */
  generator?: string;
}

type Json = Record<string, unknown>;

/** `{{VERSION_RANGE}}` in a title or description; any other token is left as written. */
export function interpolate(record: Pick<CnaRecord, 'affected'>, text: string): string {
  return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (full, token: string) => {
    if (token.trim() !== 'VERSION_RANGE') return full;
    return versionRangeTemplate(record.affected) || full;
  });
}

const LEGACY_TAGS: Record<string, string> = { advisory: 'vendor-advisory', misc: 'related' };
const CVE_TAGS = new Set([
  'broken-link', 'customer-entitlement', 'exploit', 'government-resource', 'issue-tracking', 'mailing-list', 'mitigation',
  'not-applicable', 'patch', 'permissions-required', 'media-coverage', 'product', 'related', 'release-notes', 'signature',
  'technical-description', 'third-party-advisory', 'vendor-advisory', 'vdb-entry',
]);

/** Reference tags as CVE tags: the YAML's older names mapped, duplicates dropped, the rest refused. */
function cveTags(tags: string[], file: string): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    let t = raw.trim().toLowerCase();
    t = LEGACY_TAGS[t] ?? t;
    if (!t) continue;
    if (!CVE_TAGS.has(t)) throw new CpansecError('SCHEMA_ERROR', `cannot build the CVE record: reference tag '${t}' has no CVE equivalent`, { file });
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

const textEntry = (value: string) => ({ lang: 'en', value });
const texts = (v: string | string[] | undefined) =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(normalizeProse).filter((t) => /\S/.test(t));

function reference(r: CnaReference, file: string): Json {
  return { url: r.link, ...(r.name !== undefined ? { name: r.name } : {}), ...(r.tags !== undefined ? { tags: cveTags(r.tags, file) } : {}) };
}

function cweEntry(entry: string): Json {
  const m = /^(CWE-\d+)(?:\s*:\s*|\s+)(.+)$/.exec(entry)!;
  return { descriptions: [{ type: 'CWE', lang: 'en', cweId: m[1], description: `${m[1]} ${m[2]}` }] };
}

function capecEntry(entry: string): Json {
  const m = /^(CAPEC-\d+)\s+(.+)$/.exec(entry)!;
  return { capecId: m[1], descriptions: [{ lang: 'en', value: `${m[1]} ${m[2]}` }] };
}

/** The CNA container of a record. */
export function cnaContainerOfYaml(record: CnaRecord, file: string, options: CnaBuildOptions = {}): Json {
  const missing = (what: string) => new CpansecError('SCHEMA_ERROR', `cannot build the CVE record: missing ${what}`, { file });
  record.credits?.forEach((c, i) => {
    if (!c.type) throw missing(`credits[${i}].type`);
    if (!c.value) throw missing(`credits[${i}].value`);
  });
  record.timeline?.forEach((t, i) => {
    if (!t.time.trim()) throw missing(`timeline[${i}].time`);
    if (!t.value) throw missing(`timeline[${i}].value`);
  });
  const affected: Json = {
    collectionURL: 'https://cpan.org/modules',
    defaultStatus: 'unaffected',
    packageName: record.distribution,
    packageURL: distributionPurl(record.distribution),
    product: record.module,
    vendor: record.author,
    versions: record.affected.map(parseAffectedVersion),
    ...(record.repo ? { repo: record.repo } : {}),
    ...(record.files !== undefined ? { programFiles: [...record.files] } : {}),
    ...(record.routines !== undefined ? { programRoutines: record.routines.map((name) => ({ name })) } : {}),
  };
  const solutions = texts(record.solution);
  const workarounds = texts(record.mitigation);
  return {
    affected: [affected],
    descriptions: [textEntry(normalizeProse(interpolate(record, record.description)))],
    providerMetadata: { orgId: options.orgId ?? CPANSEC_ORG_ID },
    references: record.references.map((r) => reference(r, file)),
    source: { discovery: 'UNKNOWN' },
    title: normalizeSingleLine(interpolate(record, record.title)),
    x_generator: { engine: options.generator ?? 'cpansec' },
    ...(record.cwes !== undefined ? { problemTypes: record.cwes.map(cweEntry) } : {}),
    ...(solutions.length ? { solutions: solutions.map(textEntry) } : {}),
    ...(workarounds.length ? { workarounds: workarounds.map(textEntry) } : {}),
    ...(record.credits !== undefined ? { credits: record.credits.map((c) => ({ lang: c.lang ?? 'en', type: c.type, value: c.value })) } : {}),
    ...(record.impacts !== undefined ? { impacts: record.impacts.map(capecEntry) } : {}),
    ...(record.timeline !== undefined
      ? { timeline: record.timeline.map((t) => ({ lang: 'en', time: /^\d{4}-\d{2}-\d{2}$/.test(t.time.trim()) ? `${t.time.trim()}T00:00:00Z` : t.time.trim(), value: t.value })) }
      : {}),
  };
}

/** The whole CVE record of a CNA YAML record. */
export function cveRecordOfYaml(record: CnaRecord, file: string, options: CnaBuildOptions = {}): Json {
  const orgId = options.orgId ?? CPANSEC_ORG_ID;
  return cveRecordOf(cnaContainerOfYaml(record, file, { ...options, orgId }), record.cve, orgId);
}
