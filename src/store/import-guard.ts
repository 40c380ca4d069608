/**
 * What an import may not silently lose. A database carries the release lists and the module map
 * beside the advisories, but not every source has them: a directory of report files without
 * releases.json has neither. Replacing the stored ones with nothing would make every release
 * unknown to the MetaCPAN API, empty the OSV records' `versions[]` and let range audits of an
 * exported database come back clean. So an import whose database lists no releases (or no
 * modules) keeps the stored ones, merged with its advisories; one that would drop most of them is
 * refused unless forced.
 */
import type { AdvisoryDatabase, DistributionRecord } from '../advisory/index.js';
import { CpansecError } from '../errors.js';

export interface ImportOptions {
  /** replace the release lists and the module map even when the new database drops most of them */
  force?: boolean;
}

/** What the store kept of its own because the imported database had none. */
export interface KeptFromStore {
  /** the stored release lists (and main modules) */
  releases: boolean;
  /** the stored module map */
  modules: boolean;
}

const releaseCount = (db: AdvisoryDatabase) => [...db.distributions.values()].reduce((n, d) => n + d.releases.length, 0);

/** "Most" is more than half: a smaller database is normal (a release list trimmed), half gone is not. */
const dropsMost = (before: number, after: number) => before > 0 && after * 2 < before;

function refuse(what: string, before: number, after: number, source: string): CpansecError {
  return new CpansecError(
    'INTEGRITY_ERROR',
    `the new database lists ${after} ${what} where the store has ${before}: it would drop most of them; refusing (--force replaces them anyway)`,
    { file: source },
  );
}

/** The stored releases and main modules with the incoming advisories (and report metadata). */
function withStoredReleases(stored: AdvisoryDatabase, incoming: AdvisoryDatabase): Map<string, DistributionRecord> {
  const out = new Map<string, DistributionRecord>();
  for (const d of incoming.distributions.values()) {
    const s = stored.distributions.get(d.name);
    const mainModule = d.mainModule ?? s?.mainModule;
    out.set(d.name, {
      name: d.name,
      ...(mainModule !== undefined ? { mainModule } : {}),
      ...(d.meta ? { meta: d.meta } : {}),
      releases: s?.releases ?? [],
      advisories: d.advisories,
    });
  }
  // a distribution whose advisories are gone keeps its releases: the module map still names it
  for (const s of stored.distributions.values()) {
    if (!out.has(s.name) && s.releases.length) {
      out.set(s.name, { name: s.name, ...(s.mainModule !== undefined ? { mainModule: s.mainModule } : {}), releases: s.releases, advisories: [] });
    }
  }
  return out;
}

/**
 * The database to store in place of `stored` when `incoming` is imported from `source`: `incoming`
 * itself, or merged with the stored release lists / module map when it has none. Throws when it
 * would drop most of them and `force` is not set.
 */
export function guardImport(
  stored: AdvisoryDatabase,
  incoming: AdvisoryDatabase,
  source: string,
  options: ImportOptions = {},
): { database: AdvisoryDatabase; kept: KeptFromStore } {
  const releases = { before: releaseCount(stored), after: releaseCount(incoming) };
  const modules = { before: stored.moduleToDistribution.size, after: incoming.moduleToDistribution.size };
  const kept: KeptFromStore = { releases: releases.after === 0 && releases.before > 0, modules: modules.after === 0 && modules.before > 0 };
  if (!options.force) {
    if (!kept.releases && dropsMost(releases.before, releases.after)) throw refuse('releases', releases.before, releases.after, source);
    if (!kept.modules && dropsMost(modules.before, modules.after)) throw refuse('modules in its module map', modules.before, modules.after, source);
  }
  if (!kept.releases && !kept.modules) return { database: incoming, kept };
  return {
    database: {
      meta: incoming.meta,
      distributions: kept.releases ? withStoredReleases(stored, incoming) : incoming.distributions,
      moduleToDistribution: kept.modules ? new Map(stored.moduleToDistribution) : incoming.moduleToDistribution,
    },
    kept,
  };
}
