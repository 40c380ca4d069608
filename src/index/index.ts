export { VulnerabilityIndex, type RangeMatch } from './vulnerability-index.js';
export {
  loadBundledDatabase,
  loadDatabase,
  loadReportsDirectory,
  parseCpansaJson,
  BUNDLED_DATABASE,
  DATA_DIR,
} from './load.js';
