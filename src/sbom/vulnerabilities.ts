/**
 * The audit's findings as SBOM vulnerabilities: one per advisory, affecting the components the
 * finding came from (linked by ref), rated from its CVSS vectors and severity, with the remediation
 * as the recommendation. With `vex`, each also carries an analysis state.
 */
import { aliasesOf, severityOfScore, type Advisory } from '../advisory/index.js';
import type { AuditResult, Dependency, Finding, FindingAdvisory } from '../audit/index.js';
import type { SbomVulnerability } from './model.js';

const METHOD: Record<string, SbomVulnerability['ratings'][number]['method']> = { '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' };

function ratings(a: Advisory): SbomVulnerability['ratings'] {
  const out: SbomVulnerability['ratings'] = a.cvss.map((c) => {
    const severity = c.score !== undefined ? severityOfScore(c.score) : null;
    return { method: METHOD[c.version] ?? 'other', vector: c.vector, ...(c.score !== undefined ? { score: c.score } : {}), ...(severity ? { severity } : {}) };
  });
  if (a.severity) out.push({ method: 'other', severity: a.severity });
  return out;
}

function recommendation(f: Finding, advisoryId: string): string | undefined {
  const dist = f.distribution ?? f.name;
  if (f.unfixed?.includes(advisoryId)) return `No released version of ${dist} fixes ${advisoryId}; consider an alternative or a local patch.`;
  if (f.remediation) return `Upgrade ${dist} to ${f.remediation} or later.`;
  return f.notes.find((n) => n.startsWith('no released version')) ? `No released version of ${dist} is free of this advisory.` : undefined;
}

function analysis(f: Finding, fa: FindingAdvisory): SbomVulnerability['analysis'] {
  if (fa.ignored) {
    const until = fa.ignored.expires ? ` until ${fa.ignored.expires}` : '';
    return { state: 'not_affected', detail: `Ignored by ${fa.ignored.source}${until}: ${fa.ignored.reason}` };
  }
  const response: ('update' | 'can_not_fix')[] = f.remediation && !f.unfixed?.includes(fa.advisory.id) ? ['update'] : ['can_not_fix'];
  const expired = fa.expiredIgnore ? ` An ignore rule (${fa.expiredIgnore.source}) expired on ${fa.expiredIgnore.expires}.` : '';
  return { state: 'in_triage', response, detail: `Reported by cpansec audit: the version in use is in the advisory's affected range.${expired}` };
}

/**
 * Vulnerabilities of the audited dependencies. `refOf` gives the component ref of each dependency
 * the audit was given (undefined: not in the document). Ignored advisories count only in a VEX.
 */
export function vulnerabilitiesOf(result: AuditResult, refOf: (d: Dependency) => string | undefined, options: { vex?: boolean } = {}): SbomVulnerability[] {
  const byId = new Map<string, SbomVulnerability>();
  for (const f of result.findings) {
    for (const fa of f.advisories) {
      if (fa.ignored && !options.vex) continue;
      const a = fa.advisory;
      let v = byId.get(a.id);
      if (!v) {
        const rec = recommendation(f, a.id);
        v = {
          id: a.id,
          aliases: aliasesOf(a),
          description: a.description.trim(),
          ratings: ratings(a),
          references: a.references,
          ...(a.reported ? { published: a.reported } : {}),
          ...(rec ? { recommendation: rec } : {}),
          affects: [],
          ...(options.vex ? { analysis: analysis(f, fa) } : {}),
        };
        byId.set(a.id, v);
      }
      for (const d of f.sources) {
        const ref = refOf(d);
        if (ref && !v.affects.some((x) => x.ref === ref)) v.affects.push({ ref, ...(f.version ? { version: f.version } : {}) });
      }
    }
  }
  return [...byId.values()].filter((v) => v.affects.length > 0).sort((a, b) => a.id.localeCompare(b.id));
}
