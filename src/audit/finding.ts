import type { Advisory } from '../advisory/index.js';
import type { Dependency } from './dependency.js';

/** How the charter's scope rule places a core module: perl5-porters' matter, or ours when dual-life. */
export interface CoreStatus {
  core: boolean;
  dualLife: boolean;
  /** the perl whose core was consulted */
  perl: string;
}

export interface IgnoredBy {
  reason: string;
  expires?: string;
  /** where the ignore rule is written */
  source: string;
}

export interface FindingAdvisory {
  advisory: Advisory;
  /** for a requirement range: the released versions it admits that the advisory affects */
  affectedVersionsAdmitted?: string[];
  /** set when an ignore rule in force hides this advisory */
  ignored?: IgnoredBy;
  /** set when an ignore rule for this advisory has expired: the finding is back */
  expiredIgnore?: IgnoredBy;
}

export type FindingStatus =
  /** at least one advisory applies and is not ignored */
  | 'vulnerable'
  /** the distribution is in the database and no advisory applies (or all are ignored) */
  | 'clean'
  /** not in the advisory database: no known advisories for it */
  | 'unlisted'
  /** a core-only module: the perl interpreter's matter (perl5-porters), outside our scope */
  | 'core'
  /** in the database, but the version in use cannot be told (an installed tree without the
   * distribution's main module, or a $VERSION that cannot be read statically): not checked */
  | 'unchecked';

/** One audited dependency (a distribution at a version or range), with where it was found. */
export interface Finding {
  /** the distribution, when known */
  distribution?: string;
  /** the name as the source wrote it (module or distribution) */
  name: string;
  version?: string;
  range?: string;
  /** every place the dependency was found */
  sources: Dependency[];
  status: FindingStatus;
  core?: CoreStatus;
  advisories: FindingAdvisory[];
  /** the lowest released version that no known advisory affects (above the audited version/range) */
  remediation?: string;
  /** advisories the remediation does not fix: no released version fixes them */
  unfixed?: string[];
  /** caveats a user should know (e.g. a module version used for its distribution's version) */
  notes: string[];
}

export interface AuditResult {
  findings: Finding[];
  /** the database queried */
  database: { source: string; meta: Record<string, unknown>; distributions: number; advisories: number };
  /** files read */
  inputs: string[];
  generatedAt: string;
  /** the perl whose core modules were consulted, and how it was chosen */
  perl?: { version: string; source?: string };
}

export function activeAdvisories(f: Finding): FindingAdvisory[] {
  return f.advisories.filter((a) => !a.ignored);
}

export function vulnerableFindings(result: AuditResult): Finding[] {
  return result.findings.filter((f) => f.status === 'vulnerable');
}
