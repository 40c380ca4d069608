/**
 * Which modules ship with perl (Module::CoreList data, generated into data/corelist.json by
 * scripts/gen-corelist.ts). Loaded on first use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../errors.js';
import { DATA_DIR } from '../paths.js';
import { readJsonLines, type JsonLines } from './json-lines.js';
import { compareVersions, parseVersion, type PerlVersion } from './version.js';

interface CoreHead {
  module_corelist_version: string;
  newest_perl: string;
  /** the newest stable perl (even minor version): the default */
  newest_stable?: string;
  perls: string[];
}

/** module -> [first perl, removed in perl | null, version in the newest perl | null, upstream is CPAN 0|1] */
type CoreEntry = [string, string | null, string | null, 0 | 1];

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

/**
 * The data files are one module a line (json-lines.ts): a run parses the head and the lines of the
 * modules it asks about, not 1,000 modules' entries and their version histories.
 */
function open(file: string, member: string): JsonLines {
  const buf = readFileSync(file);
  const lines = readJsonLines(buf, member);
  if (lines) return lines;
  // another layout (an older generator): parse it whole
  const whole = JSON.parse(buf.toString('utf8')) as Record<string, unknown>;
  const members = (whole[member] ?? {}) as Record<string, unknown>;
  return { head: whole, get: (k) => members[k], keys: () => Object.keys(members) };
}

let data: JsonLines | undefined;
function load(): CoreHead {
  data ??= open(FILE, 'modules');
  return data.head as unknown as CoreHead;
}
function entry(module: string): CoreEntry | undefined {
  load();
  return data!.get(module) as CoreEntry | undefined;
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
  const p = perlOf(perl ?? newestPerl());
  const found = entry(module);
  if (!found) return undefined;
  const [since, removed, version, cpan] = found;
  const core = compareVersions(p, since) >= 0 && (removed === null || compareVersions(p, removed) < 0);
  return { core, dualLife: cpan === 1, since, ...(removed ? { removedIn: removed } : {}), ...(version ? { versionInPerl: version } : {}) };
}

const VERSIONS_FILE = path.join(DATA_DIR, 'corelist-versions.json');
let history: JsonLines | undefined;

/**
 * The version of a module that a perl ships (Module::CoreList's %version), undefined when that perl
 * does not ship it or ships it without a version. The perl is read by `checkPerlVersion`.
 */
export function coreVersion(module: string, perl?: string): string | undefined {
  history ??= open(VERSIONS_FILE, 'versions');
  const p = perlOf(perl ?? newestPerl());
  let found: string | null | undefined;
  const changes = (history.get(module) as [string, string | null][] | undefined) ?? [];
  // indexed: an audit runs without the optimising compiler, and for-of with destructuring
  // allocates iterators at every step
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (compareVersions(p, change[0]) < 0) break;
    found = change[1];
  }
  return found ?? undefined;
}
