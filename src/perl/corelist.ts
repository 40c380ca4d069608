/**
 * Which modules ship with perl (Module::CoreList data, generated into data/corelist.json by
 * scripts/gen-corelist.ts). Loaded on first use.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '../paths.js';
import { compareVersions, parseVersion } from './version.js';

interface CoreData {
  newest_perl: string;
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

export function newestPerl(): string {
  return load().newest_perl;
}

/** Core status of a module in a perl (default: the newest in the data); undefined when never core. */
export function coreInfo(module: string, perl?: string): CoreInfo | undefined {
  const d = load();
  const entry = d.modules[module];
  if (!entry) return undefined;
  const [since, removed, version, cpan] = entry;
  const p = parseVersion(perl ?? d.newest_perl);
  const core = compareVersions(p, since) >= 0 && (removed === null || compareVersions(p, removed) < 0);
  return { core, dualLife: cpan === 1, since, ...(removed ? { removedIn: removed } : {}), ...(version ? { versionInPerl: version } : {}) };
}
