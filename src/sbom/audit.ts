/**
 * `--with-vulnerabilities` and the audit's VEX: run the audit over an Sbom's components (or take an
 * audit's result) and attach the findings as vulnerabilities linked to the components by ref.
 */
import path from 'node:path';
import { auditDependencies, type AuditOptions, type AuditResult, type Dependency, type Finding } from '../audit/index.js';
import { readSources } from '../audit/sources/index.js';
import type { VulnerabilityIndex } from '../index/index.js';
import { toCycloneDx, type DocumentOptions } from './cyclonedx.js';
import { addDependency, newComponent, type Sbom, type SbomComponent } from './model.js';
import { moduleRef } from './modules.js';
import { cpanPurl } from '../perl/index.js';
import { vulnerabilitiesOf } from './vulnerabilities.js';
import { displayPath } from './paths.js';
import { withSerial } from './render.js';

/** The dependencies the audit is given for each component: an exact release, or each requirement range. */
function dependenciesOf(c: SbomComponent, file: string): Dependency[] {
  if (c.kind === 'distribution' && c.version) {
    return [{ name: c.name, kind: 'distribution', distribution: c.name, version: c.version, distributionVersion: c.version, ...(c.pathname ? { pathname: c.pathname } : {}), source: { file } }];
  }
  if (c.kind !== 'module') return [];
  if (c.version) return [{ name: c.name, kind: 'module', version: c.version, source: { file } }];
  // a module no locked distribution provides comes with perl: like `audit deps`, judge it by every
  // requirement on it at once
  const ranges = [...new Set(c.prereqs.map((p) => p.range).filter((r) => r !== '0' && r !== ''))];
  return [{ name: c.name, kind: 'module', range: ranges.length ? ranges.join(', ') : '0', source: { file } }];
}

/** The advisory database as a document names it: a URL or 'bundled' as is, a local file by its name. */
function databaseName(source: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || !source.includes('/') ? source : path.basename(source);
}

/** Audit every component of the Sbom and record the vulnerabilities found; returns the audit. */
export function addVulnerabilities(sbom: Sbom, index: VulnerabilityIndex, options: AuditOptions): AuditResult {
  const refs = new Map<Dependency, string>();
  // the distribution the document describes is the first thing its consumer checks
  if (sbom.root.kind === 'distribution') for (const d of dependenciesOf(sbom.root, sbom.source.file)) refs.set(d, sbom.root.ref);
  if (sbom.source.kind === 'snapshot') {
    // a lock is judged exactly as `audit deps` judges it: the same dependencies, each linked to its component
    const byName = new Map(sbom.components.map((c) => [`${c.kind}:${c.name}`, c.ref]));
    for (const d of readSources(sbom.source.file).dependencies) {
      const ref = byName.get(d.kind === 'distribution' ? `distribution:${d.distribution ?? d.name}` : `module:${d.name}`);
      if (ref) refs.set(d, ref);
    }
  } else {
    // an installed tree is judged by what is there, as `audit installed` judges it
    const exactOnly = sbom.source.kind === 'installed';
    for (const c of sbom.components) {
      for (const d of dependenciesOf(c, sbom.source.file)) if (!exactOnly || d.version !== undefined) refs.set(d, c.ref);
    }
  }
  const result = auditDependencies([...refs.keys()], index, options);
  sbom.vulnerabilities = vulnerabilitiesOf(result, (d) => refs.get(d));
  sbom.properties.push(['cpan:advisory-database', databaseName(result.database.source)]);
  return result;
}

function findingComponent(f: Finding, base: string): SbomComponent {
  const dist = f.distribution;
  const author = f.sources.map((s) => s.pathname && /^(?:authors\/id\/)?[A-Z]\/[A-Z]{2}\/([A-Z][-A-Z0-9]*)\//.exec(s.pathname)?.[1]).find(Boolean) ?? undefined;
  if (dist && dist !== 'perl' && !dist.includes('::')) {
    const purl = f.version !== undefined ? cpanPurl({ name: dist, version: f.version, author }) : undefined;
    return newComponent({
      // a bom-ref is an identifier: no spaces (consumers split on them), the range percent-encoded
      ref: purl ?? `cpan-distribution:${dist}${f.range !== undefined ? `?range=${encodeURIComponent(f.range)}` : ''}`,
      kind: 'distribution',
      name: dist,
      ...(f.version !== undefined ? { version: f.version } : {}),
      ...(purl ? { purl } : {}),
      ...(author ? { author } : {}),
      properties: [...(f.range !== undefined ? ([['cpan:requirement', f.range]] as [string, string][]) : []), ...f.sources.map((s): [string, string] => ['cpan:found-in', `${displayPath(s.source.file, base)}${s.source.line ? `:${s.source.line}` : ''}`])],
    });
  }
  const ref = `${moduleRef(f.name)}${f.version ? `@${f.version}` : f.range !== undefined ? `?range=${encodeURIComponent(f.range)}` : ''}`;
  return newComponent({ ref, kind: 'module', name: f.name, ...(f.version ? { version: f.version } : {}) });
}

/**
 * A CycloneDX VEX of an audit: the audited project, the components with advisories, and one
 * vulnerability per advisory with its analysis (in_triage when it applies, not_affected when an
 * ignore rule with a reason says so).
 */
export function auditVex(result: AuditResult, options: Omit<DocumentOptions, 'serialNumber'> & { projectName?: string; serialNumber?: string }): Record<string, unknown> {
  const first = result.inputs[0];
  // paths are shown relative to the project: no directory of this machine in the document
  const base = first && !first.startsWith('<') ? path.dirname(path.resolve(first)) : '.';
  const name = options.projectName ?? (first && !first.startsWith('<') ? path.basename(base) : 'audit');
  const root = newComponent({ ref: `perl-project:${name.replace(/\s+/g, '-')}`, kind: 'project', name });
  const display = result.inputs.map((i) => displayPath(i, base)).join(', ') || '<none>';
  const sbom: Sbom = { source: { file: display, kind: 'snapshot', display }, root, components: [], dependencies: new Map([[root.ref, new Set()]]), properties: [] };
  const refs = new Map<Dependency, string>();
  for (const f of result.findings) {
    if (f.advisories.length === 0) continue;
    const c = findingComponent(f, base);
    if (!sbom.components.some((x) => x.ref === c.ref)) {
      sbom.components.push(c);
      addDependency(sbom, root.ref, c.ref);
    }
    for (const s of f.sources) refs.set(s, c.ref);
  }
  sbom.vulnerabilities = vulnerabilitiesOf(result, (d) => refs.get(d), { vex: true, base });
  sbom.properties.push(['cpan:advisory-database', databaseName(result.database.source)], ['cpan:vex', 'cpansec audit']);
  const doc = withSerial(options.serialNumber, (serialNumber) => toCycloneDx(sbom, { ...options, ...(serialNumber ? { serialNumber } : {}), specVersion: '1.6' }));
  // the source of a VEX is the audit, not one file kind
  const meta = doc.metadata as { properties?: { name: string; value: string }[] };
  meta.properties = (meta.properties ?? []).filter((p) => p.name !== 'cpan:source-kind').map((p) => (p.name === 'cpan:source-file' ? { name: 'cpan:audited', value: p.value } : p));
  return doc;
}
