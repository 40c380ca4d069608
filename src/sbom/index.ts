/**
 * SBOMs for CPAN distributions and Perl projects: CycloneDX (1.4–1.6) and SPDX 2.3 documents,
 * vulnerabilities from the audit, a VEX of an audit, validation against the official schemas, diff.
 */
export type { Sbom, SbomComponent, SbomVulnerability, Prereq, Scope, SourceKind, ExternalReference, ProvidedModule } from './model.js';
export { readSbomSource, type ReadOptions as SbomReadOptions } from './read.js';
export { distributionSbom, type DistributionInput } from './distribution.js';
export { snapshotSbom, cpanfileSbom, type SnapshotInput } from './project.js';
export { installedSbom, type InstalledInput } from './installed.js';
export { readInstallRecords, type InstallRecord } from './install-records.js';
export type { ProjectRoot } from './graph.js';
export type { ModuleFacts } from './modules.js';
export { toCycloneDx, serializeJson, CYCLONEDX_VERSIONS, type CycloneDxVersion, type CycloneDxOptions, type DocumentOptions } from './cyclonedx.js';
export { toSpdx } from './spdx.js';
export { renderSbom, withSerial, type RenderOptions, type SbomFormat } from './render.js';
export { addVulnerabilities, auditVex } from './audit.js';
export { vulnerabilitiesOf } from './vulnerabilities.js';
export { validateDocument, parseSbomDocument, detectFormat, pointerToPath, type ValidationProblem, type ValidationResult } from './validate.js';
export { SBOM_LIMITS } from './limits.js';
export { licenseExpressionProblem } from './license-expression.js';
export { purlProblem } from './purl-check.js';
export { justificationOf, JUSTIFICATIONS, type Justification } from './vulnerabilities.js';
export { packageIdentity } from './diff.js';
export { diffSboms, diffToText, isEmptyDiff, sbomComponents, type SbomDiff, type DiffComponent } from './diff.js';
export { applyProject, type ProjectOverrides } from './project-options.js';
export { addMirrorFacts } from './mirror.js';
export { uploadRequest, uploadAnswer, type UploadTarget, type UploadRequest } from './upload.js';
export type { ComponentType } from './model.js';
