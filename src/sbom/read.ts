/**
 * From a path to an Sbom: which kind of input it is (a distribution archive or directory, a
 * cpanfile.snapshot, a cpanfile, an installed module tree) and reading it with the parsers the audit
 * already has. In a directory the most exact source wins, as in `cpansec audit deps`.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { distributionRoot, readArchiveBuffer, readArchiveBytes } from '../archive/index.js';
import { parseCpanfile, parseSnapshot, readInstalled } from '../audit/sources/index.js';
import { CpansecError } from '../errors.js';
import { distnameInfo, parseDistPath, parseMeta, type CpanMeta } from '../perl/index.js';
import { distributionSbom } from './distribution.js';
import type { ProjectRoot } from './graph.js';
import { readInstallRecords } from './install-records.js';
import { installedSbom } from './installed.js';
import type { Prereq, Sbom } from './model.js';
import { prereqsOfDependencies, prereqsOfMeta, type ModuleFacts } from './modules.js';
import { cpanfileSbom, snapshotSbom } from './project.js';
import { readInputText } from '../input-file.js';

export interface ReadOptions extends ModuleFacts {
  /** the CPAN author (PAUSE id) of a distribution, when its path does not tell */
  author?: string;
}

const MAX_TEXT = 32 * 1024 * 1024;
const ARCHIVE = /\.(tar\.gz|tgz|tar|zip|tar\.bz2|tbz)$/i;
const META_FILES = ['META.json', 'META.yml'];
const MYMETA_FILES = ['MYMETA.json', 'MYMETA.yml'];

function readText(file: string): string {
  return readInputText(file, MAX_TEXT);
}

const isFile = (f: string) => {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
};
const firstExisting = (dir: string, names: string[]) => names.map((n) => path.join(dir, n)).find(isFile);

/** The CPAN path of a distribution file, when its location or the given author tells. */
function cpanPath(file: string, author?: string): { author?: string; pathname?: string } {
  const info = parseDistPath(file.split(path.sep).join('/'));
  const id = info.cpanid ?? author?.toUpperCase();
  if (!id) return {};
  return { author: id, pathname: `${id[0]}/${id.slice(0, 2)}/${id}/${path.basename(file)}` };
}

async function fromArchive(file: string, options: ReadOptions): Promise<Sbom> {
  const bytes = readArchiveBytes(file);
  const hashes = {
    'SHA-256': createHash('sha256').update(bytes).digest('hex'),
    'SHA-512': createHash('sha512').update(bytes).digest('hex'),
  };
  const wanted = new Set([...META_FILES, ...MYMETA_FILES]);
  const archive = await readArchiveBuffer(bytes, file, { keep: (p) => wanted.has(p.split('/').slice(1).join('/')) || wanted.has(p) });
  const root = distributionRoot(archive);
  const at = (name: string) => (root ? `${root}/${name}` : name);
  const metaOf = (names: string[]): CpanMeta | undefined => {
    const entry = names.map(at).find((p) => archive.contents.has(p));
    return entry ? parseMeta(archive.contents.get(entry)!.toString('utf8'), `${file}/${entry}`) : undefined;
  };
  const meta = metaOf(META_FILES);
  if (!meta) throw new CpansecError('NOT_FOUND', `no META.json or META.yml in the distribution${root ? ` (looked in ${root}/)` : ''}`, { file });
  const mymeta = metaOf(MYMETA_FILES);
  const [name, version] = root ? distnameInfo(root) : [undefined, undefined];
  return distributionSbom({
    ...options,
    meta,
    ...(mymeta ? { mymeta } : {}),
    source: { file, kind: 'tarball' },
    fallback: { ...(name ? { name } : {}), ...(version ? { version } : {}) },
    hashes,
    ...cpanPath(file, options.author),
  });
}

function fromDirectory(dir: string, options: ReadOptions, metaFile?: string): Sbom {
  const metaPath = metaFile ?? firstExisting(dir, META_FILES);
  const mymetaPath = firstExisting(dir, MYMETA_FILES);
  const main = metaPath ?? mymetaPath;
  if (!main) throw new CpansecError('NOT_FOUND', 'no META.json, META.yml or MYMETA file', { file: dir });
  const meta = parseMeta(readText(main), main);
  const mymeta = mymetaPath && mymetaPath !== main ? parseMeta(readText(mymetaPath), mymetaPath) : undefined;
  const [name, version] = distnameInfo(path.basename(path.resolve(dir)));
  return distributionSbom({
    ...options,
    meta,
    ...(mymeta ? { mymeta } : {}),
    source: { file: dir, kind: 'directory' },
    fallback: { name, ...(version ? { version } : {}) },
    ...(options.author ? { author: options.author.toUpperCase() } : {}),
  });
}

/** The project's own name and version: from its META when it has one, else its directory name. */
function projectRoot(dir: string): ProjectRoot {
  const meta = firstExisting(dir, [...META_FILES, ...MYMETA_FILES]);
  if (meta) {
    const m = parseMeta(readText(meta), meta);
    if (m.name) return { name: m.name, ...(m.version ? { version: m.version } : {}), ...(m.abstract ? { description: m.abstract } : {}) };
  }
  return { name: path.basename(path.resolve(dir)) || 'project' };
}

