export * from './advisory.js';
export { normalizeSeverity, isCanonicalSeverity, severityOfScore, SEVERITIES } from './severity.js';
export { fromCpansaRecord, toCpansaRecord, listOf } from './record.js';
export { readReport, writeReport, type AdvisoryReport } from './report.js';
export { lintReports, countByRule, type LintProblem, type LintOptions } from './lint.js';
export { recordShapeProblems, kindOf, type ShapeProblem } from './shape.js';
export { printable, controlCharacters } from './control.js';
export { REFERENCE_TAGS, type ReferenceTag } from './reference-tags.js';
export { isCveId, isGhsaId, isCweId, normalizeCweId } from './weakness.js';
