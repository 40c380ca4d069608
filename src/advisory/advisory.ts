/**
 * The advisory model: every field the CPANSA data (cpansa_version 2) carries, with names in our
 * camelCase. Range strings are kept as written; `parseRange` compiles them when a query needs it.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface CvssScore {
  /** "3.0", "3.1" or "4.0" */
  version: string;
  vector: string;
  /** base score when computed or given */
  score?: number;
}

export interface Reviewer {
  date?: string;
  email?: string;
  name?: string;
}

/** A third-party library that a distribution ships (zlib, libxml2, jQuery …). */
export interface EmbeddedLibrary {
  name: string;
  /** the library version or range the distribution ships, as written upstream */
  distributedVersion?: string | null;
  [key: string]: unknown;
}

export interface Advisory {
  /** CPANSA-<Dist>-<year>-<n> (the real data has other shapes; the linter reports them) */
  id: string;
  distribution: string;
  /** OR'ed list; commas inside an element are AND'ed */
  affectedVersions: string[];
  fixedVersions: string[];
  cves: string[];
  /** GitHub security advisory ids (GHSA-…) */
  ghsas: string[];
  /** the severity as written upstream (free text in the real data), null when absent */
  severityText: string | null;
  /** normalised severity, null when absent or not recognised */
  severity: Severity | null;
  cvss: CvssScore[];
  /**
   * Weakness classes, `CWE-<n>` (our extension field `cwes` in the report files; CPAN::Audit and
   * other CPANSA readers ignore keys they do not know). Absent when the data gives none.
   */
  cwes?: string[];
  /** set when the advisory was withdrawn (OSV `withdrawn`): when, and why */
  withdrawn?: { date: string; reason: string };
  references: string[];
  description: string;
  /** YYYY-MM-DD, null when unknown */
  reported: string | null;
  embeddedVulnerability?: EmbeddedLibrary;
  externalVulnerability?: Record<string, unknown>;
  reviewedBy: Reviewer[];
  previousIds: string[];
  comment?: string;
  /** provenance of generated reports (util/invert-third-party.pl) */
  generated?: { by?: string; date?: string; from?: string };
  /** fields we do not model, kept so nothing is lost on a round trip */
  extra: Record<string, unknown>;
}

/** One distribution's entry: its advisories plus what the database knows of its releases. */
export interface DistributionRecord {
  name: string;
  mainModule?: string;
  /** released versions, oldest first, as the database lists them */
  releases: Release[];
  /**
   * The release list exactly as the database file has it (numbers, nulls, `dual_lived`,
   * `perl_release` …), so that an export gives CPAN::Audit what it read; absent when not from a file.
   */
  readonly releaseList?: unknown[];
  advisories: Advisory[];
  /**
   * Each advisory's affected and fixed ranges, in the order of `advisories`, when they are known
   * without reading the advisories (the bundled database's line table): checking a version then
   * reads a distribution's advisories only when one of them affects it. Absent otherwise.
   */
  readonly advisoryRanges?: { affected: string[]; fixed: string[] }[];
  /**
   * The versions of `releases` that version.pm reads, in ascending version order (and the others),
   * when known without reading the list (the bundled data): queries then parse only the versions
   * they compare.
   */
  readonly sortedReleaseVersions?: { sorted: string[]; unreadable: string[] };
  /** report-level metadata of the YAML file (repo, metacpan, darkpan, latest_version …) */
  meta?: Record<string, unknown>;
}

export interface Release {
  version: string;
  date?: string;
}

export interface AdvisoryDatabase {
  meta: Record<string, unknown>;
  distributions: Map<string, DistributionRecord>;
  /** module name -> distribution name */
  moduleToDistribution: Map<string, string>;
}

/** Every alias of an advisory: CVE ids, GHSA ids and earlier CPANSA ids. */
export function aliasesOf(advisory: Advisory): string[] {
  return [...advisory.cves, ...advisory.ghsas, ...advisory.previousIds];
}

/** The one-line summary: one rule for every surface, in summary.ts. */
export { summaryOf } from './summary.js';
