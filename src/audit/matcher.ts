/**
 * Dependencies -> findings. An exact version (snapshot, installed tree) is affected when it lies in an
 * advisory's affected range and not in its fixed range; a requirement range (cpanfile, META prereqs)
 * is reported when it admits a released version that an advisory affects.
 */
import { CpansecError } from '../errors.js';
import { shippedDistributionVersion, type VulnerabilityIndex } from '../index/index.js';
import { parseRange, parseVersion, satisfies, type PerlVersion } from '../perl/index.js';
import type { Dependency } from './dependency.js';
import type { AuditResult, CoreStatus, Finding, FindingAdvisory } from './finding.js';
import { applyIgnores, type IgnoreRule } from './ignore.js';
import { sortByNames } from './order.js';

/** The core-module oracle (Module::CoreList data), injected so the matcher stays pure. */
export type CoreLookup = (module: string) => { core: boolean; dualLife: boolean } | undefined;

export interface AuditOptions {
  ignore?: IgnoreRule[];
  /** YYYY-MM-DD, for ignore-rule expiry */
  today: string;
  coreLookup?: CoreLookup;
  /** the perl whose core list is consulted, for the report */
  perl?: string;
  /** how that perl was chosen (--perl, the perl on PATH …), for the report */
  perlSource?: string;
  /** the version of a module that perl ships, for modules a lock leaves to perl */
  coreVersion?: (module: string) => string | undefined;
  /** audit the `perl` requirement itself as the distribution `perl` (off by default, as in cpan-audit) */
  includePerl?: boolean;
}

function exactVersion(d: Dependency): string | undefined {
  return d.distributionVersion ?? d.version;
}

interface Resolved {
  distribution?: string;
  core?: CoreStatus;
  note?: string;
}

function resolve(d: Dependency, index: VulnerabilityIndex, options: AuditOptions): Resolved {
  if (d.kind === 'distribution') return { distribution: d.distribution ?? d.name };
  if (d.distribution) return { distribution: d.distribution };
  // the `perl` requirement is the interpreter, filed under the distribution perl
  if (d.name === 'perl') return { distribution: 'perl' };
  const distribution = index.distributionOfModule(d.name);
  const coreInfo = options.coreLookup?.(d.name);
  const core = coreInfo?.core ? { core: true, dualLife: coreInfo.dualLife, perl: options.perl ?? 'latest' } : undefined;
  return { distribution, core };
}

/** Audit dependencies against the index. Throws (exit 2) on a version or range nobody can read. */
export function auditDependencies(deps: Dependency[], index: VulnerabilityIndex, options: AuditOptions): AuditResult {
  const groups = new Map<string, Finding>();
  const installed = new Set(deps.filter((d) => d.moduleVersion || d.unreadableVersion !== undefined).map((d) => d.name));
  for (const d of deps) {
    if (d.name === 'perl' && !options.includePerl) continue;
    if (d.relationship === 'conflicts') continue;
    const r = resolve(d, index, options);
    const shipped = shippedWithPerl(d, r.distribution, index, options);
    const version = shipped?.version ?? exactVersion(d);
    const range = version === undefined ? (d.range ?? '0') : undefined;
    // a requirement nobody can read is an error wherever it is, not only for listed distributions
    if (range !== undefined && d.unreadableVersion === undefined && d.unversioned === undefined) requirement(d, range);
    const unknown = d.unversioned ?? (r.distribution && index.hasDistribution(r.distribution) ? versionUnknown(d, r.distribution, index, installed) : undefined);
    if (unknown === 'covered') continue;
    const key = `${r.distribution ?? `module:${d.name}`}\u0000${unknown ? 'unchecked' : (version ?? `range:${range}`)}`;
    const existing = groups.get(key);
    if (existing) {
      existing.sources.push(d);
      if (unknown) existing.notes.push(unknown);
      continue;
    }
    // built field by field, in this order (no spreads: a lock has hundreds of findings)
    const finding = { name: d.name } as Finding;
    if (r.distribution) finding.distribution = r.distribution;
    if (!unknown) {
      if (version !== undefined) finding.version = version;
      else finding.range = range;
    }
    finding.sources = [d];
    finding.status = unknown ? 'unchecked' : 'clean';
    if (r.core) finding.core = r.core;
    finding.advisories = [];
    finding.notes = unknown ? [unknown] : shipped ? [shipped.note] : [];
    groups.set(key, finding);
    if (!unknown) evaluate(finding, d, index, options);
  }
  const findings = sortByNames([...groups.values()], (f) => [f.distribution ?? f.name, f.version ?? '']);
  return {
    findings,
    database: {
      source: String(index.meta.source ?? 'bundled'),
      meta: index.meta,
      distributions: index.distributionNames().length,
      advisories: index.advisoryCount(),
    },
    inputs: [...new Set(deps.map((d) => d.source.file))],
    generatedAt: new Date(`${options.today}T00:00:00Z`).toISOString(),
    ...(options.perl ? { perl: { version: options.perl, ...(options.perlSource ? { source: options.perlSource } : {}) } } : {}),
  };
}

