/**
 * The two predicates `cpansec sign` writes: SLSA Provenance v1 (slsa.dev/provenance/v1), and a
 * plain release predicate of ours for authors who build on their own machine and claim no more
 * than "I, PAUSE author X, released this file". Both name the PAUSE author, which `verify` binds
 * to the signing key.
 */

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';
export const RELEASE_PREDICATE_V1 = 'https://cpansec.dev/attestation/release/v1';
/** the buildType of a CPAN distribution built by `make dist` (or an equivalent) from a source tree */
export const CPAN_BUILD_TYPE = 'https://cpansec.dev/buildtypes/cpan-dist/v1';
export const LOCAL_BUILDER = 'https://cpansec.dev/builders/local';

export interface ReleaseFacts {
  /** the tarball's file name */
  file: string;
  distribution?: string;
  version?: string;
  /** PAUSE id, upper case */
  author?: string;
  /** source repository URL (META resources, or the checkout's origin) */
  repository?: string;
  /** the git commit the release was built from */
  commit?: string;
  /** builder id (a CI's URL) */
  builder?: string;
  /** CI run URL, when known */
  invocation?: string;
  startedOn?: string;
}

const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function releasePredicate(f: ReleaseFacts, now: Date): Record<string, unknown> {
  return defined({
    distribution: f.distribution,
    version: f.version,
    author: f.author,
    file: f.file,
    sourceRepository: f.repository,
    sourceCommit: f.commit,
    releasedOn: now.toISOString(),
  });
}

/** The git URI of a source, SPDX download-location style (git+https://…@commit), as SLSA examples write it. */
function gitUri(repository: string, commit?: string): string {
  const base = repository.startsWith('git+') || repository.startsWith('git://') ? repository : `git+${repository}`;
  return commit ? `${base}@${commit}` : base;
}

export function slsaPredicate(f: ReleaseFacts, now: Date): Record<string, unknown> {
  const resolved = f.repository ? [defined({ uri: gitUri(f.repository, f.commit), digest: f.commit ? { gitCommit: f.commit } : undefined })] : undefined;
  return {
    buildDefinition: defined({
      buildType: CPAN_BUILD_TYPE,
      externalParameters: defined({ distribution: f.distribution, version: f.version, author: f.author, source: f.repository ? gitUri(f.repository, f.commit) : undefined }),
      internalParameters: {},
      resolvedDependencies: resolved,
    }),
    runDetails: {
      builder: { id: f.builder ?? LOCAL_BUILDER },
      metadata: defined({ invocationId: f.invocation, startedOn: f.startedOn ?? now.toISOString(), finishedOn: now.toISOString() }),
    },
  };
}

/** The PAUSE author a statement's predicate names, if any. */
export function predicateAuthor(predicateType: string, predicate: Record<string, unknown>): string | undefined {
  const pick = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (predicateType === RELEASE_PREDICATE_V1) return pick(predicate.author);
  if (predicateType === SLSA_PROVENANCE_V1) {
    const def = predicate.buildDefinition as { externalParameters?: Record<string, unknown> } | undefined;
    return pick(def?.externalParameters?.author);
  }
  return undefined;
}
