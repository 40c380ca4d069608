/**
 * The version of a distribution that a perl ships. Module::CoreList knows modules, the database knows
 * distributions: the distribution's main module names its version when that perl ships it; a
 * distribution whose main module is not a real module (IO-Compress: "IO::Compress") is resolved
 * through the modules the database maps to it, at the version most of them share in that perl
 * (IO-Compress 2.106 in perl 5.36.0: 26 of its modules say 2.106, one 1.001).
 */
import type { VulnerabilityIndex } from './vulnerability-index.js';

export interface ShippedVersion {
  version: string;
  /** the module (or modules) whose version in that perl it is */
  from: string;
}

export function shippedDistributionVersion(
  index: VulnerabilityIndex,
  distribution: string,
  coreVersion: (module: string) => string | undefined,
): ShippedVersion | undefined {
  // perl itself is not a distribution perl ships
  if (distribution === 'perl' || !index.hasDistribution(distribution)) return undefined;
  const main = index.distribution(distribution)?.mainModule || distribution.replace(/-/g, '::');
  const own = coreVersion(main);
  if (own !== undefined) return { version: own, from: main };
  const counts = new Map<string, string[]>();
  for (const module of index.modulesOf(distribution)) {
    const v = coreVersion(module);
    if (v === undefined) continue;
    const list = counts.get(v) ?? [];
    list.push(module);
    counts.set(v, list);
  }
  const ranked = [...counts].sort((a, b) => b[1].length - a[1].length);
  const [first, second] = ranked;
  // no module shipped, or no version most of them share: the perl's version cannot be told
  if (!first || (second && second[1].length === first[1].length)) return undefined;
  return { version: first[0], from: `${first[1].length} of its modules, e.g. ${first[1].sort()[0]}` };
}
