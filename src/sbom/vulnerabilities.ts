/**
 * The audit's findings as SBOM vulnerabilities: one per advisory, affecting the components the
 * finding came from (linked by ref), rated from its CVSS vectors and severity, with the remediation
 * as the recommendation. With `vex`, each also carries an analysis state.
 */
import { aliasesOf, severityOfScore, type Advisory } from '../advisory/index.js';
import type { AuditResult, Dependency, Finding, FindingAdvisory } from '../audit/index.js';
import type { SbomVulnerability } from './model.js';
import { displayPathWithLine } from './paths.js';

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

/** CycloneDX's (and CISA's VEX) justifications for not_affected. */
export const JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type Justification = (typeof JUSTIFICATIONS)[number];

const WORDS = JUSTIFICATIONS.map((j) => j.replace(/_/g, '[_ -]')).join('|');
// `[code_not_reachable] …` or `code_not_reachable: …` (or the words with spaces)
const JUSTIFICATION_PREFIX = new RegExp(`^\\s*(?:\\[(${WORDS})\\]\\s*[:\\u2013\\u2014-]?|(${WORDS})\\s*(?:[:\\u2013\\u2014-]|$))\\s*`, 'i');

/**
 * The justification an ignore rule states: a `justification` the rule carries, or the reason's
 * leading word (`code_not_reachable: only the client side is used`). None is invented: without
 * one, the reason itself is the VEX impact statement (`detail`).
 */
export function justificationOf(ignored: { reason: string; justification?: string }): { justification?: Justification; detail: string } {
  const given = ignored.justification?.trim().toLowerCase().replace(/[ -]/g, '_');
  if (given && (JUSTIFICATIONS as readonly string[]).includes(given)) return { justification: given as Justification, detail: ignored.reason };
  const m = JUSTIFICATION_PREFIX.exec(ignored.reason);
  if (!m) return { detail: ignored.reason };
  const rest = ignored.reason.slice(m[0].length).trim();
  return { justification: (m[1] ?? m[2])!.toLowerCase().replace(/[ -]/g, '_') as Justification, detail: rest || ignored.reason };
}

function analysis(f: Finding, fa: FindingAdvisory, base: string): SbomVulnerability['analysis'] {
  if (fa.ignored) {
    const until = fa.ignored.expires ? ` until ${fa.ignored.expires}` : '';
    const { justification, detail } = justificationOf(fa.ignored);
    return { state: 'not_affected', ...(justification ? { justification } : {}), detail: `Ignored by ${displayPathWithLine(fa.ignored.source, base)}${until}: ${detail}` };
  }
  const response: ('update' | 'can_not_fix')[] = f.remediation && !f.unfixed?.includes(fa.advisory.id) ? ['update'] : ['can_not_fix'];
  const expired = fa.expiredIgnore ? ` An ignore rule (${displayPathWithLine(fa.expiredIgnore.source, base)}) expired on ${fa.expiredIgnore.expires}.` : '';
  return { state: 'in_triage', response, detail: `Reported by cpansec audit: the version in use is in the advisory's affected range.${expired}` };
}

/**
 * Vulnerabilities of the audited dependencies. `refOf` gives the component ref of each dependency
 * the audit was given (undefined: not in the document). Ignored advisories count only in a VEX.
 */
export function vulnerabilitiesOf(result: AuditResult, refOf: (d: Dependency) => string | undefined, options: { vex?: boolean; base?: string } = {}): SbomVulnerability[] {
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
          ...(options.vex ? { analysis: analysis(f, fa, options.base ?? '.') } : {}),
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
