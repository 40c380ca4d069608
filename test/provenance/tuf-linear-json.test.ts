/**
 * The linear JSON conversions of snapshot, targets and delegations (linear-json.ts) give what
 * @tufjs/models' own conversions give — the same objects, the same canonical bytes, the same
 * errors — and stay linear where the library's are quadratic.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, MetaFile, Snapshot, TargetFile, Targets } from '@tufjs/models';
import { Delegations } from '@tufjs/models/dist/delegations.js';
import { DelegatedRole, SuccinctRoles } from '@tufjs/models/dist/role.js';
import { installLinearJson, newSigner } from '../../src/provenance/tuf/index.js';
import { stock } from '../../src/provenance/tuf/linear-json.js';

installLinearJson();
const common = { version: 3, specVersion: '1.0.34', expires: '2030-01-01T00:00:00Z' };
const keys = [newSigner().signer.key, newSigner().signer.key];

function snapshot(n: number): Snapshot {
  const meta: Record<string, MetaFile> = { 'targets.json': new MetaFile({ version: 2 }) };
  for (let i = 0; i < n; i++) meta[`A${i}.json`] = new MetaFile({ version: i + 1, ...(i % 2 ? { length: 100 + i, hashes: { sha256: 'ab'.repeat(32) } } : {}) });
  return new Snapshot({ ...common, meta, unrecognizedFields: { custom: { x: 1 } } });
}

function targets(withBins: boolean): Targets {
  const files: Record<string, TargetFile> = {};
  for (let i = 0; i < 5; i++) {
    const p = `authors/id/E/ET/ETHER/Foo-${i}.tar.gz`;
    files[p] = new TargetFile({ path: p, length: i + 1, hashes: { sha256: 'cd'.repeat(32) }, unrecognizedFields: { custom: { cpan: { author: 'ETHER' } } } });
  }
  const keyMap = Object.fromEntries(keys.map((k) => [k.keyID, k]));
  const delegations = withBins
    ? new Delegations({ keys: keyMap, succinctRoles: new SuccinctRoles({ keyIDs: Object.keys(keyMap), threshold: 1, bitLength: 3, namePrefix: 'bins' }) })
    : new Delegations({ keys: keyMap, roles: { ETHER: new DelegatedRole({ name: 'ETHER', keyIDs: [keys[0]!.keyID], threshold: 1, terminating: true, paths: ['authors/id/E/ET/ETHER/*'] }), MIYAGAWA: new DelegatedRole({ name: 'MIYAGAWA', keyIDs: [keys[1]!.keyID], threshold: 1, terminating: true, paths: ['authors/id/M/MI/MIYAGAWA/*'] }) } });
  return new Targets({ ...common, targets: files, delegations });
}

test('the same JSON and canonical bytes as the library, both ways, for snapshots, targets and both kinds of delegation', () => {
  const s = snapshot(20);
  assert.deepEqual(s.toJSON(), stock.snapshotToJSON.call(s));
  assert.equal(canonicalize(s.toJSON()), canonicalize(stock.snapshotToJSON.call(s)));
  assert.deepEqual(JSON.stringify(s.toJSON()), JSON.stringify(stock.snapshotToJSON.call(s)), 'the same key order');
  assert.ok(Snapshot.fromJSON(s.toJSON()).equals(stock.snapshotFromJSON(s.toJSON() as never)));
  for (const bins of [false, true]) {
    const t = targets(bins);
    assert.equal(JSON.stringify(t.toJSON()), JSON.stringify(stock.targetsToJSON.call(t)));
    const back = Targets.fromJSON(t.toJSON());
    assert.ok(back.equals(stock.targetsFromJSON(t.toJSON() as never)));
    assert.equal(JSON.stringify(back.toJSON()), JSON.stringify(t.toJSON()));
  }
  // a whole signed document read back by Metadata.fromJSON, as tuf-js reads it
  const md = new Metadata(targets(false));
  const signer = newSigner().signer;
  md.sign((data) => ({ keyID: signer.key.keyID, sig: '00', toJSON: () => ({ keyid: signer.key.keyID, sig: data.toString('hex').slice(0, 8) }) }) as never);
  assert.equal(JSON.stringify(Metadata.fromJSON(MetadataKind.Targets, md.toJSON() as never).toJSON()), JSON.stringify(md.toJSON()));
});

test('the same errors for malformed metadata', () => {
  const errs = (fn: () => unknown) => {
    try {
      fn();
      return 'no error';
    } catch (e) {
      return `${(e as Error).constructor.name}: ${(e as Error).message}`;
    }
  };
  const good = snapshot(2).toJSON() as Record<string, unknown>;
  for (const bad of [{ ...good, meta: [1] }, { ...good, meta: { 'x.json': 5 } }, { ...good, version: 'x' }, { ...good, meta: { 'x.json': { version: -1 } } }]) {
    assert.equal(errs(() => Snapshot.fromJSON(bad)), errs(() => stock.snapshotFromJSON(bad as never)));
    assert.notEqual(errs(() => Snapshot.fromJSON(bad)), 'no error');
  }
  const t = targets(false).toJSON() as Record<string, unknown>;
  const d = t.delegations as Record<string, unknown>;
  for (const bad of [{ ...t, targets: 7 }, { ...t, delegations: 'x' }, { ...t, delegations: { ...d, keys: null } }, { ...t, delegations: { ...d, roles: [3] } }, { ...t, delegations: { ...d, roles: [{ name: 'root', keyids: [], threshold: 1, terminating: true, paths: [] }] } }]) {
    assert.equal(errs(() => Targets.fromJSON(bad)), errs(() => stock.targetsFromJSON(bad as never)));
    assert.notEqual(errs(() => Targets.fromJSON(bad)), 'no error');
  }
});

test('linear: 20,000 snapshot entries converted both ways in well under the time the library takes for 2,000', () => {
  const time = (fn: () => void) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const small = snapshot(2000);
  const stockTime = time(() => stock.snapshotFromJSON(stock.snapshotToJSON.call(small) as never));
  const big = snapshot(20_000);
  const ours = time(() => Snapshot.fromJSON(big.toJSON()));
  assert.ok(ours < stockTime, `20,000 entries took ${ours.toFixed(0)} ms, the library's 2,000 took ${stockTime.toFixed(0)} ms`);
});
