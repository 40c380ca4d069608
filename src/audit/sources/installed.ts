/**
 * Installed module trees (`local/lib/perl5`, @INC-style directories): every .pm with the version read
 * statically; where cpanm left its install records (`<arch>/.meta/<Dist-Ver>/install.json` or
 * MYMETA.json) the exact distribution and version come from them instead.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../../errors.js';
import { moduleVersions, parseDistPath } from '../../perl/index.js';
import type { Dependency } from '../dependency.js';
import { compareNames } from '../order.js';

const MAX_FILES = 200_000;
const MAX_DEPTH = 24;

interface Walk {
  pm: string[];
  installRecords: string[];
}

function walk(root: string): Walk {
  const out: Walk = { pm: [], installRecords: [] };
  const visit = (dir: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
    }
    for (const e of entries.sort((a, b) => compareNames(a.name, b.name))) {
      const p = path.join(dir, e.name);
      // never follow symbolic links: a tree must not lead the scan outside itself
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        if (e.name === '.meta') {
          for (const rec of readdirSync(p, { withFileTypes: true })) {
            if (!rec.isDirectory()) continue;
            for (const f of ['install.json', 'MYMETA.json']) {
              const candidate = path.join(p, rec.name, f);
              try {
                if (lstatSync(candidate).isFile()) {
                  out.installRecords.push(candidate);
                  break;
                }
              } catch {
                /* not there */
              }
            }
          }
          continue;
        }
        visit(p, depth + 1);
      } else if (e.isFile() && e.name.endsWith('.pm')) {
        out.pm.push(p);
        if (out.pm.length > MAX_FILES) throw new CpansecError('IO_ERROR', `more than ${MAX_FILES} modules: not a module tree?`, { file: root });
      }
    }
  };
  visit(root, 0);
  return out;
}

const ARCHNAME = /^[\w.-]*-(?:linux|darwin|MSWin32|freebsd|openbsd|netbsd|solaris|cygwin|dragonfly|haiku|aix|hpux)[\w.-]*$/;
const PERL_VERSION_DIR = /^5\.\d+(?:\.\d+)?$/;
const PACKAGE_SEGMENT = /^[A-Za-z_]\w*$/;

/**
 * The library directories of a tree, as perl's @INC layout has them: the tree itself, its
 * <archname>/ and <version>/ subdirectories and <version>/<archname>/ (Debian's
 * /usr/lib/x86_64-linux-gnu/perl5 holds 5.36/DBI.pm; local::lib's lib/perl5 holds
 * x86_64-linux-gnu-thread-multi/). A Carton or local::lib root (local/) is read at its lib/perl5.
 */
export function libraryRoots(dir: string): string[] {
  const isDir = (p: string) => {
    try {
      return lstatSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const base = isDir(path.join(dir, 'lib', 'perl5')) ? path.join(dir, 'lib', 'perl5') : dir;
  const roots = [base];
  const subdirs = (p: string) => {
    try {
      return readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch {
      return [];
    }
  };
  for (const name of subdirs(base)) {
    if (ARCHNAME.test(name)) roots.push(path.join(base, name));
    if (PERL_VERSION_DIR.test(name)) {
      roots.push(path.join(base, name));
      for (const arch of subdirs(path.join(base, name))) if (ARCHNAME.test(arch)) roots.push(path.join(base, name, arch));
    }
  }
  return roots;
}

/**
 * Module name from its path under the deepest library directory that holds it; undefined when
 * the path is not a package name (auto/, a stray 5.30/ of another perl, a name with a dot).
 */
function moduleName(roots: string[], file: string): string | undefined {
  const root = roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  if (!root) return undefined;
  const rel = path.relative(root, file).replace(/\.pm$/, '').split(path.sep);
  if (rel[0] === 'auto' || !rel.every((s) => PACKAGE_SEGMENT.test(s))) return undefined;
  return rel.join('::');
}

function installRecord(file: string): { dependency: Dependency; provides: string[] } | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `install record is not JSON: ${(e as Error).message}`, { file });
  }
  // cpanm's install.json: "name" is the module asked for (LWP for libwww-perl), "dist" is
  // Name-Version and "pathname" the CPAN path: the distribution comes from the path, else "dist"
  const fromPath = typeof doc.pathname === 'string' ? parseDistPath(doc.pathname) : undefined;
  const fromDist = typeof doc.dist === 'string' ? parseDistPath(`${doc.dist}.tar.gz`) : undefined;
  const dist = fromPath?.dist || fromDist?.dist || (typeof doc.name === 'string' ? doc.name.replace(/::/g, '-') : undefined);
  const version = fromPath?.version ?? fromDist?.version ?? (doc.version !== undefined && doc.version !== null ? String(doc.version) : undefined);
  if (!dist || !version) return undefined;
  const provides = doc.provides && typeof doc.provides === 'object' ? Object.keys(doc.provides) : [];
  return {
    dependency: {
      name: dist,
      kind: 'distribution',
      distribution: dist,
      version,
      distributionVersion: version,
      ...(typeof doc.pathname === 'string' ? { pathname: doc.pathname } : {}),
      source: { file },
    },
    provides,
  };
}

/** Installed distributions (from install records) and modules (from .pm files) of the trees. */
export function readInstalled(dirs: string[]): Dependency[] {
  const deps: Dependency[] = [];
  for (const dir of dirs) {
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      throw new CpansecError('NOT_FOUND', 'no such directory', { file: dir });
    }
    if (!stat.isDirectory()) throw new CpansecError('USAGE', 'not a directory (give a module tree such as local/lib/perl5)', { file: dir });
    const roots = libraryRoots(dir);
    const found = walk(roots[0]!);
    const named = found.pm.map((file) => ({ file, module: moduleName(roots, file) })).filter((m): m is { file: string; module: string } => m.module !== undefined);
    if (named.length === 0 && found.installRecords.length === 0) {
      const why = found.pm.length ? `${found.pm.length} .pm file(s), none at a module path under ${roots.join(', ')}` : 'no Perl modules (*.pm)';
      throw new CpansecError('NOT_FOUND', `${why}: not a module tree (give a library directory such as local/lib/perl5)`, { file: dir });
    }
    const recorded = found.installRecords.map(installRecord).filter((d) => d !== undefined);
    const before = deps.length;
    deps.push(...recorded.map((r) => r.dependency));
    // modules of a recorded distribution are covered by its exact record
    const covered = new Set(recorded.flatMap((r) => r.provides));
    for (const { file, module } of named) {
      if (covered.has(module)) continue;
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch (e) {
        throw new CpansecError('IO_ERROR', `cannot read: ${(e as Error).message}`, { file });
      }
      const v = moduleVersions(source).get(module);
      if (!v) continue;
      if ('unparsable' in v) {
        deps.push({ name: module, kind: 'module', unreadableVersion: v.unparsable, source: { file } });
        continue;
      }
      deps.push({ name: module, kind: 'module', version: v.version, moduleVersion: true, source: { file } });
    }
    // a tree that yields no module at all is not audited "clean": the wrong directory was given
    if (deps.length === before) {
      throw new CpansecError('NOT_FOUND', `${named.length} module file(s) under ${roots.join(', ')}, none declaring the package its path names with a $VERSION: not a module tree`, { file: dir });
    }
  }
  return deps;
}
