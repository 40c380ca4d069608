/** What a source parser found in a project: one dependency, pinned or as a requirement range. */

export type Phase = 'runtime' | 'build' | 'test' | 'configure' | 'develop';
export type Relationship = 'requires' | 'recommends' | 'suggests' | 'conflicts';

export interface SourceLocation {
  file: string;
  line?: number;
}

export interface Dependency {
  /** a module name (Foo::Bar) or a distribution name (Foo-Bar), per `kind` */
  name: string;
  kind: 'module' | 'distribution';
  /** an exact version: a locked (snapshot) or installed version */
  version?: string;
  /** a CPAN::Meta::Spec requirement range ("0" = any) */
  range?: string;
  /** distribution this module belongs to when the source says so (a snapshot does) */
  distribution?: string;
  /** the distribution's version when the source says so (snapshot: Foo-Bar-1.2 -> 1.2) */
  distributionVersion?: string;
  /** CPAN path (A/AU/AUTHOR/Foo-Bar-1.2.tar.gz) when the source says so */
  pathname?: string;
  phase?: Phase;
  relationship?: Relationship;
  /** feature name for optional features (cpanfile `feature`, META optional_features) */
  feature?: string;
  /** cpanfile requirement options (git, ref, dist, mirror, url…): where to fetch it, not what it is */
  options?: Record<string, string>;
  /** `version` is this module's own $VERSION (an installed file), not necessarily its distribution's */
  moduleVersion?: true;
  /** the $VERSION expression of an installed module that cannot be read statically */
  unreadableVersion?: string;
  /** the source names it without a version anyone can tell (a local tarball in a lock): why */
  unversioned?: string;
  /** a module the project's lock requires but no locked distribution provides: perl ships it */
  unlocked?: true;
  source: SourceLocation;
}
