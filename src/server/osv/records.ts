/**
 * The OSV records of a snapshot, built once per revision with the publish part's exporter: one
 * record per OSV group (see src/publish/osv/ids.ts), its `modified` the latest time the store
 * changed one of its entries; plus the lookups the API needs (by package, by entry, by alias).
 */
import type { Advisory } from '../../advisory/index.js';
import { databaseModified, osvGroups, osvRecordOfGroup, type OsvRecord } from '../../publish/index.js';
import type { Snapshot } from '../snapshot.js';

export interface OsvEntry {
  record: OsvRecord;
  /** the record as served: compact JSON */
  json: string;
}

export interface OsvIndex {
  /** by OSV id, sorted by id */
  records: Map<string, OsvEntry>;
  /** the OSV id of each index entry */
  idOf: Map<Advisory, string>;
  /** OSV ids by distribution (package name), sorted */
  byPackage: Map<string, string[]>;
  /** OSV ids by alias (CVE, GHSA, earlier ids), sorted */
  byAlias: Map<string, string[]>;
}

/** RFC 3339 as OSV records usually write it: no fraction when it is zero. */
const osvTime = (iso: string) => iso.replace(/\.000Z$/, 'Z');

function modifiedOf(s: Snapshot, entries: Advisory[]): string {
  const times = entries.map((a) => s.times(a)?.modified).filter((t): t is string => !!t);
  if (times.length) return osvTime(times.reduce((a, b) => (a > b ? a : b)));
  return databaseModified(s.index) ?? osvTime(s.updated);
}

function add(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (!list.includes(id)) list.push(id);
}

export function osvIndexOf(s: Snapshot): OsvIndex {
  return s.memo('osv-index', () => {
    const records = new Map<string, OsvEntry>();
    const idOf = new Map<Advisory, string>();
    const byPackage = new Map<string, string[]>();
    const byAlias = new Map<string, string[]>();
    for (const group of osvGroups(s.index.allAdvisories())) {
      const record = osvRecordOfGroup(group, s.index, modifiedOf(s, group.advisories));
      records.set(group.id, { record, json: JSON.stringify(record) });
      for (const a of group.advisories) {
        idOf.set(a, group.id);
        add(byPackage, a.distribution, group.id);
      }
      for (const alias of record.aliases ?? []) add(byAlias, alias, group.id);
      if (group.cpansaId !== group.id) add(byAlias, group.cpansaId, group.id);
    }
    for (const list of [...byPackage.values(), ...byAlias.values()]) list.sort();
    return { records, idOf, byPackage, byAlias };
  });
}
