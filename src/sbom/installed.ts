/**
 * The SBOM of an installed module tree (`local/`, `local/lib/perl5`): each distribution cpanm
 * recorded, at its exact version, with its CPAN path, provided modules and (from its MYMETA.json)
 * licence, abstract and resources; modules found without a record at the version read from the
 * file. The graph comes from each distribution's MYMETA prerequisites, each required module
 * resolved to what provides it in the tree (install.json `provides`, else the index's module map),
 * with the phase of every edge kept. The project's cpanfile (or META) beside the tree names the
 * direct dependencies; without one, they are what nothing else in the tree requires.
 */
import type { Dependency } from '../audit/index.js';
import { cpanPurl, metaLicense } from '../perl/index.js';
import { cpanDownloadUrl, resources } from './distribution.js';
import { addEdge, emptyProject, propagateScopes, Resolver, type ProjectRoot } from './graph.js';
import type { InstallRecord } from './install-records.js';
import { addDependency, newComponent, type Prereq, type Sbom, type SbomComponent } from './model.js';
import { addDirect, moduleComponent, moduleRef, prereqsOfMeta, splitPrereqs, type ModuleFacts } from './modules.js';

export interface InstalledInput extends ModuleFacts {
  /** the module tree that was read */
  file: string;
  records: InstallRecord[];
  /** modules found in the tree without an install record (the audit's reader of .pm files) */
  modules: Dependency[];
  /** the project's own requirements (its cpanfile or META), when it has them */
  direct?: { file: string; prereqs: Prereq[] };
  root: ProjectRoot;
}

function recordComponent(r: InstallRecord): SbomComponent {
  const purl = cpanPurl({ name: r.distribution, version: r.version, author: r.author });
  const m = r.mymeta;
  const c = newComponent({
    ref: purl,
    kind: 'distribution',
    name: r.distribution,
    ...(r.version ? { version: r.version } : {}),
    purl,
    ...(r.author ? { author: r.author } : {}),
    ...(r.pathname ? { pathname: r.pathname } : {}),
    ...(m?.abstract && m.abstract !== 'unknown' ? { description: m.abstract } : {}),
    ...(m ? { license: metaLicense(m.license), authors: m.author.filter((a) => a.trim() !== '' && a !== 'unknown') } : {}),
    externalReferences: [...(m ? resources(m) : []), ...(r.pathname ? [{ type: 'distribution' as const, url: cpanDownloadUrl(r.pathname) }] : [])],
    provides: r.provides,
  });
  c.properties.push(['cpan:installed-from', r.dir]);
  if (r.mainModule) c.properties.push(['cpan:main-module', `${r.mainModule.module}${r.mainModule.version ? ` ${r.mainModule.version}` : ''}`]);
  return c;
}

function looseComponent(d: Dependency, facts: ModuleFacts): SbomComponent {
  const c = moduleComponent(d.name, facts);
  c.ref = `${moduleRef(d.name)}@${d.version ?? ''}`;
  if (d.version) c.version = d.version;
  c.properties.push(['cpan:installed-from', d.source.file]);
  return c;
}

/** What an installed distribution's MYMETA requires, as edges to what satisfies it in the tree. */
function addRecordedEdges(sbom: Sbom, from: SbomComponent, r: InstallRecord, resolver: Resolver): void {
  for (const p of r.mymeta ? prereqsOfMeta(r.mymeta) : []) {
    if (p.relationship === 'conflicts') continue;
    if (p.module === 'perl') {
      from.properties.push(['cpan:requires-perl', `${p.phase} ${p.relationship} ${p.range}`]);
      continue;
    }
    // present in the tree (or in perl): an edge whatever the phase. Absent: a hole only when the
    // installed code needs it to run; a test or develop prerequisite need not have been installed
    // (cpanm --notest), nor an optional one
    const needed = p.phase === 'runtime' && p.relationship === 'requires' && !p.feature;
    const target = resolver.find(p.module) ?? (needed || resolver.isCore(p.module) ? resolver.resolve(p.module) : undefined);
    if (target) addEdge(sbom, from, target, p);
  }
}

export function installedSbom(input: InstalledInput): Sbom {
  const sbom = emptyProject(input.root, input.file, 'installed');
  const providers = new Map<string, SbomComponent>();
  const recorded: [InstallRecord, SbomComponent][] = [];
  // linear: a tree may hold thousands of distributions
  const known = new Set<string>();
  for (const r of input.records) {
    const c = recordComponent(r);
    if (known.has(c.ref)) continue;
    known.add(c.ref);
    sbom.components.push(c);
    recorded.push([r, c]);
    for (const p of r.provides) if (!providers.has(p.module)) providers.set(p.module, c);
  }
  const loose: SbomComponent[] = [];
  for (const d of input.modules) {
    // a module file of a recorded distribution is that distribution
    if (d.kind !== 'module' || providers.has(d.name)) continue;
    const c = looseComponent(d, input);
    if (known.has(c.ref)) continue;
    known.add(c.ref);
    sbom.components.push(c);
    loose.push(c);
  }
  for (const c of loose) if (!providers.has(c.name)) providers.set(c.name, c);

  const resolver = new Resolver(sbom, providers, input);
  for (const [r, c] of recorded) addRecordedEdges(sbom, c, r, resolver);

  const installed = [...recorded.map(([, c]) => c), ...loose];
  if (input.direct) {
    sbom.properties.push(['cpan:direct-from', input.direct.file]);
    for (const p of splitPrereqs(sbom, input.direct.prereqs)) addDirect(sbom, resolver.resolve(p.module), p);
  } else {
    // the tree records no project: what nothing installed requires was installed for itself
    const required = new Set([...sbom.dependencies.entries()].filter(([from]) => from !== sbom.root.ref).flatMap(([, to]) => [...to]));
    for (const c of installed) if (!required.has(c.ref)) addInferred(sbom, c);
    // …and a cycle that nothing else requires is reached through one of its members
    let seen = reachable(sbom);
    for (const c of installed) {
      if (seen.has(c.ref)) continue;
      addInferred(sbom, c);
      seen = reachable(sbom);
    }
    sbom.properties.push(['cpan:direct-dependencies', 'inferred: the installed components nothing else installed requires (no cpanfile or META beside the tree)']);
  }
  propagateScopes(sbom);
  return sbom;
}

function addInferred(sbom: Sbom, c: SbomComponent): void {
  addDependency(sbom, sbom.root.ref, c.ref);
  c.dependency = 'direct';
  c.scope = 'required';
}

function reachable(sbom: Sbom): Set<string> {
  const seen = new Set<string>();
  const stack = [sbom.root.ref];
  while (stack.length) {
    const ref = stack.pop()!;
    for (const to of sbom.dependencies.get(ref) ?? []) {
      if (!seen.has(to)) {
        seen.add(to);
        stack.push(to);
      }
    }
  }
  return seen;
}
