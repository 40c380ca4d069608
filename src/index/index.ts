export { VulnerabilityIndex, type RangeMatch } from './vulnerability-index.js';
export { shippedDistributionVersion, type ShippedVersion } from './core-version.js';
export {
  loadBundledDatabase,
  loadDatabase,
  loadReportsDirectory,
  parseCpansaJson,
  parseCpansaBuffer,
  BUNDLED_DATABASE,
  BUNDLED_LINE_TABLE,
  DATA_DIR,
} from './load.js';
export { formatCpansaLines, splitCpansaLines } from './cpansa-lines.js';
export { lineTable, type LineTable } from './cpansa-table.js';
export { diffDatabases, canonicalAdvisory, stableJson, type DatabaseChanges, type AdvisoryRef } from './changes.js';
export type { AdvisoryRepository, AdvisoryTimes, PublishedDatabase, ImportSource, ImportResult, RevisionInfo } from './repository.js';