/**
 * A module a lock requires but does not provide is the one perl ships: audit that version of its
 * distribution (its main module's version in that perl) when it meets the requirements on it.
 */
function shippedWithPerl(d: Dependency, dist: string | undefined, index: VulnerabilityIndex, options: AuditOptions): { version: string; note: string } | undefined {
  if (!d.unlocked || !dist || !options.coreVersion) return undefined;
  const shipped = shippedDistributionVersion(index, dist, options.coreVersion);
  if (shipped === undefined) return undefined;
  const { version } = shipped;
  let meets: boolean;
  try {
    meets = satisfies(parseRange(d.range ?? '0', { syntax: 'cpanmeta' }), version);
  } catch {
    return undefined;
  }
  // a perl shipping an older version than required means the lock is not the whole story: the range
  if (!meets) return undefined;
  const through = shipped.from.includes(' ') ? `, the version of ${shipped.from}` : '';
  return { version, note: `not in the lock: ${dist} ${version} as perl ${options.perl ?? ''} ships it (requirement ${d.range ?? '0'}${through})` };
}

function requirement(d: Dependency, range: string) {
  try {
    return parseRange(range, { syntax: 'cpanmeta' });
  } catch (e) {
    throw new CpansecError('INVALID_RANGE', `${d.name}: ${(e as Error).message}`, { file: d.source.file, line: d.source.line });
  }
}

/**
 * An installed module's own $VERSION is its distribution's version only when it is the
 * distribution's main module: DBD::File 0.44 ships in DBI 1.652. Other modules of a distribution
 * whose main module is installed too are covered by it ('covered'); without the main module, or
 * with a $VERSION we cannot read, the distribution's version cannot be told (a note saying why).
 */
function versionUnknown(d: Dependency, dist: string, index: VulnerabilityIndex, installed: Set<string>): string | 'covered' | undefined {
  const main = index.distribution(dist)?.mainModule || dist.replace(/-/g, '::');
  if (!d.moduleVersion && d.unreadableVersion === undefined) {
    // a module named at an exact version (audit module, a batch line): its own version, which is the
    // distribution's only for the main module, or where the distribution has a release of that very
    // version (IO::Compress::Gzip 2.106 is in IO-Compress 2.106; DBD::File 0.44 is in no DBI 0.44)
    if (d.kind !== 'module' || d.version === undefined || d.distribution || d.unlocked || d.name === main || dist === 'perl') return undefined;
    if (index.listsRelease(dist, d.version)) return undefined;
    return `${d.version} is the version of the module ${d.name}, not of ${dist} (whose main module is ${main}): ${dist} was not checked; give the distribution's version (cpansec audit dist ${dist} VERSION)`;
  }
  if (d.name === main) {
    return d.unreadableVersion === undefined ? undefined : `the $VERSION of ${main} cannot be read statically (${d.unreadableVersion}): ${dist} was not checked`;
  }
  if (installed.has(main)) return 'covered';
  const own = d.version !== undefined ? ` (its own version ${d.version})` : '';
  return `${d.name}${own} is installed without ${dist}'s main module ${main}: ${dist}'s version cannot be told, it was not checked`;
}