function fromSnapshot(file: string, options: ReadOptions): Sbom {
  const dir = path.dirname(file);
  // beside cpanfile.snapshot its cpanfile; beside NAME.cpanfile.snapshot, NAME.cpanfile
  const cpanfile = path.join(dir, path.basename(file).replace(/\.snapshot$/, '').endsWith('cpanfile') ? path.basename(file).replace(/\.snapshot$/, '') : 'cpanfile');
  return snapshotSbom({
    ...options,
    snapshot: parseSnapshot(readText(file), file),
    ...(isFile(cpanfile) ? { cpanfile: { file: cpanfile, dependencies: parseCpanfile(readText(cpanfile), cpanfile) } } : {}),
    root: projectRoot(dir),
  });
}

/** The requirements of the project that owns an installed tree: its cpanfile, else its META. */
function projectRequirements(dir: string): { file: string; prereqs: Prereq[] } | undefined {
  const cpanfile = path.join(dir, 'cpanfile');
  if (isFile(cpanfile)) return { file: cpanfile, prereqs: prereqsOfDependencies(parseCpanfile(readText(cpanfile), cpanfile)) };
  const meta = firstExisting(dir, [...MYMETA_FILES, ...META_FILES]);
  return meta ? { file: meta, prereqs: prereqsOfMeta(parseMeta(readText(meta), meta)) } : undefined;
}

function fromInstalled(libdir: string, options: ReadOptions, projectDir: string): Sbom {
  const direct = projectRequirements(projectDir);
  return installedSbom({
    ...options,
    file: libdir,
    records: readInstallRecords(libdir),
    // modules without a record; the records themselves are read above, with their MYMETA
    modules: readInstalled([libdir]).filter((d) => d.kind === 'module'),
    ...(direct ? { direct } : {}),
    root: projectRoot(projectDir),
  });
}

/** Read whatever `target` is into an Sbom. */
export async function readSbomSource(target: string, options: ReadOptions = {}): Promise<Sbom> {
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    throw new CpansecError('NOT_FOUND', `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'no such file or directory'}`, { file: target });
  }
  const base = path.basename(target);
  if (st.isFile()) {
    if (ARCHIVE.test(base)) return fromArchive(target, options);
    if (base === 'cpanfile.snapshot' || base.endsWith('.snapshot')) return fromSnapshot(target, options);
    if (base === 'cpanfile' || base.startsWith('cpanfile.')) {
      return cpanfileSbom({ ...options, file: target, dependencies: parseCpanfile(readText(target), target), root: projectRoot(path.dirname(target)) });
    }
    if (/^(MY)?META\.(json|ya?ml)$/i.test(base)) return fromDirectory(path.dirname(target), options, /^META/i.test(base) ? target : undefined);
    // an archive without the usual extension is still told by its first bytes
    const head = readArchiveBytes(target).subarray(0, 4);
    if ((head[0] === 0x1f && head[1] === 0x8b) || head.toString('latin1').startsWith('PK')) return fromArchive(target, options);
    throw new CpansecError('USAGE', 'not something cpansec can describe (a distribution .tar.gz/.tgz/.zip, cpanfile.snapshot, cpanfile, META.json/yml)', { file: target });
  }
  if (!st.isDirectory()) throw new CpansecError('USAGE', 'not a file or directory', { file: target });
  const snapshot = path.join(target, 'cpanfile.snapshot');
  if (isFile(snapshot)) return fromSnapshot(snapshot, options);
  const cpanfile = path.join(target, 'cpanfile');
  if (isFile(cpanfile)) return cpanfileSbom({ ...options, file: cpanfile, dependencies: parseCpanfile(readText(cpanfile), cpanfile), root: projectRoot(target) });
  if (firstExisting(target, [...META_FILES, ...MYMETA_FILES])) return fromDirectory(target, options);
  // local/ (its project is the directory above), or a project holding local/
  if (existsSync(path.join(target, 'lib', 'perl5'))) return fromInstalled(path.join(target, 'lib', 'perl5'), options, path.dirname(path.resolve(target)));
  if (existsSync(path.join(target, 'local', 'lib', 'perl5'))) return fromInstalled(path.join(target, 'local', 'lib', 'perl5'), options, target);
  if (base === 'perl5' || existsSync(path.join(target, '.meta'))) {
    const abs = path.resolve(target);
    const isLocal = base === 'perl5' && path.basename(path.dirname(abs)) === 'lib' && path.basename(path.dirname(path.dirname(abs))) === 'local';
    return fromInstalled(target, options, isLocal ? path.resolve(abs, '..', '..', '..') : target);
  }
  throw new CpansecError('NOT_FOUND', 'nothing to describe: no cpanfile.snapshot, cpanfile, META.json/yml or installed tree (lib/perl5)', { file: target });
}
