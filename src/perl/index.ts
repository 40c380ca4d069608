export { parseVersion, compareVersions, PerlVersion, isValidVersion } from './version.js';
export {
  parseRange,
  satisfies,
  formatRange,
  type Range,
  type Clause,
  type RangeOperator,
  type RangeSyntax,
} from './range.js';
