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

const TAB = 9;
const SPACE = 32;
const HASH = 35;
const KEY = /^(pathname|provides|requirements):\s*(.*)$/;
// sticky: matched at a line's first character in the whole text, so no line is copied out first;
// a match must then end where the line's content does
const NAME_VERSION = /(\S+)\s+(\S+)/y;
const NAME_RANGE = /(\S+)\s+(\S.*)/y;
/** A block of plain section lines, each `      Module Version` (or a range) with its newline. */
const PLAIN_PROVIDES = /(?: {6}[!-"$-~][!-~]* +[!-~]+ *\n)*/y;
const PLAIN_REQUIREMENTS = /(?: {6}[!-"$-~][!-~]* +[!-~][ -~]*\n)*/y;

/** The lines of a plain provides block (after lineNo); the last line's number. */
function providesBlock(block: string, d: SnapshotDistribution, lineNo: number): number {
  // module, version, module, version …
  const words = block.trim().split(/ +\n? *| *\n */);
  for (let i = 0; i < words.length; i += 2) {
    const module = words[i]!;
    const version = words[i + 1]!;
    d.provides.push(version !== 'undef' ? { module, version } : { module });
  }
  return lineNo + words.length / 2;
}

/** The lines of a plain requirements block (after lineNo); the last line's number. */
function requirementsBlock(block: string, d: SnapshotDistribution, lineNo: number): number {
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const space = line.indexOf(' ', 6);
    let range = space + 1;
    while (line.charCodeAt(range) === SPACE) range++;
    d.requirements.push({ module: line.slice(6, space), version: line.slice(range).trimEnd(), line: lineNo + i + 1 });
  }
  return lineNo + lines.length;
}


function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

// Read in place: indexOf, character codes and sticky regular expressions on the whole text, never a
// copy of each line (a lock of 400 distributions has some 10,000 lines, and this is most of reading it)
export function parseSnapshot(text: string, file: string): Snapshot {
  const fail = (line: number, why: string): never => {
    throw new CpansecError('PARSE_ERROR', `not a cpanfile.snapshot: ${why}`, { file, line });
  };
  const distributions: SnapshotDistribution[] = [];
  let current: SnapshotDistribution | undefined;
  let section: 'provides' | 'requirements' | undefined;
  let lineNo = 0;
  let header = false;
  // where the next tab is: a line holding one is refused, and searching each line for it would
  // scan to the end of the text every time
  let nextTab = -1;
  for (let start = 0; start <= text.length; ) {
    if (section && current) {
      // a section's lines read as a block (one expression, one split) when they are all plain:
      // six spaces, printable ASCII, no comment; any other line is read on its own below
      const re = section === 'provides' ? PLAIN_PROVIDES : PLAIN_REQUIREMENTS;
      re.lastIndex = start;
      re.exec(text);
      if (re.lastIndex > start) {
        const block = text.slice(start, re.lastIndex - 1);
        lineNo = section === 'provides' ? providesBlock(block, current, lineNo) : requirementsBlock(block, current, lineNo);
        start = re.lastIndex;
        if (start > text.length) break;
        continue;
      }
    }
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    const lineStart = start;
    start = nl + 1;
    lineNo++;
    if (!header) {
      const raw = text.slice(lineStart, nl > lineStart && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      if (lineNo === 1 && !/^# carton snapshot format: version 1\.0\s*$/.test(raw)) fail(1, "missing '# carton snapshot format: version 1.0'");
      if (raw.trim() === '' || raw.startsWith('#')) continue;
      if (raw.trim() !== 'DISTRIBUTIONS') fail(lineNo, "expected 'DISTRIBUTIONS'");
      header = true;
      continue;
    }
    // content: after the leading spaces, before trailing whitespace (a CR among it)
    let first = lineStart;
    while (text.charCodeAt(first) === SPACE) first++;
    let end = nl;
    while (end > first && isSpace(text.charCodeAt(end - 1))) end--;
    if (first === end) continue;
    const c = text.charCodeAt(first);
    if (c === HASH || (isSpace(c) && text.slice(first, end).trimStart().startsWith('#'))) continue;
    if (nextTab < lineStart && nextTab !== Infinity) {
      nextTab = text.indexOf('\t', lineStart);
      if (nextTab < 0) nextTab = Infinity;
    }
    if (nextTab < nl && text.charCodeAt(nextTab) === TAB) fail(lineNo, 'tab in indentation');
    const depth = first - lineStart;
    if (depth === 6 && current && section) {
      // a requirement is a CPAN::Meta::Spec range and may have spaces ('IO::Socket::SSL != 1.38')
      const provides = section === 'provides';
      const re = provides ? NAME_VERSION : NAME_RANGE;
      re.lastIndex = first;
      const m = re.exec(text);
      // the match is the line's content: a range runs on over trailing whitespace, not past the line
      const over = m ? re.lastIndex - end : -1;
      if (!m || over < 0 || (provides ? over > 0 : re.lastIndex > nl)) fail(lineNo, `expected 'Module version', got '${text.slice(first, end)}'`);
      if (provides) current.provides.push(m![2] !== 'undef' ? { module: m![1]!, version: m![2]! } : { module: m![1]! });
      else current.requirements.push({ module: m![1]!, version: over ? m![2]!.slice(0, -over) : m![2]!, line: lineNo });
      continue;
    }
    const raw = text.slice(first, end);
    if (depth === 2) {
      if (!/^\S+$/.test(raw)) fail(lineNo, `bad distribution line '${raw}'`);
      current = { name: raw, distribution: raw, provides: [], requirements: [], line: lineNo };
      distributions.push(current);
      section = undefined;
    } else if (depth === 4 && current) {
      const m = KEY.exec(raw);
      if (!m) fail(lineNo, `unknown key '${raw}'`);
      if (m![1] === 'pathname') {
        if (!m![2]) fail(lineNo, 'empty pathname');
        current.pathname = m![2];
        const info = parseDistPath(m![2]!);
        if (info.dist) current.distribution = info.dist;
        if (info.version !== undefined) current.version = info.version;
        if (info.cpanid) current.author = info.cpanid;
        section = undefined;
      } else {
        section = m![1] as 'provides' | 'requirements';
      }
    } else {
      fail(lineNo, 'unexpected indentation');
    }
  }
  if (!header) fail(1, "expected 'DISTRIBUTIONS'");
  // a pathname without a version (a local tarball, a git checkout) leaves that one entry unchecked:
  // the rest of the lock is still audited
  for (let i = 0; i < distributions.length; i++) if (!distributions[i]!.pathname) fail(distributions[i]!.line, `distribution ${distributions[i]!.name} has no pathname`);
  return { file, distributions };
}

/** One exact-version dependency per locked distribution. */
export function snapshotDependencies(snapshot: Snapshot): Dependency[] {
  // built field by field in one order (no spreads: a lock has hundreds, each spread a copy)
  return snapshot.distributions.map((d) => {
    const dep: Dependency = { name: d.distribution, kind: 'distribution', distribution: d.distribution, source: { file: snapshot.file, line: d.line } };
    if (d.version !== undefined) {
      dep.version = d.version;
      dep.distributionVersion = d.version;
    } else {
      dep.unversioned = `the lock names ${d.name} by a path without a version (${d.pathname}): its version cannot be told, it was not checked`;
    }
    if (d.pathname) dep.pathname = d.pathname;
    return dep;
  });
}

/**
 * Modules the locked distributions require that none of them provides: they come from the perl in
 * use (core and dual-life modules such as File::Temp) or are missing from the lock. Each is a
 * requirement: every range that names it, AND'ed, at the first line that names it.
 */
export function unlockedRequirements(snapshot: Snapshot): Dependency[] {
  // indexed loops: without the optimising compiler (an audit), for-of allocates at each of 7,000 steps
  const { distributions } = snapshot;
  const provided = new Set<string>();
  for (let i = 0; i < distributions.length; i++) {
    const { provides } = distributions[i]!;
    for (let j = 0; j < provides.length; j++) provided.add(provides[j]!.module);
  }
  const byModule = new Map<string, { ranges: string[]; line: number }>();
  for (let i = 0; i < distributions.length; i++) {
    const { requirements } = distributions[i]!;
    for (let j = 0; j < requirements.length; j++) {
      const r = requirements[j]!;
      if (r.module === 'perl' || provided.has(r.module)) continue;
      let entry = byModule.get(r.module);
      if (!entry) byModule.set(r.module, (entry = { ranges: [], line: r.line }));
      if (r.version !== '0' && !entry.ranges.includes(r.version)) entry.ranges.push(r.version);
    }
  }
  const out: Dependency[] = [];
  byModule.forEach(({ ranges, line }, module) => {
    out.push({ name: module, kind: 'module', range: ranges.length ? ranges.join(', ') : '0', unlocked: true, source: { file: snapshot.file, line } });
  });
  return out;
}
