/** Publication: OSV records and zip, CVE JSON 5 records, the CNA tool's YAML, feeds, CPANSA JSON. */
export type { OsvRecord, OsvAffected, OsvRange, OsvEvent, OsvSeverity } from './osv/types.js';
export { OSV_ECOSYSTEM, OSV_SCHEMA_VERSION } from './osv/types.js';
export { toOsv, osvRecords, osvRecordOfGroup, databaseModified, type OsvOptions } from './osv/record.js';
export { osvGroups, osvGroupOf, osvIdOf, type OsvGroup } from './osv/ids.js';
export { validateOsv } from './osv/schema.js';
export { osvZip, osvRecordJson, readJsonZip } from './osv/zip.js';
export { distributionPurl, distributionOfPurl } from './purl.js';
export { fromOsv } from './osv/import.js';
export { toAtom, toRss, escapeHtml, type FeedOptions } from './feeds.js';
export { affectedIntervals, type Interval, type Bound } from './affected-set.js';
export { referenceKind, osvReferenceType, cveReferenceTags, asUri, type ReferenceKind } from './references.js';
export { toCpansaJson, type CpansaJsonOptions } from './cpansa-json.js';
export { validateCveRecord, validateCnaContainer } from './cve5/schema.js';
export {
  toCve,
  cnaContainerOfGroup,
  cveRecordOf,
  cveRejectionOf,
  cveIdsOf,
  CPANSEC_ORG_ID,
  CVE_DATA_VERSION,
  type CveExport,
  type CveExportOptions,
} from './cve5/record.js';
export { cveVersions } from './cve5/versions.js';
export { fromCve } from './cve5/import.js';
export { perlJson } from './cve5/perl-json.js';
export { readCnaYaml, type CnaDocument, type CnaProblem } from './cna/yaml.js';
export { cnaContainerOfYaml, cveRecordOfYaml, interpolate, type CnaBuildOptions } from './cna/build.js';
export { lintCna } from './cna/lint.js';
export { announcement, type CveRecordLike } from './cna/announce.js';
export { wrap as textWrap } from './cna/wrap.js';
export { CNA_RECORD_SCHEMA, type CnaRecord, type CnaReference } from './cna/schema.js';
export { phraseOfCveVersion, phraseOfAffected, versionRangeTemplate, parseAffectedVersion, type CveVersion } from './cna/version-phrase.js';
export { cveJsonDrift } from './cna/sync.js';
