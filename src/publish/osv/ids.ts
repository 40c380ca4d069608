/**
 * OSV ids for the advisory data. The CPANSA data repeats an id: reports generated for a bundled
 * library (zlib, SQLite, jQuery …) list one entry per range of releases that shipped an affected
 * copy, all with the same id and text. Those entries are one vulnerability of one package, so they
 * become one OSV record with one `affected` entry each. Rarely, one id names different
 * vulnerabilities (two CVEs, or a core and a CPAN copy described differently); each gets its own
 * record, and its id is made unique by a stable suffix. The rule, in order:
 *
 * 1. Entries with the same id and the same content (every field but the distribution and the two
 *    ranges) form one record; if the id has only one such group, the record's id is the id.
 * 2. Otherwise the one group holding the distribution the id names (`CPANSA-<Dist>-…`) keeps the id;
 * 3. every other group gets `-<CVE>` (its first CVE, when no other group starts with it), else
 *    `-<Distribution>` (when its entries are of one distribution no other group has), else `-<n>`,
 *    its 1-based position among the groups left, ordered by reported date and description.
 */
import type { Advisory } from '../../advisory/index.js';
import type { VulnerabilityIndex } from '../../index/index.js';

export interface OsvGroup {
  id: string;
  /** the CPANSA id the entries carry */
  cpansaId: string;
  /** entries of the same vulnerability, in database order */
  advisories: Advisory[];
}

/** Everything but the distribution and the ranges, as one comparable string. */
function contentKey(a: Advisory): string {
  const { distribution: _d, affectedVersions: _a, fixedVersions: _f, ...rest } = a;
  return JSON.stringify(rest, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

function partition(entries: Advisory[]): Advisory[][] {
  const byKey = new Map<string, Advisory[]>();
  for (const a of entries) {
    const key = contentKey(a);
    const list = byKey.get(key);
    if (list) list.push(a);
    else byKey.set(key, [a]);
  }
  return [...byKey.values()];
}

const distributionsOf = (g: Advisory[]) => [...new Set(g.map((a) => a.distribution))];

/** The groups of one CPANSA id, with their OSV ids (rules above). */
function groupsOfId(cpansaId: string, entries: Advisory[]): OsvGroup[] {
  const groups = partition(entries);
  if (groups.length === 1) return [{ id: cpansaId, cpansaId, advisories: groups[0]! }];
  const owners = groups.filter((g) => g.some((a) => cpansaId.startsWith(`CPANSA-${a.distribution}-`)));
  const plain = owners.length === 1 ? owners[0] : undefined;
  const out: OsvGroup[] = plain ? [{ id: cpansaId, cpansaId, advisories: plain }] : [];
  const leftover: Advisory[][] = [];
  for (const g of groups) {
    if (g === plain) continue;
    const cve = g[0]!.cves[0];
    const dists = distributionsOf(g);
    if (cve && groups.filter((h) => h[0]!.cves[0] === cve).length === 1) {
      out.push({ id: `${cpansaId}-${cve}`, cpansaId, advisories: g });
    } else if (dists.length === 1 && groups.filter((h) => distributionsOf(h).includes(dists[0]!)).length === 1) {
      out.push({ id: `${cpansaId}-${dists[0]}`, cpansaId, advisories: g });
    } else {
      leftover.push(g);
    }
  }
  const order = (g: Advisory[]) => `${g[0]!.reported ?? ''}\u0000${g[0]!.description}`;
  leftover
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .forEach((g, i) => out.push({ id: `${cpansaId}-${i + 1}`, cpansaId, advisories: g }));
  return out;
}

/** Every OSV group of a list of advisories (the whole database), sorted by OSV id. */
export function osvGroups(advisories: Advisory[]): OsvGroup[] {
  const byId = new Map<string, Advisory[]>();
  for (const a of advisories) {
    const list = byId.get(a.id);
    if (list) list.push(a);
    else byId.set(a.id, [a]);
  }
  return [...byId].flatMap(([id, entries]) => groupsOfId(id, entries)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The group an advisory belongs to, among the index's entries with its id. */
export function osvGroupOf(advisory: Advisory, index: VulnerabilityIndex): OsvGroup {
  const entries = index.findAdvisories(advisory.id).filter((a) => a.id === advisory.id);
  // an advisory built elsewhere (a store, a file) stands for the index's equal entry
  const key = `${contentKey(advisory)}\u0000${advisory.distribution}\u0000${JSON.stringify([advisory.affectedVersions, advisory.fixedVersions])}`;
  const same =
    entries.find((e) => e === advisory) ??
    entries.find((e) => `${contentKey(e)}\u0000${e.distribution}\u0000${JSON.stringify([e.affectedVersions, e.fixedVersions])}` === key);
  if (!same) entries.push(advisory);
  const target = same ?? advisory;
  return groupsOfId(advisory.id, entries).find((g) => g.advisories.includes(target))!;
}

/** The OSV id of an advisory of the index. */
export function osvIdOf(advisory: Advisory, index: VulnerabilityIndex): string {
  return osvGroupOf(advisory, index).id;
}
