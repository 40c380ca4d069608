/**
 * Triage: the scope decision by the charter's rules, CVSS vectors and CWEs, and what the index
 * already knows of the distribution (its advisories, and other cases about it — likely
 * duplicates).
 */
import type { Severity } from '../../advisory/index.js';
import { summaryOf } from '../../advisory/index.js';
import type { Actor } from '../actor.js';
import { versionRanges, type Assessment, type Case, type ScopeRecord } from '../case.js';
import { parseCvss } from '../cvss.js';
import { can } from '../policy.js';
import { combineKnowledge, decideScope, indexKnowledge, type AffectedComponent, type ScopeDecision } from '../scope.js';
import { invalid, optionalText, reasonText } from '../text.js';
import { actorLabel } from '../actor.js';
import { audit, caseFor, saveCase, type DisclosureDeps } from './context.js';

const COMPONENTS: readonly AffectedComponent[] = ['own-code', 'bundled-library', 'linked-library', 'external-service'];
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface AssessmentInput {
  scope?: { component?: unknown; library?: unknown; override?: { inScope: unknown; reason: unknown } | null };
  cvss?: unknown;
  cwes?: unknown;
  severity?: unknown;
  affectedVersions?: unknown;
  fixedVersions?: unknown;
}

export function scopeFor(deps: Pick<DisclosureDeps, 'index' | 'cpan'>, distribution: string, component?: AffectedComponent, library?: string): ScopeDecision {
  const knowledge = combineKnowledge(deps.index ? indexKnowledge(deps.index) : undefined, deps.cpan);
  return decideScope({ distribution, ...(component ? { component } : {}), ...(library ? { library } : {}) }, { knowledge });
}

/** Record the team's assessment; fields not given stay as they were. */
export async function assessCase(deps: DisclosureDeps, actor: Actor, caseKey: string, input: AssessmentInput): Promise<Case> {
  const now = deps.clock.now();
  if (input === null || typeof input !== 'object') throw invalid('assessment', 'must be an object');
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.assess', now);
    const assessment: Assessment = { ...c.assessment };
    const data: Record<string, string | boolean | null> = {};
    if (input.scope) {
      const component = input.scope.component ?? 'own-code';
      if (!COMPONENTS.includes(component as AffectedComponent)) throw invalid('scope.component', `must be one of ${COMPONENTS.join(', ')}`);
      const library = optionalText(input.scope.library, 'scope.library', { max: 200 }) ?? undefined;
      const decision = scopeFor(deps, c.report.distribution, component as AffectedComponent, library);
      let override: ScopeRecord['override'] = null;
      if (input.scope.override) {
        if (typeof input.scope.override.inScope !== 'boolean') throw invalid('scope.override.inScope', 'must be true or false');
        override = { inScope: input.scope.override.inScope, reason: reasonText(input.scope.override.reason, 'scope.override.reason'), by: actorLabel(actor), at: now.toISOString() };
      }
      assessment.scope = { decision, override };
      data.scopeRule = decision.rule;
      data.inScope = override?.inScope ?? decision.inScope;
    }
    if (input.cvss !== undefined) {
      const vectors = Array.isArray(input.cvss) ? input.cvss : [input.cvss];
      if (vectors.length > 4) throw invalid('cvss', 'at most 4 vectors');
      const parsed = vectors.map((v) => parseCvss(String(v)));
      if (new Set(parsed.map((p) => p.version)).size !== parsed.length) throw invalid('cvss', 'one vector per CVSS version');
      assessment.cvss = parsed.map((p) => ({ version: p.version, vector: p.vector, score: p.baseScore }));
      data.cvss = parsed.map((p) => p.vector).join(' ');
      // the newest CVSS version present rates the case unless the team sets a severity
      const newest = [...parsed].sort((a, b) => b.version.localeCompare(a.version))[0];
      if (input.severity === undefined && newest) assessment.severity = newest.severity;
    }
    if (input.cwes !== undefined) {
      const cwes = (Array.isArray(input.cwes) ? input.cwes : [input.cwes]).map(String);
      if (cwes.length > 10) throw invalid('cwes', 'at most 10');
      cwes.forEach((w, i) => {
        if (!/^CWE-[1-9]\d*$/.test(w)) throw invalid(`cwes[${i}]`, `'${w.slice(0, 20)}' is not a CWE id (CWE-<number>)`);
      });
      assessment.cwes = [...new Set(cwes)];
      data.cwes = assessment.cwes.join(' ');
    }
    if (input.severity !== undefined) {
      if (input.severity !== null && !SEVERITIES.includes(input.severity as Severity)) throw invalid('severity', `must be one of ${SEVERITIES.join(', ')}`);
      assessment.severity = input.severity as Severity | null;
      data.severity = assessment.severity;
    }
    if (input.affectedVersions !== undefined) {
      assessment.affectedVersions = versionRanges(input.affectedVersions, 'affectedVersions');
      data.affectedVersions = assessment.affectedVersions.join(' || ');
    }
    if (input.fixedVersions !== undefined) {
      assessment.fixedVersions = versionRanges(input.fixedVersions, 'fixedVersions', { min: 0 });
      data.fixedVersions = assessment.fixedVersions.join(' || ');
    }
    if (Object.keys(data).length === 0) throw invalid('assessment', 'nothing to record');
    // what changed: each field's value before, beside the new one, for the audit log
    const before = beforeValues(c.assessment, c.report.affectedVersions);
    for (const key of Object.keys(data)) if (key in before && before[key] !== data[key]) data[`${key}.before`] = before[key]!;
    const saved = await saveCase(tx, { ...c, assessment }, now);
    await audit(tx, actor, now, { caseId: c.id, action: 'case.assessed', reason: 'assessment recorded', data });
    return saved;
  });
}

