/**
 * The SBOM of a Perl project: what it installs. From a Carton cpanfile.snapshot, every locked
 * distribution at its exact version with its CPAN path, and the graph its `requirements` record
 * (each required module resolved to the snapshot distribution that provides it); the cpanfile, when
 * there is one, says which are direct dependencies and in which phase. Without a snapshot, the
 * cpanfile's modules and ranges; from an installed tree, what is installed.
 */
import type { Dependency } from '../audit/index.js';
import type { Snapshot, SnapshotDistribution } from '../audit/sources/index.js';
import { cpanDownloadUrl } from './distribution.js';
import { addDependency, newComponent, weakerScope, type Sbom, type SbomComponent, type SourceKind } from './model.js';
import { addDirect, moduleComponent, moduleRef, prereqsOfDependencies, splitPrereqs, type ModuleFacts } from './modules.js';
import { cpanPurl } from './purl.js';

export interface ProjectRoot {
  name: string;
  version?: string;
  description?: string;
}

function emptyProject(root: ProjectRoot, file: string, kind: SourceKind): Sbom {
  const c = newComponent({
    ref: `perl-project:${root.name}`,
    kind: 'project',
    name: root.name,
    ...(root.version ? { version: root.version } : {}),
    ...(root.description ? { description: root.description } : {}),
  });
  return { source: { file, kind }, root: c, components: [], dependencies: new Map([[c.ref, new Set()]]), properties: [] };
}

function distributionComponent(d: SnapshotDistribution): SbomComponent {
  const purl = cpanPurl({ name: d.distribution, version: d.version, author: d.author });
  return newComponent({
    ref: purl,
    kind: 'distribution',
    name: d.distribution,
    ...(d.version ? { version: d.version } : {}),
    purl,
    ...(d.author ? { author: d.author } : {}),
    ...(d.pathname ? { pathname: d.pathname } : {}),
    externalReferences: d.pathname ? [{ type: 'distribution', url: cpanDownloadUrl(d.pathname) }] : [],
    provides: d.provides.map((p) => ({ module: p.module, ...(p.version ? { version: p.version } : {}) })),
  });
}

/** Resolves a module name to the component that satisfies it, creating module components on demand. */
class Resolver {
  private readonly modules = new Map<string, SbomComponent>();
  constructor(
    private readonly sbom: Sbom,
    private readonly providers: Map<string, SbomComponent>,
    private readonly facts: ModuleFacts,
  ) {}

  resolve(module: string): SbomComponent {
    const provider = this.providers.get(module);
    if (provider) return provider;
    let c = this.modules.get(module);
    if (!c) {
      c = moduleComponent(module, this.facts);
      // a requirement no locked distribution satisfies: perl's own module, or a hole in the snapshot
      if (!c.core?.core) c.properties.push(['cpan:unresolved', 'true']);
      this.modules.set(module, c);
      this.sbom.components.push(c);
    }
    return c;
  }
}

/**
 * Scope of everything reachable from the root: along a path the weakest scope wins (a test
 * dependency's own dependencies are test-only too), across paths the strongest.
 */
function propagateScopes(sbom: Sbom, byRef: Map<string, SbomComponent>): void {
  const queue = [...(sbom.dependencies.get(sbom.root.ref) ?? [])];
  while (queue.length) {
    const ref = queue.shift()!;
    const from = byRef.get(ref);
    if (!from?.scope) continue;
    for (const to of sbom.dependencies.get(ref) ?? []) {
      const target = byRef.get(to);
      if (!target) continue;
      target.dependency ??= 'transitive';
      if (target.scope === undefined || (target.scope !== from.scope && weakerScope(target.scope, from.scope) === target.scope)) {
        target.scope = from.scope;
        queue.push(to);
      }
    }
  }
}

export interface SnapshotInput extends ModuleFacts {
  snapshot: Snapshot;
  /** the project's cpanfile requirements, when it has one */
  cpanfile?: { file: string; dependencies: Dependency[] };
  root: ProjectRoot;
}

