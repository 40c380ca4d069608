/**
 * `--mirror DIR`: what a local CPAN mirror or cache (minicpan, CPAN::Mini, a cpanm or Carton cache:
 * DIR/authors/id/A/AU/AUTHOR/Dist-1.0.tar.gz) knows of each distribution a snapshot or installed
 * tree names by its CPAN path: the tarball's SHA-256 and SHA-512, and from its META the licence,
 * abstract, authors and resources the lock file does not carry. Read with the same limits as any
 * distribution; a tarball that is there but unreadable is an error naming it.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { distributionRoot, readArchiveBuffer, readArchiveBytes } from '../archive/index.js';
import { CpansecError } from '../errors.js';
import { metaLicense } from '../perl/index.js';
import { resources } from './distribution.js';
import type { Sbom, SbomComponent } from './model.js';
import { readMetaText } from './read.js';
import { SBOM_LIMITS } from './limits.js';

const isFile = (f: string) => {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
};

async function fill(c: SbomComponent, file: string): Promise<void> {
  const bytes = readArchiveBytes(file);
  c.hashes ??= { 'SHA-256': createHash('sha256').update(bytes).digest('hex'), 'SHA-512': createHash('sha512').update(bytes).digest('hex') };
  const names = new Set(['META.json', 'META.yml']);
  const archive = await readArchiveBuffer(bytes, file, { keep: (p) => names.has(p.split('/').slice(1).join('/')), limits: { maxKeptFileBytes: SBOM_LIMITS.metaBytes } });
  const root = distributionRoot(archive);
  const entry = root ? ['META.json', 'META.yml'].map((n) => `${root}/${n}`).find((p) => archive.contents.has(p)) : undefined;
  c.properties.push(['cpan:mirror-file', path.basename(file)]);
  if (!entry) return;
  const meta = readMetaText(archive.contents.get(entry)!.toString('utf8'), `${file}/${entry}`);
  if (!c.license) c.license = metaLicense(meta.license);
  if (!c.description && meta.abstract && meta.abstract !== 'unknown') c.description = meta.abstract;
  if (!c.authors?.length) c.authors = meta.author.filter((a) => a.trim() !== '' && a !== 'unknown');
  for (const r of resources(meta)) if (!c.externalReferences.some((x) => x.type === r.type && x.url === r.url)) c.externalReferences.push(r);
}

/** Add the mirror's facts to every distribution of the Sbom found in `dir`; returns how many were. */
export async function addMirrorFacts(sbom: Sbom, dir: string): Promise<number> {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('ENOTDIR');
  } catch {
    throw new CpansecError('USAGE', '--mirror: not a directory', { file: dir });
  }
  let found = 0;
  for (const c of [sbom.root, ...sbom.components]) {
    if (c.kind !== 'distribution' || !c.pathname || c.pathname.includes('..')) continue;
    const rel = c.pathname.replace(/^authors\/id\//, '');
    const file = [path.join(dir, 'authors', 'id', rel), path.join(dir, rel)].find(isFile);
    if (!file) continue;
    await fill(c, file);
    found++;
  }
  sbom.properties.push(['cpan:mirror', `${found} of ${sbom.components.filter((c) => c.kind === 'distribution').length} distributions found`]);
  return found;
}
