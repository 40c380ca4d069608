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
import { checkCount, checkNesting, SBOM_LIMITS } from './limits.js';
import { localizePaths } from './paths.js';

export interface ReadOptions extends ModuleFacts {
  /** the CPAN author (PAUSE id) of a distribution, when its path does not tell */
  author?: string;
}

/**
 * A META file's text, checked before it is parsed (size, nesting) and before anything is built
 * from it (prerequisite and provides counts): hostile META files are refused, not run out of memory on.
 */
export function readMetaText(text: string, file: string): CpanMeta {
  if (text.length > SBOM_LIMITS.metaBytes) throw new CpansecError('PARSE_ERROR', `META file larger than ${SBOM_LIMITS.metaBytes} bytes`, { file });
  checkNesting(text, SBOM_LIMITS.metaDepth, file, 'META file');
  const meta = parseMeta(text, file);
  checkCount(meta.prereqs.length, SBOM_LIMITS.prereqs, file, 'prerequisites');
  checkCount(Object.keys(meta.provides).length, SBOM_LIMITS.provides, file, 'provided modules');
  checkCount(meta.author.length, SBOM_LIMITS.prereqs, file, 'authors');
  return meta;
}

const MAX_TEXT = 32 * 1024 * 1024;
const ARCHIVE = /\.(tar\.gz|tgz|tar|zip|tar\.bz2|tbz)$/i;
const META_FILES = ['META.json', 'META.yml'];
const MYMETA_FILES = ['MYMETA.json', 'MYMETA.yml'];

function readText(file: string): string {
  return readInputText(file, MAX_TEXT);
}

const readMetaFile = (file: string): CpanMeta => readMetaText(readInputText(file, SBOM_LIMITS.metaBytes), file);

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
  const archive = await readArchiveBuffer(bytes, file, {
    keep: (p) => wanted.has(p.split('/').slice(1).join('/')) || wanted.has(p),
    limits: { maxKeptFileBytes: SBOM_LIMITS.metaBytes },
  });
  const root = distributionRoot(archive);
  const at = (name: string) => (root ? `${root}/${name}` : name);
  const metaOf = (names: string[]): CpanMeta | undefined => {
    const entry = names.map(at).find((p) => archive.contents.has(p));
    return entry ? readMetaText(archive.contents.get(entry)!.toString('utf8'), `${file}/${entry}`) : undefined;
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
  const meta = readMetaFile(main);
  const mymeta = mymetaPath && mymetaPath !== main ? readMetaFile(mymetaPath) : undefined;
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
    const m = readMetaFile(meta);
    if (m.name) return { name: m.name, ...(m.version ? { version: m.version } : {}), ...(m.abstract ? { description: m.abstract } : {}) };
  }
  return { name: path.basename(path.resolve(dir)) || 'project' };
}

function fromSnapshot(file: string, options: ReadOptions): Sbom {
  const dir = path.dirname(file);
  // beside cpanfile.snapshot its cpanfile; beside NAME.cpanfile.snapshot, NAME.cpanfile
  const cpanfile = path.join(dir, path.basename(file).replace(/\.snapshot$/, '').endsWith('cpanfile') ? path.basename(file).replace(/\.snapshot$/, '') : 'cpanfile');
  const snapshot = parseSnapshot(readText(file), file);
  checkCount(snapshot.distributions.length, SBOM_LIMITS.components, file, 'distributions');
  return snapshotSbom({
    ...options,
    snapshot,
    ...(isFile(cpanfile) ? { cpanfile: { file: cpanfile, dependencies: readCpanfile(cpanfile) } } : {}),
    root: projectRoot(dir),
  });
}

function readCpanfile(file: string) {
  const deps = parseCpanfile(readText(file), file);
  checkCount(deps.length, SBOM_LIMITS.prereqs, file, 'requirements');
  return deps;
}

/** The requirements of the project that owns an installed tree: its cpanfile, else its META. */
function projectRequirements(dir: string): { file: string; prereqs: Prereq[] } | undefined {
  const cpanfile = path.join(dir, 'cpanfile');
  if (isFile(cpanfile)) return { file: cpanfile, prereqs: prereqsOfDependencies(readCpanfile(cpanfile)) };
  const meta = firstExisting(dir, [...MYMETA_FILES, ...META_FILES]);
  return meta ? { file: meta, prereqs: prereqsOfMeta(readMetaFile(meta)) } : undefined;
}

