/**
 * The JSON report (documented in docs/audit-json.md; stable: a change is a version bump).
 */
import { aliasesOf, summaryOf } from '../../advisory/index.js';
import type { AuditResult, Finding } from '../finding.js';

export const JSON_REPORT_VERSION = 1;

function sourceOf(f: Finding): string[] {
  return f.sources.map((d) => `${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`);
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
    dependencies: result.findings.map((f) => ({
      name: f.name,
      distribution: f.distribution ?? null,
      ...(f.version !== undefined ? { version: f.version } : { range: f.range }),
      source: sourceOf(f)[0],
      sources: sourceOf(f),
      status: f.status,
      ...(f.core ? { core: f.core } : {}),
      advisories: f.advisories.map((a) => ({
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
      })),
      remediation: f.remediation ? { upgrade_to: f.remediation, requirement: `>= ${f.remediation}`, unfixed: f.unfixed ?? [] } : null,
      notes: f.notes,
    })),
  };
}
