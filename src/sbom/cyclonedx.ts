/**
 * An Sbom as a CycloneDX JSON document (1.6 by default; 1.5 and 1.4 on request), built with the
 * CycloneDX library's models and its normaliser, which sorts lists (stable output) and drops what an
 * older spec version cannot hold. The one 1.6 field the library does not model, component
 * `authors`, is added to its output.
 */
import { randomUUID } from 'node:crypto';
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { CpansecError } from '../errors.js';
import type { Sbom, SbomComponent, SbomVulnerability } from './model.js';
import { componentProperties, splitAuthor } from './properties.js';

export type CycloneDxVersion = '1.4' | '1.5' | '1.6';
export const CYCLONEDX_VERSIONS: readonly CycloneDxVersion[] = ['1.6', '1.5', '1.4'];

export interface DocumentOptions {
  /** the clock (tests inject one) */
  now?: () => Date;
  /** a random UUID by default */
  serialNumber?: string;
  toolVersion: string;
}

export interface CycloneDxOptions extends DocumentOptions {
  specVersion?: CycloneDxVersion;
}

const SPECS = { '1.4': Spec.Spec1dot4, '1.5': Spec.Spec1dot5, '1.6': Spec.Spec1dot6 } as const;
const REF_TYPES = {
  vcs: Enums.ExternalReferenceType.VCS,
  'issue-tracker': Enums.ExternalReferenceType.IssueTracker,
  website: Enums.ExternalReferenceType.Website,
  distribution: Enums.ExternalReferenceType.Distribution,
  license: Enums.ExternalReferenceType.License,
  'mailing-list': Enums.ExternalReferenceType.MailingList,
  chat: Enums.ExternalReferenceType.Chat,
} as const;
const METHODS = { CVSSv3: Enums.Vulnerability.RatingMethod.CVSSv3, CVSSv31: Enums.Vulnerability.RatingMethod.CVSSv31, CVSSv4: Enums.Vulnerability.RatingMethod.CVSSv4, other: Enums.Vulnerability.RatingMethod.Other };

