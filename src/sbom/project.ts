/**
 * The SBOM of a Perl project: what it installs. From a Carton cpanfile.snapshot, every locked
 * distribution at its exact version with its CPAN path, and the graph its `requirements` record
 * (each required module resolved to the snapshot distribution that provides it); the cpanfile, when
 * there is one, says which are direct dependencies and in which phase. Without a snapshot, the
 * cpanfile's modules and ranges. (An installed tree is installed.ts.)
 */
import type { Dependency } from '../audit/index.js';
import type { Snapshot, SnapshotDistribution } from '../audit/sources/index.js';
import { cpanDownloadUrl } from './distribution.js';
import { emptyProject, propagateScopes, Resolver, type ProjectRoot } from './graph.js';
import { addDependency, newComponent, type Sbom, type SbomComponent } from './model.js';
import { addDirect, addModulePrereqs, prereqsOfDependencies, splitPrereqs, type ModuleFacts } from './modules.js';
import { cpanPurl } from '../perl/index.js';

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
  // linear: a snapshot may hold thousands of distributions
  const known = new Set<string>();
  for (const d of snapshot.distributions) {
    const c = distributionComponent(d);
    if (known.has(c.ref)) continue;
    known.add(c.ref);
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
  propagateScopes(sbom);
  return sbom;
}

/** A project with a cpanfile and no snapshot: its requirements, unresolved. */
export function cpanfileSbom(input: ModuleFacts & { file: string; dependencies: Dependency[]; root: ProjectRoot }): Sbom {
  const sbom = emptyProject(input.root, input.file, 'cpanfile');
  addModulePrereqs(sbom, prereqsOfDependencies(input.dependencies), input);
  return sbom;
}
