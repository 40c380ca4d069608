/**
 * @tufjs/models 4.x (and its upstream main) turns the snapshot's `meta`, a targets role's `targets`
 * and a delegation's `keys` and `roles` into and out of JSON with `reduce((acc, x) => ({...acc, …}))`:
 * one copy of the whole object per entry, quadratic. At 11,000 roles in a snapshot that is 35 s per
 * direction, paid when signing and again by every tuf-js client that reads it. This replaces those
 * four conversions on the library's own classes by linear ones that give the same objects (the
 * same keys in the same order, the same validation errors); everything else — the classes, signing,
 * verification, the client's workflow — stays the library's. Installed once, when the TUF part is
 * loaded; test/provenance/tuf-linear-json.test.ts checks the output against the library's own.
 */
import { Key, MetaFile, Snapshot, TargetFile, Targets } from '@tufjs/models';
import { Delegations } from '@tufjs/models/dist/delegations.js';
import { DelegatedRole, SuccinctRoles } from '@tufjs/models/dist/role.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
const isObjectRecord = (v: unknown): v is Record<string, Json> => isObject(v) && Object.values(v).every(isObject);

function mapValues<T, U>(o: Record<string, T>, fn: (v: T, k: string) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const k of Object.keys(o)) out[k] = fn(o[k]!, k);
  return out;
}

/** `this` with some fields replaced, for calling the library's own toJSON on the rest */
function withFields<T extends object>(self: T, fields: Partial<Record<keyof T, unknown>>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(self) as object) as T, self, fields);
}

/** The library's conversions as shipped, kept for the equivalence test. */
export const stock = {
  snapshotToJSON: Snapshot.prototype.toJSON,
  snapshotFromJSON: Snapshot.fromJSON.bind(Snapshot),
  targetsToJSON: Targets.prototype.toJSON,
  targetsFromJSON: Targets.fromJSON.bind(Targets),
  delegationsToJSON: Delegations.prototype.toJSON,
  delegationsFromJSON: Delegations.fromJSON.bind(Delegations),
};

let installed = false;

export function installLinearJson(): void {
  if (installed) return;
  installed = true;

  Snapshot.prototype.toJSON = function (this: Snapshot) {
    const json = stock.snapshotToJSON.call(withFields(this, { meta: {} }));
    json.meta = mapValues(this.meta, (m) => m.toJSON());
    return json;
  };
  Snapshot.fromJSON = (data: Json) => {
    const { meta, ...rest } = data;
    if (meta === undefined) return stock.snapshotFromJSON(data as never);
    if (!isObjectRecord(meta)) throw new TypeError('meta field is malformed');
    const s = stock.snapshotFromJSON({ ...rest, meta: {} } as never);
    (s as { meta: Record<string, MetaFile> }).meta = mapValues(meta, (m) => MetaFile.fromJSON(m as never));
    return s;
  };

  Targets.prototype.toJSON = function (this: Targets) {
    const json = stock.targetsToJSON.call(withFields(this, { targets: {} }));
    json.targets = mapValues(this.targets, (t) => t.toJSON());
    return json;
  };
  Targets.fromJSON = (data: Json) => {
    const { targets, delegations, ...rest } = data;
    if (targets !== undefined && !isObjectRecord(targets)) throw new TypeError('targets must be an object');
    if (delegations !== undefined && !isObject(delegations)) throw new TypeError('delegations must be an object');
    const t = stock.targetsFromJSON(rest as never);
    (t as { targets: Record<string, TargetFile> }).targets = targets === undefined ? {} : mapValues(targets, (v, path) => TargetFile.fromJSON(path, v as never));
    (t as { delegations?: Delegations }).delegations = delegations === undefined ? undefined : Delegations.fromJSON(delegations as never);
    return t;
  };

  Delegations.prototype.toJSON = function (this: Delegations) {
    const json = stock.delegationsToJSON.call(withFields(this, { keys: {} }));
    json.keys = mapValues(this.keys, (k) => k.toJSON());
    return json;
  };
  Delegations.fromJSON = (data: Json) => {
    const { keys, roles, succinct_roles, ...unrecognizedFields } = data;
    const succinctRoles = isObject(succinct_roles) ? SuccinctRoles.fromJSON(succinct_roles as never) : undefined;
    if (!isObjectRecord(keys)) throw new TypeError('keys is malformed');
    let roleMap: Record<string, DelegatedRole> | undefined;
    if (roles !== undefined) {
      if (!Array.isArray(roles) || !roles.every(isObject)) throw new TypeError('roles is malformed');
      roleMap = {};
      for (const r of roles) {
        const role = DelegatedRole.fromJSON(r as never);
        roleMap[role.name] = role;
      }
    }
    return new Delegations({ keys: mapValues(keys, (k, id) => Key.fromJSON(id, k as never)), ...(roleMap ? { roles: roleMap } : {}), unrecognizedFields: unrecognizedFields as never, ...(succinctRoles ? { succinctRoles } : {}) });
  };
}