function component(c: SbomComponent): Models.Component {
  const type = (c.type ?? (c.kind === 'project' ? 'application' : 'library')) as Enums.ComponentType;
  const m = new Models.Component(type, c.name, {
    bomRef: c.ref,
    ...(c.version ? { version: c.version } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    ...(c.description ? { description: c.description } : {}),
    ...(c.author ? { publisher: c.author } : {}),
    ...(c.authors?.length ? { author: c.authors.join(', ') } : {}),
    ...(c.scope ? { scope: c.scope as Enums.ComponentScope } : {}),
  });
  // NTIA "supplier name": the PAUSE account that released the distribution to CPAN
  if (c.author) m.supplier = new Models.OrganizationalEntity({ name: c.author, url: new Set([`https://metacpan.org/author/${encodeURIComponent(c.author)}`]) });
  if (c.license?.expression) m.licenses.add(new Models.LicenseExpression(c.license.expression));
  else for (const n of c.license?.names ?? []) if (n !== 'unknown') m.licenses.add(new Models.NamedLicense(`CPAN::Meta ${n}`));
  if (c.hashes) {
    m.hashes.set(Enums.HashAlgorithm['SHA-256'], c.hashes['SHA-256']);
    m.hashes.set(Enums.HashAlgorithm['SHA-512'], c.hashes['SHA-512']);
  }
  for (const r of c.externalReferences) m.externalReferences.add(new Models.ExternalReference(r.url, REF_TYPES[r.type]));
  for (const [name, value] of componentProperties(c)) m.properties.add(new Models.Property(name, value));
  return m;
}

function vulnerability(v: SbomVulnerability, refs: Map<string, Models.Component>): Models.Vulnerability.Vulnerability {
  const V = Models.Vulnerability;
  const m = new V.Vulnerability({
    bomRef: `vulnerability:${v.id}`,
    id: v.id,
    source: new V.Source({ name: 'CPANSA', url: 'https://github.com/briandfoy/cpan-security-advisory' }),
    description: v.description,
    ...(v.recommendation ? { recommendation: v.recommendation } : {}),
    ...(v.published && /^\d{4}-\d{2}-\d{2}$/.test(v.published) ? { published: new Date(`${v.published}T00:00:00Z`) } : {}),
  });
  for (const alias of v.aliases) {
    const source = alias.startsWith('CVE-')
      ? new V.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${alias}` })
      : alias.startsWith('GHSA-')
        ? new V.Source({ name: 'GitHub', url: `https://github.com/advisories/${alias}` })
        : new V.Source({ name: 'CPANSA' });
    m.references.add(new V.Reference(alias, source));
  }
  for (const r of v.ratings) {
    m.ratings.add(
      new V.Rating({
        method: METHODS[r.method],
        ...(r.vector ? { vector: r.vector } : {}),
        ...(r.score !== undefined ? { score: r.score } : {}),
        ...(r.severity ? { severity: r.severity as Enums.Vulnerability.Severity } : {}),
      }),
    );
  }
  for (const url of v.references) if (/^https?:\/\//.test(url)) m.advisories.add(new V.Advisory(url));
  for (const a of v.affects) {
    const target = refs.get(a.ref);
    if (!target) continue;
    m.affects.add(
      new V.Affect(target.bomRef, a.version ? { versions: new V.AffectedVersionRepository([new V.AffectedSingleVersion(a.version, { status: Enums.Vulnerability.AffectStatus.Affected })]) } : {}),
    );
  }
  if (v.analysis) {
    m.analysis = new V.Analysis({
      state: v.analysis.state as Enums.Vulnerability.AnalysisState,
      ...(v.analysis.justification ? { justification: v.analysis.justification as Enums.Vulnerability.AnalysisJustification } : {}),
      ...(v.analysis.detail ? { detail: v.analysis.detail } : {}),
    });
    for (const r of v.analysis.response ?? []) m.analysis.response.add(r as Enums.Vulnerability.AnalysisResponse);
  }
  return m;
}

export function toCycloneDx(sbom: Sbom, options: CycloneDxOptions): Record<string, unknown> {
  const version = options.specVersion ?? '1.6';
  const spec = SPECS[version];
  if (!spec) throw new CpansecError('USAGE', `CycloneDX ${String(version)} is not supported (${CYCLONEDX_VERSIONS.join(', ')})`);
  const root = component(sbom.root);
  const models = new Map<string, Models.Component>([[sbom.root.ref, root]]);
  for (const c of sbom.components) models.set(c.ref, component(c));
  for (const [from, tos] of sbom.dependencies) {
    const source = models.get(from);
    for (const to of tos) {
      const target = models.get(to);
      if (source && target) source.dependencies.add(target.bomRef);
    }
  }
  const tool = new Models.Component(Enums.ComponentType.Application, 'cpansec', { version: options.toolVersion, bomRef: 'tool:cpansec' });
  tool.externalReferences.add(new Models.ExternalReference('https://github.com/CPAN-Security', Enums.ExternalReferenceType.Website));
  const bom = new Models.Bom({
    serialNumber: options.serialNumber ?? `urn:uuid:${randomUUID()}`,
    metadata: new Models.Metadata({
      timestamp: (options.now ?? (() => new Date()))(),
      component: root,
      tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
    }),
  });
  bom.metadata.properties.add(new Models.Property('cpan:source-kind', sbom.source.kind));
  bom.metadata.properties.add(new Models.Property('cpan:source-file', sbom.source.display ?? sbom.source.file));
  for (const [n, v] of sbom.properties) bom.metadata.properties.add(new Models.Property(n, v));
  for (const c of sbom.components) bom.components.add(models.get(c.ref)!);
  for (const v of sbom.vulnerabilities ?? []) bom.vulnerabilities.add(vulnerability(v, models));
  // through JSON: the normaliser leaves keys with undefined values, which a schema check sees as present
  const doc = JSON.parse(JSON.stringify(new Serialize.JSON.Normalize.Factory(spec).makeForBom().normalize(bom, { sortLists: true }))) as Record<string, unknown>;
  if (version === '1.6') addAuthors(doc, sbom);
  return doc;
}

/** CycloneDX 1.6 `authors` (the library writes only the deprecated `author` string). */
function addAuthors(doc: Record<string, unknown>, sbom: Sbom): void {
  const byRef = new Map([sbom.root, ...sbom.components].map((c) => [c.ref, c]));
  const visit = (c: Record<string, unknown> | undefined) => {
    const source = c && byRef.get(String(c['bom-ref']));
    if (!c || !source?.authors?.length) return;
    delete c.author;
    c.authors = source.authors.map(splitAuthor);
  };
  visit((doc.metadata as Record<string, unknown> | undefined)?.component as Record<string, unknown> | undefined);
  for (const c of (doc.components as Record<string, unknown>[] | undefined) ?? []) visit(c);
}

export function serializeJson(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
