/**
 * Components for Perl modules named by requirements (META prereqs, cpanfile lines, snapshot
 * requirements no distribution provides): one component per module, whatever number of
 * requirements name it, marked core when perl ships it.
 */
import type { Dependency } from '../audit/index.js';
import type { CpanMeta } from '../perl/index.js';
import { addDependency, newComponent, scopeOfPrereq, strongerScope, type Prereq, type Sbom, type SbomComponent } from './model.js';

/** What the generator may know of a module besides its name (injected: the data lives elsewhere). */
export interface ModuleFacts {
  /** Module::CoreList: shipped with perl, and whether it is dual-life */
  core?: (module: string) => { core: boolean; dualLife: boolean; since?: string } | undefined;
  /** the CPAN distribution a module belongs to, when some database knows it */
  distributionOf?: (module: string) => string | undefined;
}

export const moduleRef = (module: string): string => `perl-module:${module}`;

export function moduleComponent(module: string, facts: ModuleFacts): SbomComponent {
  const c = newComponent({ ref: moduleRef(module), kind: 'module', name: module });
  const core = facts.core?.(module);
  if (core) c.core = core;
  const dist = facts.distributionOf?.(module);
  if (dist) c.properties.push(['cpan:distribution', dist]);
  return c;
}

/** The prerequisites of a META file or cpanfile as Prereq values. */
export function prereqsOfMeta(meta: CpanMeta): Prereq[] {
  return meta.prereqs.map((p) => ({ phase: p.phase, relationship: p.relationship, module: p.module, range: p.range, ...(p.feature ? { feature: p.feature } : {}) }));
}

/** The cpanfile options that say where a module is fetched from (cpanm's), kept on a prerequisite. */
const FETCH_OPTIONS = ['dist', 'mirror', 'url', 'git', 'ref'] as const;

function fetchOptions(d: Dependency): Prereq['options'] {
  const picked = FETCH_OPTIONS.filter((k) => d.options?.[k] !== undefined).map((k) => [k, d.options![k]!] as const);
  return picked.length ? Object.fromEntries(picked) : undefined;
}

export function prereqsOfDependencies(deps: Dependency[]): Prereq[] {
  return deps.map((d) => {
    const options = fetchOptions(d);
    return {
      phase: d.phase ?? 'runtime',
      relationship: d.relationship ?? 'requires',
      module: d.name,
      range: d.range ?? d.version ?? '0',
      ...(d.feature ? { feature: d.feature } : {}),
      ...(options ? { options } : {}),
    };
  });
}

/**
 * Record that the root requires `target` through `prereq`: the edge, the prerequisite, and the
 * strongest scope any of its prerequisites gives.
 */
export function addDirect(sbom: Sbom, target: SbomComponent, prereq: Prereq): void {
  addDependency(sbom, sbom.root.ref, target.ref);
  target.prereqs.push(prereq);
  target.scope = strongerScope(target.scope, scopeOfPrereq(prereq));
  target.dependency = 'direct';
  // a cpanfile's source for it: the repository or URL it is fetched from
  const o = prereq.options ?? {};
  if (o.git && !target.externalReferences.some((r) => r.url === o.git)) target.externalReferences.push({ type: 'vcs', url: o.git });
  if (o.url && !target.externalReferences.some((r) => r.url === o.url)) target.externalReferences.push({ type: 'distribution', url: o.url });
  for (const [k, v] of Object.entries(o)) target.properties.push(['cpan:prereq-option', `${k}=${v}`]);
}

/**
 * Split the root's prerequisites: `perl` itself and conflicts become root properties (neither is a
 * component the root contains); the rest are returned to be resolved to components.
 */
export function splitPrereqs(sbom: Sbom, prereqs: Prereq[]): Prereq[] {
  const rest: Prereq[] = [];
  for (const p of prereqs) {
    if (p.module === 'perl') sbom.root.properties.push(['cpan:requires-perl', `${p.phase} ${p.relationship} ${p.range}`]);
    else if (p.relationship === 'conflicts') sbom.root.properties.push(['cpan:conflicts', `${p.phase} ${p.module} ${p.range}`]);
    else rest.push(p);
  }
  return rest;
}

/**
 * The root's prerequisites, unresolved (a META file, a cpanfile without a snapshot): one module
 * component per module, whatever number of prerequisites name it, each a direct dependency.
 */
export function addModulePrereqs(sbom: Sbom, prereqs: Prereq[], facts: ModuleFacts): void {
  const byModule = new Map<string, SbomComponent>();
  for (const p of splitPrereqs(sbom, prereqs)) {
    let c = byModule.get(p.module);
    if (!c) {
      c = moduleComponent(p.module, facts);
      byModule.set(p.module, c);
      sbom.components.push(c);
    }
    addDirect(sbom, c, p);
  }
}
