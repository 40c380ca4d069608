/**
 * An Sbom as an SPDX 2.3 JSON document. No library writes SPDX 2.3 for JavaScript, and the format
 * is a flat list of packages and relationships, so it is built here. The CPAN phase of a dependency
 * (the root's, or one an installed tree records) picks the SPDX relationship (DEPENDS_ON,
 * BUILD_/TEST_/DEV_/OPTIONAL_DEPENDENCY_OF);
 * licence names with no SPDX id become LicenseRef-s with their extracted text.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentOptions } from './cyclonedx.js';
import type { Prereq, Sbom, SbomComponent } from './model.js';
import { componentProperties } from './properties.js';

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: string;
  relatedSpdxElement: string;
}

/** The relationship a prerequisite stands for, as [type, reversed]: reversed means dependency -> dependent. */
function relationshipOf(p: Prereq): [string, boolean] {
  if (p.phase === 'runtime') return p.relationship === 'requires' && !p.feature ? ['DEPENDS_ON', false] : ['OPTIONAL_DEPENDENCY_OF', true];
  if (p.phase === 'build' || p.phase === 'configure') return ['BUILD_DEPENDENCY_OF', true];
  if (p.phase === 'test') return ['TEST_DEPENDENCY_OF', true];
  return ['DEV_DEPENDENCY_OF', true];
}

function spdxId(c: SbomComponent, used: Set<string>): string {
  const base = `SPDXRef-${c.kind === 'module' ? 'Module' : 'Package'}-${`${c.name}${c.version ? `-${c.version}` : ''}`.replace(/[^A-Za-z0-9.-]+/g, '-')}`;
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

function licenseRef(name: string): string {
  return `LicenseRef-CPAN-Meta-${name.replace(/[^A-Za-z0-9.-]+/g, '-')}`;
}

const EXTRACTED: Record<string, string> = {
  open_source: 'CPAN::Meta licence "open_source": an Open Source license not otherwise listed by CPAN::Meta::Spec (or a GPL, LGPL or MPL of unstated version).',
  restricted: 'CPAN::Meta licence "restricted": requires special permission from the copyright holder.',
  unrestricted: 'CPAN::Meta licence "unrestricted": not an Open Source license, but no special permission is needed.',
};

export function toSpdx(sbom: Sbom, options: DocumentOptions): Record<string, unknown> {
  const used = new Set<string>(['SPDXRef-DOCUMENT']);
  const ids = new Map<string, string>();
  const extracted = new Map<string, string>();
  const all = [sbom.root, ...sbom.components];
  for (const c of all) ids.set(c.ref, spdxId(c, used));

  const declared = (c: SbomComponent): string => {
    if (c.license?.expression) return c.license.expression;
    if (!c.license || c.license.names.every((n) => n === 'unknown')) return 'NOASSERTION';
    const parts = c.license.names.filter((n) => n !== 'unknown').map((n) => {
      const ref = licenseRef(n);
      extracted.set(ref, EXTRACTED[n] ?? `CPAN::Meta licence "${n}".`);
      return ref;
    });
    return parts.join(' OR ');
  };

  // SPDX 2.3 has no vulnerability section: an affected package gets SECURITY advisory references
  const advisories = new Map<string, { referenceCategory: string; referenceType: string; referenceLocator: string; comment: string }[]>();
  for (const v of sbom.vulnerabilities ?? []) {
    const urls = [...v.aliases.filter((a) => a.startsWith('CVE-')).map((a) => `https://nvd.nist.gov/vuln/detail/${a}`), ...v.references.filter((u) => /^https?:\/\/\S+$/.test(u))];
    for (const a of v.affects) {
      const list = advisories.get(a.ref) ?? [];
      for (const url of urls.length ? urls.slice(0, 3) : []) list.push({ referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: url, comment: `${v.id}${v.recommendation ? `: ${v.recommendation}` : ''}` });
      advisories.set(a.ref, list);
    }
  }

  const packages = all.map((c) => {
    const comment = componentProperties(c)
      .map(([n, v]) => `${n}=${v}`)
      .join('\n');
    const download = c.externalReferences.find((r) => r.type === 'distribution')?.url;
    const homepage = c.externalReferences.find((r) => r.type === 'website')?.url;
    return {
      SPDXID: ids.get(c.ref)!,
      name: c.name,
      ...(c.version ? { versionInfo: c.version } : {}),
      ...(c.author ? { supplier: `Person: ${c.author}` } : {}),
      ...(c.authors?.length ? { originator: `Person: ${c.authors.join(', ')}` } : {}),
      downloadLocation: download ?? 'NOASSERTION',
      filesAnalyzed: false,
      ...(c.hashes
        ? {
            checksums: [
              { algorithm: 'SHA256', checksumValue: c.hashes['SHA-256'] },
              { algorithm: 'SHA512', checksumValue: c.hashes['SHA-512'] },
            ],
          }
        : {}),
      ...(homepage ? { homepage } : {}),
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declared(c),
      copyrightText: 'NOASSERTION',
      ...(c.description ? { summary: c.description } : {}),
      ...(c.purl || advisories.has(c.ref)
        ? { externalRefs: [...(c.purl ? [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }] : []), ...(advisories.get(c.ref) ?? [])] }
        : {}),
      ...(c.kind === 'project' ? { primaryPackagePurpose: 'APPLICATION' } : { primaryPackagePurpose: 'LIBRARY' }),
      ...(comment ? { comment } : {}),
    };
  });

  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: ids.get(sbom.root.ref)! }];
  const seen = new Set<string>();
  const relate = (from: string, type: string, to: string) => {
    const key = `${from} ${type} ${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    relationships.push({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });
  };
  const byRef = new Map(all.map((c) => [c.ref, c]));
  for (const [from, tos] of sbom.dependencies) {
    for (const to of tos) {
      const a = ids.get(from);
      const b = ids.get(to);
      if (!a || !b) continue;
      const prereqs = from === sbom.root.ref ? (byRef.get(to)?.prereqs ?? []) : (sbom.edgePrereqs?.get(from)?.get(to) ?? []);
      if (prereqs.length === 0) relate(a, 'DEPENDS_ON', b);
      for (const p of prereqs) {
        const [type, reversed] = relationshipOf(p);
        if (reversed) relate(b, type, a);
        else relate(a, type, b);
      }
    }
  }

  const created = (options.now ?? (() => new Date()))().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const serial = (options.serialNumber ?? randomUUID()).replace(/^urn:uuid:/, '');
  const title = `${sbom.root.name}${sbom.root.version ? `-${sbom.root.version}` : ''}`;
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: title,
    documentNamespace: `https://spdx.org/spdxdocs/cpansec/${encodeURIComponent(title)}-${serial}`,
    creationInfo: {
      created,
      creators: [`Tool: cpansec-${options.toolVersion}`],
      comment: `Generated from ${sbom.source.display ?? sbom.source.file} (${sbom.source.kind}).`,
    },
    documentDescribes: [ids.get(sbom.root.ref)!],
    packages,
    relationships,
    ...(extracted.size
      ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, extractedText]) => ({ licenseId, extractedText, name: licenseId.replace(/^LicenseRef-CPAN-Meta-/, 'CPAN::Meta ') })) }
      : {}),
  };
}