function fromInstalled(libdir: string, options: ReadOptions, projectDir: string): Sbom {
  const direct = projectRequirements(projectDir);
  const records = readInstallRecords(libdir);
  const modules = readInstalled([libdir]).filter((d) => d.kind === 'module');
  checkCount(records.length + modules.length, SBOM_LIMITS.components, libdir, 'installed distributions and modules');
  return installedSbom({
    ...options,
    file: libdir,
    records,
    // modules without a record; the records themselves are read above, with their MYMETA
    modules,
    ...(direct ? { direct } : {}),
    root: projectRoot(projectDir),
  });
}

/** A directory whose META names a distribution is that distribution, whatever else it ships (a cpanfile, say). */
function describesDistribution(dir: string): boolean {
  const meta = firstExisting(dir, META_FILES);
  return meta !== undefined && readMetaFile(meta).name !== undefined;
}

/** What `target` is, read into an Sbom, and the directory its paths are shown relative to. */
async function read(target: string, options: ReadOptions): Promise<[Sbom, string]> {
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    throw new CpansecError('NOT_FOUND', `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'no such file or directory'}`, { file: target });
  }
  const base = path.basename(target);
  const here = path.dirname(path.resolve(target));
  if (st.isFile()) {
    if (ARCHIVE.test(base)) return [await fromArchive(target, options), here];
    if (base === 'cpanfile.snapshot' || base.endsWith('.snapshot')) return [fromSnapshot(target, options), here];
    if (base === 'cpanfile' || base.startsWith('cpanfile.')) {
      return [cpanfileSbom({ ...options, file: target, dependencies: readCpanfile(target), root: projectRoot(path.dirname(target)) }), here];
    }
    if (/^(MY)?META\.(json|ya?ml)$/i.test(base)) return [fromDirectory(path.dirname(target), options, /^META/i.test(base) ? target : undefined), path.dirname(here)];
    // an archive without the usual extension is still told by its first bytes
    const head = readArchiveBytes(target).subarray(0, 4);
    if ((head[0] === 0x1f && head[1] === 0x8b) || head.toString('latin1').startsWith('PK')) return [await fromArchive(target, options), here];
    throw new CpansecError('USAGE', 'not something cpansec can describe (a distribution .tar.gz/.tgz/.zip, cpanfile.snapshot, cpanfile, META.json/yml)', { file: target });
  }
  if (!st.isDirectory()) throw new CpansecError('USAGE', 'not a file or directory', { file: target });
  const dir = path.resolve(target);
  const snapshot = path.join(target, 'cpanfile.snapshot');
  if (isFile(snapshot)) return [fromSnapshot(snapshot, options), dir];
  if (describesDistribution(target)) return [fromDirectory(target, options), path.dirname(dir)];
  const cpanfile = path.join(target, 'cpanfile');
  if (isFile(cpanfile)) return [cpanfileSbom({ ...options, file: cpanfile, dependencies: readCpanfile(cpanfile), root: projectRoot(target) }), dir];
  if (firstExisting(target, [...META_FILES, ...MYMETA_FILES])) return [fromDirectory(target, options), path.dirname(dir)];
  // local/ (its project is the directory above), or a project holding local/
  if (existsSync(path.join(target, 'lib', 'perl5'))) return [fromInstalled(path.join(target, 'lib', 'perl5'), options, path.dirname(dir)), path.dirname(dir)];
  if (existsSync(path.join(target, 'local', 'lib', 'perl5'))) return [fromInstalled(path.join(target, 'local', 'lib', 'perl5'), options, target), dir];
  if (base === 'perl5' || existsSync(path.join(target, '.meta'))) {
    const isLocal = base === 'perl5' && path.basename(path.dirname(dir)) === 'lib' && path.basename(path.dirname(path.dirname(dir))) === 'local';
    const project = isLocal ? path.resolve(dir, '..', '..', '..') : dir;
    return [fromInstalled(target, options, project), project];
  }
  throw new CpansecError('NOT_FOUND', 'nothing to describe: no cpanfile.snapshot, cpanfile, META.json/yml or installed tree (lib/perl5)', { file: target });
}

/** Read whatever `target` is into an Sbom, its paths relative to the input. */
export async function readSbomSource(target: string, options: ReadOptions = {}): Promise<Sbom> {
  const [sbom, base] = await read(target, options);
  checkCount(sbom.components.length, SBOM_LIMITS.components, target, 'components');
  localizePaths(sbom, base);
  return sbom;
}