export function snapshotSbom(input: SnapshotInput): Sbom {
  const { snapshot } = input;
  const sbom = emptyProject(input.root, snapshot.file, 'snapshot');
  const providers = new Map<string, SbomComponent>();
  const byDistribution = new Map<SnapshotDistribution, SbomComponent>();
  for (const d of snapshot.distributions) {
    const c = distributionComponent(d);
    if (sbom.components.some((x) => x.ref === c.ref)) continue;
    sbom.components.push(c);
    sbom.dependencies.set(c.ref, new Set());
    byDistribution.set(d, c);
    for (const p of d.provides) if (!providers.has(p.module)) providers.set(p.module, c);
  }
  const resolver = new Resolver(sbom, providers, input);
  for (const [d, c] of byDistribution) {
    for (const r of d.requirements) {
      if (r.module === 'perl') {
        c.properties.push(['cpan:requires-perl', r.version]);
        continue;
      }
      addDependency(sbom, c.ref, resolver.resolve(r.module).ref);
    }
  }
  if (input.cpanfile) {
    sbom.properties.push(['cpan:cpanfile', input.cpanfile.file]);
    for (const p of splitPrereqs(sbom, prereqsOfDependencies(input.cpanfile.dependencies))) addDirect(sbom, resolver.resolve(p.module), p);
  } else {
    // no cpanfile: the direct dependencies are the distributions nothing else in the snapshot requires
    const required = new Set([...sbom.dependencies.entries()].filter(([from]) => from !== sbom.root.ref).flatMap(([, to]) => [...to]));
    for (const c of byDistribution.values()) {
      if (!required.has(c.ref)) addDirect(sbom, c, { phase: 'runtime', relationship: 'requires', module: c.provides[0]?.module ?? c.name, range: '0' });
    }
    sbom.properties.push(['cpan:direct-dependencies', 'inferred: the snapshot distributions no other one requires (no cpanfile)']);
  }
  propagateScopes(sbom, new Map(sbom.components.map((c) => [c.ref, c])));
  return sbom;
}

/** A project with a cpanfile and no snapshot: its requirements, unresolved. */
export function cpanfileSbom(input: ModuleFacts & { file: string; dependencies: Dependency[]; root: ProjectRoot }): Sbom {
  const sbom = emptyProject(input.root, input.file, 'cpanfile');
  const byModule = new Map<string, SbomComponent>();
  for (const p of splitPrereqs(sbom, prereqsOfDependencies(input.dependencies))) {
    let c = byModule.get(p.module);
    if (!c) {
      c = moduleComponent(p.module, input);
      byModule.set(p.module, c);
      sbom.components.push(c);
    }
    addDirect(sbom, c, p);
  }
  return sbom;
}

/** An installed module tree: the distributions cpanm recorded, and modules found without a record. */
export function installedSbom(input: ModuleFacts & { file: string; dependencies: Dependency[]; root: ProjectRoot }): Sbom {
  const sbom = emptyProject(input.root, input.file, 'installed');
  for (const d of input.dependencies) {
    let c: SbomComponent;
    if (d.kind === 'distribution') {
      const author = d.pathname ? /^(?:authors\/id\/)?[A-Z]\/[A-Z]{2}\/([A-Z][-A-Z0-9]*)\//.exec(d.pathname)?.[1] : undefined;
      const purl = cpanPurl({ name: d.name, version: d.version, author });
      c = newComponent({
        ref: purl,
        kind: 'distribution',
        name: d.name,
        ...(d.version ? { version: d.version } : {}),
        purl,
        ...(author ? { author } : {}),
        ...(d.pathname ? { pathname: d.pathname, externalReferences: [{ type: 'distribution', url: cpanDownloadUrl(d.pathname) }] } : {}),
      });
    } else {
      c = moduleComponent(d.name, input);
      c.ref = `${moduleRef(d.name)}@${d.version ?? ''}`;
      if (d.version) c.version = d.version;
    }
    c.properties.push(['cpan:installed-from', d.source.file]);
    if (sbom.components.some((x) => x.ref === c.ref)) continue;
    sbom.components.push(c);
    // installed, so present; which phase wanted it the tree does not say
    addDependency(sbom, sbom.root.ref, c.ref);
    c.dependency = 'direct';
  }
  return sbom;
}
