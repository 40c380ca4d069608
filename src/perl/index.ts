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
export { parseMeta, parseMetaJson, parseMetaYaml, type CpanMeta, type MetaPrereq, type MetaPhase, type MetaRelationship } from './meta.js';
export { someVersionSatisfies } from './range-overlap.js';
export { distnameInfo, parseDistPath, type DistInfo } from './distname.js';
export { checkPerlVersion, coreInfo, coreListVersion, coreVersion, newestPerl, type CoreInfo } from './corelist.js';
export { metaLicense, normalizeLicenseName, spdxOfLicenseName, CPAN_META_LICENSE_NAMES, type MetaLicense } from './license.js';
export { cpanPurl, parseCpanPurl, type CpanPurl } from './purl.js';
export { yaml, packageUrl, picocolors } from './lazy-libs.js';
export { readYaml, MAX_YAML_DEPTH, type YamlSource } from './yaml.js';
export { moduleVersions, moduleVersion, type ModuleVersion } from './module-version.js';
export { perlNumberLiteral } from './number.js';
export { formatJsonLines, readJsonLines, type JsonLines } from './json-lines.js';
