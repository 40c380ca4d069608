/**
 * Carton's cpanfile.snapshot: the exact distributions a project installs.
 *
 *   # carton snapshot format: version 1.0
 *   DISTRIBUTIONS
 *     Mojolicious-9.30
 *       pathname: S/SR/SRI/Mojolicious-9.30.tar.gz
 *       provides:
 *         Mojolicious 9.30
 *       requirements:
 *         perl 5.016
 */
import { CpansecError } from '../../errors.js';
import { parseDistPath } from '../../perl/index.js';
import type { Dependency } from '../dependency.js';

export interface SnapshotDistribution {
  /** the name line, e.g. Mojolicious-9.30 */
  name: string;
  /** distribution name and version from the CPAN path (CPAN::DistnameInfo rules) */
  distribution: string;
  version?: string;
  pathname?: string;
  author?: string;
  provides: { module: string; version?: string }[];
  requirements: { module: string; version: string; line: number }[];
  line: number;
}

export interface Snapshot {
  file: string;
  distributions: SnapshotDistribution[];
}

const INDENT = /^( *)(.*)$/;

export function parseSnapshot(text: string, file: string): Snapshot {
  const lines = text.split(/\r?\n/);
  const fail = (line: number, why: string): never => {
    throw new CpansecError('PARSE_ERROR', `not a cpanfile.snapshot: ${why}`, { file, line });
  };
  const header = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (!/^# carton snapshot format: version 1\.0\s*$/.test(lines[0] ?? '')) fail(1, "missing '# carton snapshot format: version 1.0'");
  if (header === -1 || lines[header]!.trim() !== 'DISTRIBUTIONS') fail(header + 1 || 1, "expected 'DISTRIBUTIONS'");
  const distributions: SnapshotDistribution[] = [];
  let current: SnapshotDistribution | undefined;
  let section: 'provides' | 'requirements' | undefined;
  for (let i = header + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    if (raw.includes('\t')) fail(i + 1, 'tab in indentation');
    const [, spaces = '', body = ''] = INDENT.exec(raw.trimEnd())!;
    const depth = spaces.length;
    if (depth === 2) {
      if (!/^\S+$/.test(body)) fail(i + 1, `bad distribution line '${body}'`);
      current = { name: body, distribution: body, provides: [], requirements: [], line: i + 1 };
      distributions.push(current);
      section = undefined;
    } else if (depth === 4 && current) {
      const m = /^(pathname|provides|requirements):\s*(.*)$/.exec(body);
      if (!m) fail(i + 1, `unknown key '${body}'`);
      if (m![1] === 'pathname') {
        if (!m![2]) fail(i + 1, 'empty pathname');
        current.pathname = m![2];
        const info = parseDistPath(m![2]!);
        if (info.dist) current.distribution = info.dist;
        if (info.version !== undefined) current.version = info.version;
        if (info.cpanid) current.author = info.cpanid;
        section = undefined;
      } else {
        section = m![1] as 'provides' | 'requirements';
      }
    } else if (depth === 6 && current && section) {
      // a requirement is a CPAN::Meta::Spec range and may have spaces ('IO::Socket::SSL != 1.38')
      const m = section === 'provides' ? /^(\S+)\s+(\S+)$/.exec(body) : /^(\S+)\s+(\S.*)$/.exec(body);
      if (!m) fail(i + 1, `expected 'Module version', got '${body}'`);
      if (section === 'provides') current.provides.push({ module: m![1]!, ...(m![2] !== 'undef' ? { version: m![2] } : {}) });
      else current.requirements.push({ module: m![1]!, version: m![2]!, line: i + 1 });
    } else {
      fail(i + 1, 'unexpected indentation');
    }
  }
  // a pathname without a version (a local tarball, a git checkout) leaves that one entry unchecked:
  // the rest of the lock is still audited
  for (const d of distributions) if (!d.pathname) fail(d.line, `distribution ${d.name} has no pathname`);
  return { file, distributions };
}

/** One exact-version dependency per locked distribution. */
export function snapshotDependencies(snapshot: Snapshot): Dependency[] {
  return snapshot.distributions.map((d) => ({
    name: d.distribution,
    kind: 'distribution',
    distribution: d.distribution,
    ...(d.version !== undefined
      ? { version: d.version, distributionVersion: d.version }
      : { unversioned: `the lock names ${d.name} by a path without a version (${d.pathname}): its version cannot be told, it was not checked` }),
    ...(d.pathname ? { pathname: d.pathname } : {}),
    source: { file: snapshot.file, line: d.line },
  }));
}

/**
 * Modules the locked distributions require that none of them provides: they come from the perl in
 * use (core and dual-life modules such as File::Temp) or are missing from the lock. Each is a
 * requirement: every range that names it, AND'ed, at the first line that names it.
 */
export function unlockedRequirements(snapshot: Snapshot): Dependency[] {
  const provided = new Set(snapshot.distributions.flatMap((d) => d.provides.map((p) => p.module)));
  const byModule = new Map<string, { ranges: Set<string>; line: number }>();
  for (const d of snapshot.distributions) {
    for (const r of d.requirements) {
      if (provided.has(r.module) || r.module === 'perl') continue;
      const entry = byModule.get(r.module) ?? { ranges: new Set<string>(), line: r.line };
      if (r.version !== '0') entry.ranges.add(r.version);
      byModule.set(r.module, entry);
    }
  }
  return [...byModule].map(([module, { ranges, line }]) => ({
    name: module,
    kind: 'module',
    range: ranges.size ? [...ranges].join(', ') : '0',
    unlocked: true,
    source: { file: snapshot.file, line },
  }));
}
