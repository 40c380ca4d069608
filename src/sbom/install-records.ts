/**
 * cpanm's install records in an installed tree. For each distribution it installs from CPAN, cpanm
 * (App::cpanminus / Menlo, `save_meta`) writes `<lib>/<archname>/.meta/<Dist-Version>/install.json`
 * — `name` (the main module), `target`, `version` (the main module's), `dist` (Dist-Version),
 * `pathname` (the CPAN path), `provides` — and copies the build's MYMETA.json beside it: the
 * prerequisites as configured. The tree is input like any other: links are not followed, files
 * are size-capped, a record that is not JSON is an error naming the file.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../errors.js';
import { distnameInfo, parseDistPath, parseMetaJson, type CpanMeta } from '../perl/index.js';
import type { ProvidedModule } from './model.js';

export interface InstallRecord {
  /** the record's directory, <lib>/<archname>/.meta/Dist-Version */
  dir: string;
  distribution: string;
  version?: string;
  /** CPAN path, A/AU/AUTHOR/Dist-1.0.tar.gz */
  pathname?: string;
  author?: string;
  /** the module cpanm installed it for (install.json `name`) and that module's version */
  mainModule?: { module: string; version?: string };
  provides: ProvidedModule[];
  /** MYMETA.json: the prerequisites after configuration */
  mymeta?: CpanMeta;
}

const MAX_RECORD = 16 * 1024 * 1024;
const MAX_RECORDS = 100_000;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

function entries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
  }
}

/** A regular file's text, or undefined when there is none (a link is not a file here). */
function readRecordFile(file: string): string | undefined {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  if (st.size > MAX_RECORD) throw new CpansecError('IO_ERROR', `install record larger than ${MAX_RECORD} bytes`, { file });
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

function installJson(file: string): Obj | undefined {
  const text = readRecordFile(file);
  if (text === undefined) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `install record is not JSON: ${(e as Error).message}`, { file });
  }
  if (!isObj(doc)) throw new CpansecError('PARSE_ERROR', 'install record is not a JSON object', { file, line: 1 });
  return doc;
}

function providesOf(v: unknown): ProvidedModule[] {
  if (!isObj(v)) return [];
  return Object.entries(v)
    .map(([module, p]) => ({ module, ...(isObj(p) && str(p.version) ? { version: str(p.version) } : {}), ...(isObj(p) && str(p.file) ? { file: str(p.file) } : {}) }))
    .sort((a, b) => a.module.localeCompare(b.module));
}

function record(dir: string): InstallRecord | undefined {
  const install = installJson(path.join(dir, 'install.json'));
  const mymetaFile = path.join(dir, 'MYMETA.json');
  const mymetaText = readRecordFile(mymetaFile);
  const mymeta = mymetaText === undefined ? undefined : parseMetaJson(mymetaText, mymetaFile);
  if (!install && !mymeta) return undefined;
  // the distribution is the CPAN path's, else `dist` (Dist-Version), else MYMETA's, else the
  // directory's; install.json `name` is a module (LWP for libwww-perl), not the distribution
  const pathname = str(install?.pathname)?.replace(/^authors\/id\//, '');
  const fromPath = pathname ? parseDistPath(pathname) : undefined;
  const [distName, distVersion] = distnameInfo(str(install?.dist) ?? path.basename(dir));
  const distribution = fromPath?.dist || (str(install?.dist) ? distName : undefined) || mymeta?.name || distName;
  const version = fromPath?.version ?? (str(install?.dist) ? distVersion : undefined) ?? mymeta?.version ?? distVersion;
  const main = str(install?.name);
  const provides = providesOf(install?.provides);
  return {
    dir,
    distribution,
    ...(version ? { version } : {}),
    ...(pathname ? { pathname } : {}),
    ...(fromPath?.cpanid ? { author: fromPath.cpanid } : {}),
    ...(main ? { mainModule: { module: main, ...(str(install?.version) ? { version: str(install?.version) } : {}) } } : {}),
    provides: provides.length || !mymeta ? provides : Object.entries(mymeta.provides).map(([module, p]) => ({ module, ...(p.version ? { version: p.version } : {}), ...(p.file ? { file: p.file } : {}) })),
    ...(mymeta ? { mymeta } : {}),
  };
}

/** The `.meta` directories of a module tree: under each <archname>/ (cpanm's place), and at its top. */
function metaDirs(libdir: string): string[] {
  const out: string[] = [];
  for (const e of entries(libdir)) {
    if (!e.isDirectory()) continue;
    if (e.name === '.meta') out.push(path.join(libdir, e.name));
    else if (entries(path.join(libdir, e.name)).some((x) => x.isDirectory() && x.name === '.meta')) out.push(path.join(libdir, e.name, '.meta'));
  }
  return out;
}

/** Every install record of the tree, in a stable order. */
export function readInstallRecords(libdir: string): InstallRecord[] {
  const out: InstallRecord[] = [];
  for (const meta of metaDirs(libdir)) {
    for (const e of entries(meta)) {
      if (!e.isDirectory()) continue;
      const r = record(path.join(meta, e.name));
      if (r) out.push(r);
      if (out.length > MAX_RECORDS) throw new CpansecError('IO_ERROR', `more than ${MAX_RECORDS} install records: not a module tree?`, { file: libdir });
    }
  }
  return out;
}
