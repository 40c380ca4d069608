/**
 * `cpansec sbom diff A B`: the components added, removed, or changed in version or licence between
 * two SBOMs (CycloneDX or SPDX, in any mix). Components are matched by their purl without version
 * and qualifiers, else by name; the described component (the root) is compared on its own.
 */
import { PackageURL } from 'packageurl-js';
import { CpansecError } from '../errors.js';
import { detectFormat } from './validate.js';

export interface DiffComponent {
  key: string;
  name: string;
  version?: string;
  license?: string;
}

export interface SbomDiff {
  root?: { from: DiffComponent; to: DiffComponent; changes: ('version' | 'license' | 'name')[] };
  added: DiffComponent[];
  removed: DiffComponent[];
  changed: { from: DiffComponent; to: DiffComponent; changes: ('version' | 'license')[] }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A package's identity, whatever form its purl takes: the purl parsed and normalised by
 * packageurl-js, without version, qualifiers and subpath. A CPAN distribution is its name: the
 * author (the legacy namespace `pkg:cpan/ETHER/Try-Tiny` or the preferred `?author=ETHER`) says who
 * released it, not what it is, so both forms, and a release by a co-maintainer, match.
 */
export function packageIdentity(name: string, purl: unknown): string {
  if (typeof purl !== 'string' || !purl.startsWith('pkg:')) return name;
  try {
    const p = PackageURL.fromString(purl);
    if (p.type === 'cpan') return `pkg:cpan/${p.name}`;
    return new PackageURL(p.type, p.namespace, p.name, undefined, undefined, undefined).toString();
  } catch {
    return purl.replace(/[@?#].*$/, '');
  }
}
const keyOf = packageIdentity;

function cdxLicense(c: Obj): string | undefined {
  if (!Array.isArray(c.licenses)) return undefined;
  const parts = c.licenses.filter(isObj).map((l) => {
    if (typeof l.expression === 'string') return l.expression;
    const lic = isObj(l.license) ? l.license : {};
    return String(lic.id ?? lic.name ?? '');
  });
  return parts.filter(Boolean).sort().join(' AND ') || undefined;
}

function cdxComponent(c: Obj): DiffComponent {
  const name = `${typeof c.group === 'string' && c.group ? `${c.group}/` : ''}${String(c.name ?? '')}`;
  const license = cdxLicense(c);
  return { key: keyOf(name, c.purl), name, ...(typeof c.version === 'string' ? { version: c.version } : {}), ...(license ? { license } : {}) };
}

function spdxComponent(p: Obj): DiffComponent {
  const name = String(p.name ?? '');
  const purl = Array.isArray(p.externalRefs) ? p.externalRefs.filter(isObj).find((r) => r.referenceType === 'purl')?.referenceLocator : undefined;
  const declared = typeof p.licenseDeclared === 'string' && !['NOASSERTION', 'NONE'].includes(p.licenseDeclared) ? p.licenseDeclared : undefined;
  return { key: keyOf(name, purl), name, ...(typeof p.versionInfo === 'string' ? { version: p.versionInfo } : {}), ...(declared ? { license: declared } : {}) };
}

/** The root and the other components of a parsed SBOM. */
export function sbomComponents(doc: unknown, file: string): { root?: DiffComponent; components: DiffComponent[] } {
  const detected = detectFormat(doc);
  if (!detected) throw new CpansecError('PARSE_ERROR', 'not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)', { file });
  const d = doc as Obj;
  if (detected.format === 'CycloneDX') {
    const out: DiffComponent[] = [];
    const visit = (list: unknown) => {
      if (!Array.isArray(list)) return;
      for (const c of list.filter(isObj)) {
        out.push(cdxComponent(c));
        visit(c.components);
      }
    };
    visit(d.components);
    const root = isObj(d.metadata) && isObj(d.metadata.component) ? cdxComponent(d.metadata.component) : undefined;
    return { ...(root ? { root } : {}), components: out };
  }
  const described = new Set<string>(Array.isArray(d.documentDescribes) ? d.documentDescribes.map(String) : []);
  if (Array.isArray(d.relationships)) {
    for (const r of d.relationships.filter(isObj)) if (r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES') described.add(String(r.relatedSpdxElement));
  }
  const packages = Array.isArray(d.packages) ? d.packages.filter(isObj) : [];
  const rootPkg = packages.find((p) => described.has(String(p.SPDXID)));
  return { ...(rootPkg ? { root: spdxComponent(rootPkg) } : {}), components: packages.filter((p) => p !== rootPkg).map(spdxComponent) };
}

/** Components by key; a key seen twice (two versions of one thing) gets its version appended. */
function index(list: DiffComponent[]): Map<string, DiffComponent> {
  const m = new Map<string, DiffComponent>();
  for (const c of list) {
    const key = m.has(c.key) ? `${c.key}@${c.version ?? ''}` : c.key;
    m.set(key, { ...c, key });
  }
  return m;
}

export function diffSboms(a: unknown, b: unknown, files: [string, string] = ['A', 'B']): SbomDiff {
  const left = sbomComponents(a, files[0]);
  const right = sbomComponents(b, files[1]);
  const l = index(left.components);
  const r = index(right.components);
  const diff: SbomDiff = { added: [], removed: [], changed: [] };
  for (const [key, c] of r) if (!l.has(key)) diff.added.push(c);
  for (const [key, c] of l) if (!r.has(key)) diff.removed.push(c);
  for (const [key, from] of l) {
    const to = r.get(key);
    if (!to) continue;
    const changes: ('version' | 'license')[] = [];
    if ((from.version ?? '') !== (to.version ?? '')) changes.push('version');
    if ((from.license ?? '') !== (to.license ?? '')) changes.push('license');
    if (changes.length) diff.changed.push({ from, to, changes });
  }
  if (left.root && right.root) {
    const changes: ('version' | 'license' | 'name')[] = [];
    if (left.root.name !== right.root.name) changes.push('name');
    if ((left.root.version ?? '') !== (right.root.version ?? '')) changes.push('version');
    if ((left.root.license ?? '') !== (right.root.license ?? '')) changes.push('license');
    if (changes.length) diff.root = { from: left.root, to: right.root, changes };
  }
  const byName = (x: DiffComponent, y: DiffComponent) => x.name.localeCompare(y.name) || x.key.localeCompare(y.key);
  diff.added.sort(byName);
  diff.removed.sort(byName);
  diff.changed.sort((x, y) => byName(x.from, y.from));
  return diff;
}

export function isEmptyDiff(d: SbomDiff): boolean {
  return !d.root && d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

const show = (c: DiffComponent) => `${c.name}${c.version ? ` ${c.version}` : ''}`;

export function diffToText(d: SbomDiff): string {
  const lines: string[] = [];
  if (d.root) {
    const parts = d.root.changes.map((k) => (k === 'license' ? `licence ${d.root!.from.license ?? 'none'} -> ${d.root!.to.license ?? 'none'}` : `${k} ${(k === 'name' ? d.root!.from.name : d.root!.from.version) ?? 'none'} -> ${(k === 'name' ? d.root!.to.name : d.root!.to.version) ?? 'none'}`));
    lines.push(`Described component: ${show(d.root.from)}: ${parts.join('; ')}`);
  }
  lines.push(`Added (${d.added.length})`, ...d.added.map((c) => `  + ${show(c)}${c.license ? ` [${c.license}]` : ''}`));
  lines.push(`Removed (${d.removed.length})`, ...d.removed.map((c) => `  - ${show(c)}${c.license ? ` [${c.license}]` : ''}`));
  lines.push(`Changed (${d.changed.length})`);
  for (const c of d.changed) {
    const parts = c.changes.map((k) => (k === 'version' ? `${c.from.version ?? 'none'} -> ${c.to.version ?? 'none'}` : `licence ${c.from.license ?? 'none'} -> ${c.to.license ?? 'none'}`));
    lines.push(`  ~ ${c.from.name}: ${parts.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}