function evaluate(finding: Finding, d: Dependency, index: VulnerabilityIndex, options: AuditOptions): void {
  const dist = finding.distribution;
  // a core-only module (or one the database files under the distribution perl itself) is the
  // interpreter's matter: perl5-porters', outside CPANSec's scope, unless perl itself is audited
  // A module the database files under a CPAN distribution other than perl is released on CPAN:
  // dual-life in practice even when Module::CoreList names no CPAN upstream (dist/ modules).
  if (finding.core && !finding.core.dualLife && dist && dist !== 'perl' && index.hasDistribution(dist)) finding.core.dualLife = true;
  if ((finding.core && !finding.core.dualLife) || (dist === 'perl' && !options.includePerl)) {
    finding.status = 'core';
    finding.notes.push('core module: the perl interpreter and core-only modules are perl5-porters\' matter (out of CPANSec scope)');
    return;
  }
  if (!dist || !index.hasDistribution(dist)) {
    finding.status = 'unlisted';
    return;
  }
  const matches: FindingAdvisory[] = [];
  let floor: PerlVersion | undefined;
  if (finding.version !== undefined) {
    let v: PerlVersion;
    try {
      v = parseVersion(finding.version);
    } catch (e) {
      throw new CpansecError('INVALID_VERSION', `${dist} ${finding.version}: ${(e as Error).message}`, { file: d.source.file, line: d.source.line });
    }
    floor = v;
    for (const advisory of index.advisoriesFor(dist, v)) matches.push({ advisory });
  } else {
    const range = requirement(d, finding.range ?? '0');
    if (!index.hasReleases(dist)) {
      finding.notes.push(`the database lists no releases of ${dist}: the requirement was checked against the advisories' ranges alone, and no upgrade can be named`);
    }
    for (const m of index.advisoriesForRange(dist, range)) {
      matches.push({ advisory: m.advisory, ...(m.unlisted ? {} : { affectedVersionsAdmitted: m.versions }) });
      for (const v of m.versions) {
        const pv = parseVersion(v);
        if (!floor || pv.compare(floor) > 0) floor = pv;
      }
    }
  }
  const merged = mergeById(matches);
  for (const m of merged) Object.assign(m, applyIgnores(m.advisory, options.ignore ?? [], options.today));
  finding.advisories = merged;
  if (merged.some((m) => !m.ignored)) {
    finding.status = 'vulnerable';
    const fix = index.lowestUnaffectedRelease(dist, floor);
    if (fix) finding.remediation = fix;
    else if (index.hasReleases(dist)) {
      // no release is free of every advisory: the lowest one that fixes all those with a released fix
      const unfixed = new Set(index.unfixedAdvisories(dist));
      const partial = index.lowestUnaffectedRelease(dist, floor, unfixed);
      const unfixedIds = new Set([...unfixed].map((a) => a.id));
      const open = merged.filter((m) => !m.ignored && unfixedIds.has(m.advisory.id)).map((m) => m.advisory.id);
      if (partial && open.length < merged.filter((m) => !m.ignored).length) {
        finding.remediation = partial;
        finding.unfixed = [...new Set(open)];
      }
      finding.notes.push(`no released version is free of ${open.length > 0 ? [...new Set(open)].join(', ') : 'known advisories'}`);
    }
  }
  if (finding.core?.dualLife) finding.notes.push('dual-life core module: in CPANSec scope');
  const unreadable = finding.range !== undefined ? index.unreadableVersions(dist) : [];
  if (unreadable.length) {
    finding.notes.push(`${unreadable.length} listed release(s) of ${dist} have versions version.pm cannot read and were not checked: ${unreadable.join(', ')}`);
  }
}

/**
 * One entry per advisory id: the data repeats an id once per range of releases (DBD-SQLite's
 * generated reports name one CVE in 74 entries). Their ranges and admitted versions are joined.
 */
function mergeById(matches: FindingAdvisory[]): FindingAdvisory[] {
  const byId = new Map<string, FindingAdvisory>();
  for (const m of matches) {
    const seen = byId.get(m.advisory.id);
    if (!seen) {
      byId.set(m.advisory.id, { ...m });
      continue;
    }
    const a = seen.advisory;
    seen.advisory = {
      ...a,
      affectedVersions: [...new Set([...a.affectedVersions, ...m.advisory.affectedVersions])],
      fixedVersions: [...new Set([...a.fixedVersions, ...m.advisory.fixedVersions])],
    };
    if (seen.affectedVersionsAdmitted || m.affectedVersionsAdmitted) {
      const all = [...new Set([...(seen.affectedVersionsAdmitted ?? []), ...(m.affectedVersionsAdmitted ?? [])])];
      seen.affectedVersionsAdmitted = all.sort((x, y) => parseVersion(x).compare(parseVersion(y)));
    }
  }
  return [...byId.values()];
}
