export { VulnerabilityIndex, type RangeMatch } from './vulnerability-index.js';
export { shippedDistributionVersion, type ShippedVersion } from './core-version.js';
export {
  loadBundledDatabase,
  loadDatabase,
  loadReportsDirectory,
  parseCpansaJson,
  parseCpansaBuffer,
  BUNDLED_DATABASE,
  DATA_DIR,
} from './load.js';
export { formatCpansaLines, splitCpansaLines } from './cpansa-lines.js';
export { diffDatabases, canonicalAdvisory, stableJson, type DatabaseChanges, type AdvisoryRef } from './changes.js';
export type { AdvisoryRepository, AdvisoryTimes, PublishedDatabase, ImportSource, ImportResult, RevisionInfo } from './repository.js';
