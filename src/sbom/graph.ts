/**
 * What the project SBOMs (a snapshot, an installed tree) share: the empty project, resolving a
 * required module to the component that provides it, and the scope of everything the root reaches.
 */
import { addDependency, newComponent, scopeOfPrereq, strongerScope, weakerScope, type Prereq, type Sbom, type SbomComponent, type Scope, type SourceKind } from './model.js';
import { moduleComponent, type ModuleFacts } from './modules.js';

export interface ProjectRoot {
  name: string;
  version?: string;
  description?: string;
}

export function emptyProject(root: ProjectRoot, file: string, kind: SourceKind): Sbom {
  const c = newComponent({
    ref: `perl-project:${root.name}`,
    kind: 'project',
    name: root.name,
    ...(root.version ? { version: root.version } : {}),
    ...(root.description ? { description: root.description } : {}),
  });
  return { source: { file, kind }, root: c, components: [], dependencies: new Map([[c.ref, new Set()]]), properties: [] };
}

/** Resolves a module name to the component that satisfies it, creating module components on demand. */
export class Resolver {
  private readonly modules = new Map<string, SbomComponent>();
  private readonly byName: Map<string, SbomComponent>;

  constructor(
    private readonly sbom: Sbom,
    private readonly providers: Map<string, SbomComponent>,
    private readonly facts: ModuleFacts,
  ) {
    this.byName = new Map(sbom.components.filter((c) => c.kind === 'distribution').map((c) => [c.name, c]));
  }

  /** The component of the document that provides the module: by its provides, else by the index's module map. */
  find(module: string): SbomComponent | undefined {
    const provider = this.providers.get(module);
    if (provider) return provider;
    const dist = this.facts.distributionOf?.(module);
    return dist ? this.byName.get(dist) : undefined;
  }

  /** Whether the perl in question ships the module. */
  isCore(module: string): boolean {
    return this.facts.core?.(module)?.core === true;
  }

  /** find(), else the module's own component: core when perl ships it, else marked unresolved. */
  resolve(module: string): SbomComponent {
    const found = this.find(module);
    if (found) return found;
    let c = this.modules.get(module);
    if (!c) {
      c = moduleComponent(module, this.facts);
      // a requirement nothing in the project satisfies: perl's own module, or a hole
      if (!c.core?.core) c.properties.push(['cpan:unresolved', 'true']);
      this.modules.set(module, c);
      this.sbom.components.push(c);
    }
    return c;
  }
}

/** Per-edge prerequisites of a project whose records say which phase wanted what (an installed tree). */
export function addEdge(sbom: Sbom, from: SbomComponent, to: SbomComponent, prereq: Prereq): void {
  if (from.ref === to.ref) return;
  addDependency(sbom, from.ref, to.ref);
  sbom.edgePrereqs ??= new Map();
  let tos = sbom.edgePrereqs.get(from.ref);
  if (!tos) sbom.edgePrereqs.set(from.ref, (tos = new Map()));
  const list = tos.get(to.ref) ?? [];
  if (!list.some((p) => p.phase === prereq.phase && p.relationship === prereq.relationship && p.module === prereq.module && p.range === prereq.range)) list.push(prereq);
  tos.set(to.ref, list);
}

/**
 * Scope of everything reachable from the root: along a path the weakest scope wins (a test
 * dependency's own dependencies are test-only too, and so is what a distribution needs only to be
 * tested), across paths the strongest. An edge without recorded prerequisites passes the scope on.
 */
export function propagateScopes(sbom: Sbom): void {
  const byRef = new Map(sbom.components.map((c) => [c.ref, c]));
  const edgeScope = (from: string, to: string): Scope => {
    const prereqs = sbom.edgePrereqs?.get(from)?.get(to);
    if (!prereqs?.length) return 'required';
    return prereqs.reduce<Scope | undefined>((s, p) => strongerScope(s, scopeOfPrereq(p)), undefined)!;
  };
  const queue = [...(sbom.dependencies.get(sbom.root.ref) ?? [])];
  for (let head = 0; head < queue.length; head++) {
    const ref = queue[head]!;
    const from = byRef.get(ref);
    if (!from?.scope) continue;
    for (const to of sbom.dependencies.get(ref) ?? []) {
      const target = byRef.get(to);
      if (!target) continue;
      target.dependency ??= 'transitive';
      const scope = weakerScope(from.scope, edgeScope(ref, to));
      if (target.scope === undefined || strongerScope(target.scope, scope) !== target.scope) {
        target.scope = scope;
        queue.push(to);
      }
    }
  }
}
