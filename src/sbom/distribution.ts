/**
 * The SBOM of one CPAN distribution, from its META file: the distribution as the root (purl, licence,
 * authors, resources, provided modules, the tarball's hashes) and each prerequisite module as a
 * component with its phase and relationship. Prerequisites name modules and ranges, not releases, so
 * these components carry no version: that is what a project's cpanfile.snapshot adds.
 */
import { cpanPurl, metaLicense, type CpanMeta } from '../perl/index.js';
import { newComponent, type ExternalReference, type Sbom, type SourceKind } from './model.js';
import { addModulePrereqs, prereqsOfMeta, type ModuleFacts } from './modules.js';

export interface DistributionInput extends ModuleFacts {
  /** META.json / META.yml: what the author released */
  meta: CpanMeta;
  /** MYMETA.json / MYMETA.yml when present: the prerequisites after configuration (dynamic_config) */
  mymeta?: CpanMeta;
  source: { file: string; kind: Extract<SourceKind, 'tarball' | 'directory'> };
  /** name and version when META lacks them (from the archive's directory name) */
  fallback?: { name?: string; version?: string };
  hashes?: { 'SHA-256': string; 'SHA-512': string };
  author?: string;
  pathname?: string;
}

const URL_LIKE = /^(https?|ftp|git|svn|ssh|mailto|ircs?):/i;

/** META resources as external references (the URL-like ones: a few dists write prose there). */
export function resources(meta: CpanMeta): ExternalReference[] {
  const out: ExternalReference[] = [];
  const add = (type: ExternalReference['type'], url: string | undefined) => {
    if (url && URL_LIKE.test(url.trim()) && !out.some((r) => r.type === type && r.url === url.trim())) out.push({ type, url: url.trim() });
  };
  const r = meta.resources;
  add('vcs', r.repository?.url);
  add('vcs', r.repository?.web);
  add('issue-tracker', r.bugtracker?.web);
  add('issue-tracker', r.bugtracker?.mailto ? `mailto:${r.bugtracker.mailto.replace(/^mailto:/i, '')}` : undefined);
  add('website', r.homepage);
  for (const l of r.license ?? []) add('license', l);
  add('mailing-list', r.mailingList && /^[^\s:/@]+@[^\s@]+$/.test(r.mailingList) ? `mailto:${r.mailingList}` : r.mailingList);
  add('chat', r.irc);
  return out;
}

export function cpanDownloadUrl(pathname: string): string {
  return `https://cpan.metacpan.org/authors/id/${pathname.replace(/^authors\/id\//, '')}`;
}

export function distributionSbom(input: DistributionInput): Sbom {
  const { meta } = input;
  const name = meta.name ?? input.fallback?.name ?? 'unknown';
  const version = meta.version ?? input.fallback?.version;
  const purl = /^[A-Za-z0-9][\w.+-]*$/.test(name) ? cpanPurl({ name, version, author: input.author }) : undefined;
  const root = newComponent({
    ref: purl ?? `cpan-distribution:${name}`,
    kind: 'distribution',
    name,
    ...(version ? { version } : {}),
    ...(purl ? { purl } : {}),
    ...(input.author ? { author: input.author.toUpperCase() } : {}),
    authors: meta.author.filter((a) => a.trim() !== '' && a !== 'unknown'),
    ...(meta.abstract && meta.abstract !== 'unknown' ? { description: meta.abstract } : {}),
    license: metaLicense(meta.license),
    ...(input.hashes ? { hashes: input.hashes } : {}),
    externalReferences: resources(meta),
    ...(input.pathname ? { pathname: input.pathname } : {}),
    provides: Object.entries(meta.provides)
      .map(([module, p]) => ({ module, ...(p.version ? { version: p.version } : {}), ...(p.file ? { file: p.file } : {}) }))
      .sort((a, b) => a.module.localeCompare(b.module)),
  });
  if (input.pathname) root.externalReferences.push({ type: 'distribution', url: cpanDownloadUrl(input.pathname) });
  root.properties.push(['cpan:meta-spec', meta.specVersion], ['cpan:meta-file', baseName(meta.file)]);
  if (meta.dynamicConfig !== undefined) root.properties.push(['cpan:dynamic-config', String(meta.dynamicConfig)]);
  for (const [feature, f] of Object.entries(meta.optionalFeatures)) root.properties.push(['cpan:optional-feature', f.description ? `${feature}: ${f.description}` : feature]);
  const prereqSource = input.mymeta ?? meta;
  if (input.mymeta) root.properties.push(['cpan:prereqs-from', baseName(input.mymeta.file)]);

  const sbom: Sbom = { source: input.source, root, components: [], dependencies: new Map([[root.ref, new Set()]]), properties: [] };
  addModulePrereqs(sbom, prereqsOfMeta(prereqSource), input);
  return sbom;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
