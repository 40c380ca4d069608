/**
 * Which modules ship with perl (Module::CoreList data, generated into data/corelist.json by
 * scripts/gen-corelist.ts). Loaded on first use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../errors.js';
import { DATA_DIR } from '../paths.js';
import { compareVersions, parseVersion, type PerlVersion } from './version.js';

interface CoreData {
  module_corelist_version: string;
  newest_perl: string;
  /** the newest stable perl (even minor version): the default */
  newest_stable?: string;
  perls: string[];
  /** module -> [first perl, removed in perl | null, version in the newest perl | null, upstream is CPAN 0|1] */
  modules: Record<string, [string, string | null, string | null, 0 | 1]>;
}

export interface CoreInfo {
  /** shipped with the given perl */
  core: boolean;
  /** Module::CoreList names CPAN as its upstream: maintained and released on CPAN too */
  dualLife: boolean;
  since: string;
  removedIn?: string;
  /** its version in the newest perl of the data */
  versionInPerl?: string;
}

const FILE = path.join(DATA_DIR, 'corelist.json');
let data: CoreData | undefined;

function load(): CoreData {
  data ??= JSON.parse(readFileSync(FILE, 'utf8')) as CoreData;
  return data;
}

/** The newest stable perl of the data: the default perl when none is named or found. */
export function newestPerl(): string {
  const d = load();
  return d.newest_stable ?? d.newest_perl;
}

/** The Module::CoreList release the data was generated from. */
export function coreListVersion(): string {
  return load().module_corelist_version;
}

const checked = new Map<string, string>();

/**
 * A perl version as a user gives it (`--perl 5.36`, `5.036`, `v5.36.0`, `5.36.1`) checked against the
 * core-module data, as the dotted form (`5.36.0`) that `coreInfo` takes. `5.N` with one or two
 * digits is perl 5.N.0, as people write it (version.pm would read 5.40 as 5.400). A perl newer than
 * the data is an error, never the newest list silently: its core modules are not known.
 */
export function checkPerlVersion(text: string): string {
  const hit = checked.get(text);
  if (hit) return hit;
  const given = text.trim();
  const human = /^v?(\d+)\.(\d{1,2})$/.exec(given);
  let normal: string;
  try {
    normal = parseVersion(human ? `${human[1]}.${human[2]}.0` : given).normal().replace(/^v/, '');
  } catch {
    throw new CpansecError('USAGE', `--perl '${given}' is not a perl version (e.g. 5.36, 5.36.1, 5.036001)`);
  }
  const d = load();
  const newest = parseVersion(d.newest_perl).normal().replace(/^v/, '');
  const oldest = parseVersion(d.perls[0] ?? '5').normal().replace(/^v/, '');
  if (compareVersions(normal, newest) > 0) {
    throw new CpansecError(
      'USAGE',
      `--perl ${given}: the bundled core-module data ends at perl ${newest} (Module::CoreList ${d.module_corelist_version}); ` +
        'regenerate it with that perl installed: node --import tsx scripts/gen-corelist.ts',
    );
  }
  if (compareVersions(normal, oldest) < 0) {
    throw new CpansecError('USAGE', `--perl ${given}: the core-module data starts at perl ${oldest}`);
  }
  checked.set(text, normal);
  return normal;
}

const parsed = new Map<string, PerlVersion>();
function perlOf(text: string): PerlVersion {
  let p = parsed.get(text);
  if (!p) parsed.set(text, (p = parseVersion(checkPerlVersion(text))));
  return p;
}

/**
 * Core status of a module in a perl (default: the newest in the data); undefined when never core.
 * The perl is read by `checkPerlVersion` (an error when the data does not know it).
 */
export function coreInfo(module: string, perl?: string): CoreInfo | undefined {
  const d = load();
  const p = perlOf(perl ?? newestPerl());
  const entry = d.modules[module];
  if (!entry) return undefined;
  const [since, removed, version, cpan] = entry;
  const core = compareVersions(p, since) >= 0 && (removed === null || compareVersions(p, removed) < 0);
  return { core, dualLife: cpan === 1, since, ...(removed ? { removedIn: removed } : {}), ...(version ? { versionInPerl: version } : {}) };
}

const VERSIONS_FILE = path.join(DATA_DIR, 'corelist-versions.json');
let history: Record<string, [string, string | null][]> | undefined;

/**
 * The version of a module that a perl ships (Module::CoreList's %version), undefined when that perl
 * does not ship it or ships it without a version. The perl is read by `checkPerlVersion`.
 */
export function coreVersion(module: string, perl?: string): string | undefined {
  history ??= (JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as { versions: Record<string, [string, string | null][]> }).versions;
  const p = perlOf(perl ?? newestPerl());
  let found: string | null | undefined;
  for (const [since, version] of history[module] ?? []) {
    if (compareVersions(p, since) < 0) break;
    found = version;
  }
  return found ?? undefined;
}