/** The assessment's fields as the audit entry writes them, to show what an assessment changed. */
function beforeValues(a: Assessment, reported: string[]): Record<string, string | boolean | null> {
  return {
    scopeRule: a.scope?.decision.rule ?? null,
    inScope: a.scope ? (a.scope.override?.inScope ?? a.scope.decision.inScope) : null,
    cvss: a.cvss.map((x) => x.vector).join(' '),
    cwes: a.cwes.join(' '),
    severity: a.severity,
    affectedVersions: (a.affectedVersions ?? reported).join(' || '),
    fixedVersions: (a.fixedVersions ?? []).join(' || '),
  };
}

export interface ExistingAdvisory {
  id: string;
  cves: string[];
  summary: string;
  affectedVersions: string[];
  fixedVersions: string[];
  reported: string | null;
}

export interface TriageInfo {
  /** the scope by the rules, for the report as filed (component: own code) */
  scope: ScopeDecision;
  /** the distribution is in the vulnerability index */
  known: boolean;
  releases: number;
  advisories: ExistingAdvisory[];
  /** other cases about the same distribution (references and states) */
  otherCases: { reference: string; state: string; createdAt: string }[];
}

/** What the triager sees beside the report. Staff only. */
export async function triageInfo(deps: DisclosureDeps, actor: Actor, caseKey: string): Promise<TriageInfo> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const c = await caseFor(tx, actor, caseKey, 'case.viewAudit', now);
    const dist = c.report.distribution;
    const advisories = (deps.index?.distribution(dist)?.advisories ?? []).map((a) => ({
      id: a.id,
      cves: a.cves,
      summary: summaryOf(a),
      affectedVersions: a.affectedVersions,
      fixedVersions: a.fixedVersions,
      reported: a.reported,
    }));
    const others = (await tx.cases.list({ distribution: dist })).filter((x) => x.id !== c.id && can(actor, 'case.view', x, now));
    return {
      scope: scopeFor(deps, dist),
      known: deps.index?.hasDistribution(dist) ?? false,
      releases: deps.index?.releasesOf(dist).length ?? 0,
      advisories,
      otherCases: others.map((x) => ({ reference: x.reference, state: x.state, createdAt: x.createdAt })),
    };
  });
}
