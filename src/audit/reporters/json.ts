/**
 * The JSON report (documented in docs/audit-json.md; stable: a change is a version bump).
 */
import { aliasesOf, summaryOf } from '../../advisory/index.js';
import type { AuditResult, Finding } from '../finding.js';

export const JSON_REPORT_VERSION = 1;

function sourceOf(f: Finding): string[] {
  return f.sources.map((d) => `${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`);
}

/**
 * One finding as the report gives it, keys in the report's order. Built field by field: a lock's
 * report has hundreds, and each conditional spread is a copy without the optimising compiler.
 */
function dependencyOf(f: Finding): Record<string, unknown> {
  const sources = sourceOf(f);
  const d: Record<string, unknown> = { name: f.name, distribution: f.distribution ?? null };
  if (f.version !== undefined) d.version = f.version;
  else d.range = f.range;
  d.source = sources[0];
  d.sources = sources;
  d.status = f.status;
  if (f.core) d.core = f.core;
  d.advisories = f.advisories.map((a) => ({
    id: a.advisory.id,
    aliases: aliasesOf(a.advisory),
    severity: a.advisory.severity,
    cvss: a.advisory.cvss,
    affected: a.advisory.affectedVersions,
    fixed: a.advisory.fixedVersions,
    summary: summaryOf(a.advisory),
    description: a.advisory.description.trim(),
    references: a.advisory.references,
    reported: a.advisory.reported,
    ...(a.affectedVersionsAdmitted ? { affected_versions_admitted: a.affectedVersionsAdmitted } : {}),
    ...(a.ignored ? { ignored: a.ignored } : {}),
    ...(a.expiredIgnore ? { expired_ignore: a.expiredIgnore } : {}),
  }));
  d.remediation = f.remediation ? { upgrade_to: f.remediation, requirement: `>= ${f.remediation}`, unfixed: f.unfixed ?? [] } : null;
  d.notes = f.notes;
  return d;
}

export function toJsonReport(result: AuditResult): Record<string, unknown> {
  const vulnerable = result.findings.filter((f) => f.status === 'vulnerable');
  return {
    format: 'cpansec-audit',
    version: JSON_REPORT_VERSION,
    generated_at: result.generatedAt,
    database: { source: result.database.source, commit: result.database.meta.commit ?? null, date: result.database.meta.date ?? null },
    inputs: result.inputs,
    ...(result.perl ? { perl: result.perl } : {}),
    summary: {
      dependencies: result.findings.length,
      vulnerable: vulnerable.length,
      advisories: new Set(vulnerable.flatMap((f) => f.advisories.filter((a) => !a.ignored).map((a) => a.advisory.id))).size,
      ignored: result.findings.reduce((n, f) => n + f.advisories.filter((a) => a.ignored).length, 0),
      unlisted: result.findings.filter((f) => f.status === 'unlisted').length,
      core: result.findings.filter((f) => f.status === 'core').length,
      // status unchecked: in the database, but the version in use cannot be told
      unchecked: result.findings.filter((f) => f.status === 'unchecked').length,
    },
    dependencies: result.findings.map(dependencyOf),
  };
}
