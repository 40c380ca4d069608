export type { Dependency, Phase, Relationship, SourceLocation } from './dependency.js';
export type { AuditResult, Finding, FindingAdvisory, FindingStatus, CoreStatus, IgnoredBy } from './finding.js';
export { activeAdvisories, vulnerableFindings } from './finding.js';
export { auditDependencies, type AuditOptions, type CoreLookup } from './matcher.js';
export { parseIgnoreFile, applyIgnores, type IgnoreRule } from './ignore.js';
export { toJsonReport, JSON_REPORT_VERSION } from './reporters/json.js';
export { toSarif } from './reporters/sarif.js';
export { toText } from './reporters/text.js';
export { parseBatch, type BatchQuery } from './batch.js';
