/**
 * The SBOM before it is a CycloneDX or an SPDX document: the root (a distribution or a project), its
 * components (distributions at exact versions, or modules when only a requirement is known) and the
 * dependency graph between them. Both serialisers and the vulnerability step work from this one shape.
 */
import type { Phase, Relationship } from '../audit/index.js';
import type { MetaLicense } from '../perl/index.js';

/** CycloneDX scope: needed at run time, optional at run time, or only to build/test/develop. */
export type Scope = 'required' | 'optional' | 'excluded';

/** How the root requires something: one CPAN::Meta prerequisite (or cpanfile line). */
export interface Prereq {
  phase: Phase;
  relationship: Relationship;
  /** the module named in the requirement */
  module: string;
  /** the requirement range as written ("0" = any version) */
  range: string;
  feature?: string;
  /** cpanfile options: where to fetch it (git, ref, url, dist, mirror) */
  options?: Partial<Record<'dist' | 'mirror' | 'url' | 'git' | 'ref', string>>;
}

export interface ExternalReference {
  type: 'vcs' | 'issue-tracker' | 'website' | 'distribution' | 'license' | 'mailing-list' | 'chat';
  url: string;
}

export interface ProvidedModule {
  module: string;
  version?: string;
  file?: string;
}

/** CycloneDX component types a user may give the described component (--project-type). */
export type ComponentType = 'application' | 'library' | 'framework' | 'platform' | 'container' | 'firmware' | 'device' | 'file';

export interface SbomComponent {
  /** unique within the document: the bom-ref in CycloneDX, the basis of the SPDXID in SPDX */
  ref: string;
  /** a CPAN distribution, a Perl module whose distribution is not known, or the project itself */
  kind: 'distribution' | 'module' | 'project';
  /** the CycloneDX type when stated (default: application for a project, library otherwise) */
  type?: ComponentType;
  name: string;
  /** an exact version (distribution release, installed module version) */
  version?: string;
  purl?: string;
  /** CPAN author id (PAUSE id) that released it */
  author?: string;
  /** authors as META lists them ("Name <email>") */
  authors?: string[];
  description?: string;
  license?: MetaLicense;
  hashes?: { 'SHA-256': string; 'SHA-512': string };
  externalReferences: ExternalReference[];
  /** CPAN path, A/AU/AUTHOR/Dist-1.0.tar.gz */
  pathname?: string;
  provides: ProvidedModule[];
  scope?: Scope;
  /** the root's requirements that this component satisfies (direct dependencies only) */
  prereqs: Prereq[];
  /** reached from the root directly, through other components, or not at all */
  dependency?: 'direct' | 'transitive';
  core?: { core: boolean; dualLife: boolean; since?: string };
  /** further name/value pairs, `cpan:` names (documented in docs/sbom.md) */
  properties: [string, string][];
}

export type SourceKind = 'tarball' | 'directory' | 'snapshot' | 'cpanfile' | 'installed';

export interface SbomVulnerability {
  /** the advisory's id (CPANSA-…) */
  id: string;
  /** its CVE and GHSA ids, and earlier CPANSA ids */
  aliases: string[];
  description: string;
  /** CVSS vectors and scores, and the advisory's severity */
  ratings: { method: 'CVSSv3' | 'CVSSv31' | 'CVSSv4' | 'other'; vector?: string; score?: number; severity?: 'critical' | 'high' | 'medium' | 'low' }[];
  references: string[];
  published?: string;
  recommendation?: string;
  /** refs of the affected components, with the affected version of each */
  affects: { ref: string; version?: string }[];
  /** VEX analysis, when the document is a VEX */
  analysis?: { state: 'in_triage' | 'not_affected' | 'exploitable'; justification?: string; response?: ('update' | 'can_not_fix')[]; detail?: string };
}

export interface Sbom {
  /** the input as read, and how the document names it (relative, no path of this machine) */
  source: { file: string; kind: SourceKind; display?: string };
  root: SbomComponent;
  components: SbomComponent[];
  /** ref -> the refs it depends on (the root included) */
  dependencies: Map<string, Set<string>>;
  /**
   * from -> to -> the prerequisites behind an edge between two components, when the input records
   * them (an installed tree's MYMETA files); the root's own are on each component's `prereqs`
   */
  edgePrereqs?: Map<string, Map<string, Prereq[]>>;
  vulnerabilities?: SbomVulnerability[];
  /** further document-level properties */
  properties: [string, string][];
}

const RANK: Record<Scope, number> = { excluded: 1, optional: 2, required: 3 };

/**
 * The scope a prerequisite gives: runtime requires is needed to run; other runtime ones are
 * optional, and so are an optional feature's (needed only when the feature is enabled).
 */
export function scopeOfPrereq(p: { phase: Phase; relationship: Relationship; feature?: string }): Scope {
  if (p.phase !== 'runtime') return 'excluded';
  return p.relationship === 'requires' && !p.feature ? 'required' : 'optional';
}

export function strongerScope(a: Scope | undefined, b: Scope): Scope {
  return a === undefined || RANK[b] > RANK[a] ? b : a;
}

export function weakerScope(a: Scope, b: Scope): Scope {
  return RANK[a] <= RANK[b] ? a : b;
}

export function newComponent(init: Pick<SbomComponent, 'ref' | 'kind' | 'name'> & Partial<SbomComponent>): SbomComponent {
  return { externalReferences: [], provides: [], prereqs: [], properties: [], ...init };
}

export function addDependency(sbom: Pick<Sbom, 'dependencies'>, from: string, to: string): void {
  if (from === to) return;
  let set = sbom.dependencies.get(from);
  if (!set) sbom.dependencies.set(from, (set = new Set()));
  set.add(to);
}
