/** The monitor against logs built in memory: honest growth, a path logged twice, a fork, a log that goes back, a bad signature. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeEntry,
  encodeEntryBundle,
  formatCheckpoint,
  generateKey,
  leafHash,
  memoryHashReader,
  monitorOnce,
  parseVerifierKey,
  rootOf,
  signNote,
  tilePath,
  tilesOf,
  type LogSource,
  type ReleaseEntry,
} from '../../src/provenance/index.js';

const key = generateKey('log.example/test');
const vkey = parseVerifierKey(key.text);
const entry = (i: number, sha = i.toString(16).padStart(64, '0')): ReleaseEntry => ({ path: `AUTHOR/Dist-${i}.tar.gz`, sha256: sha, time: '2026-01-01T00:00:00Z', uploader: 'AUTHOR' });

/** A log of these entries as its tiles and a signed checkpoint. */
async function memoryLog(entries: ReleaseEntry[], signer = key): Promise<LogSource> {
  const data = entries.map(encodeEntry);
  const leaves = data.map(leafHash);
  const read = memoryHashReader(leaves);
  const files = new Map<string, Buffer>();
  for (const t of tilesOf(entries.length)) {
    if (t.level < 0) files.set(tilePath(t), encodeEntryBundle(data.slice(t.index * 256, t.index * 256 + t.width)));
    else {
      const hashes: Buffer[] = [];
      for (let i = 0; i < t.width; i++) hashes.push(await read(8 * t.level, t.index * 256 + i));
      files.set(tilePath(t), Buffer.concat(hashes));
    }
  }
  files.set('checkpoint', Buffer.from(signNote(formatCheckpoint({ origin: 'log.example/test', size: entries.length, root: rootOf(leaves), extensions: [] }), [signer])));
  return { name: 'mem', get: async (p) => files.get(p) };
}

test('an honest log is followed across tile boundaries, and nothing new is nothing new', async () => {
  const all = Array.from({ length: 600 }, (_, i) => entry(i));
  const r1 = await monitorOnce(await memoryLog(all.slice(0, 300)), vkey, { witnesses: [] }, undefined);
  assert.deepEqual([r1.ok, r1.from, r1.to, r1.newEntries], [true, 0, 300, 300]);
  const r2 = await monitorOnce(await memoryLog(all), vkey, { witnesses: [] }, r1.state);
  assert.deepEqual([r2.ok, r2.from, r2.to, r2.newEntries], [true, 300, 600, 300], r2.problems.join('\n'));
  const r3 = await monitorOnce(await memoryLog(all), vkey, { witnesses: [] }, r2.state);
  assert.deepEqual([r3.ok, r3.newEntries], [true, 0]);
});

test('a release path recorded twice with different hashes is reported with both entries', async () => {
  const entries = [entry(0), entry(1), { ...entry(0), sha256: 'f'.repeat(64) }];
  const r = await monitorOnce(await memoryLog(entries), vkey, { witnesses: [] }, undefined);
  assert.equal(r.ok, false);
  assert.match(r.problems.join('\n'), new RegExp(`AUTHOR/Dist-0\\.tar\\.gz recorded twice with different hashes: entry 0 SHA-256 ${'0'.repeat(64)}, entry 2 SHA-256 ${'f'.repeat(64)}`));
  assert.equal(r.state.size, 0, 'the state does not move past a problem');
});

test('a fork, a log going back, and a rewritten history are each caught', async () => {
  const all = Array.from({ length: 20 }, (_, i) => entry(i));
  const seen = (await monitorOnce(await memoryLog(all.slice(0, 10)), vkey, { witnesses: [] }, undefined)).state;
  const fork = [...all.slice(0, 9), entry(99)];
  const r1 = await monitorOnce(await memoryLog(fork), vkey, { witnesses: [] }, seen);
  assert.match(r1.problems.join(), /fork: two trees of size 10/);
  const r2 = await monitorOnce(await memoryLog(all.slice(0, 5)), vkey, { witnesses: [] }, seen);
  assert.match(r2.problems.join(), /the log went back: its checkpoint has size 5, but it signed size 10 before/);
  const rewritten = [entry(100), ...all.slice(1)];
  const r3 = await monitorOnce(await memoryLog(rewritten), vkey, { witnesses: [] }, seen);
  assert.match(r3.problems.join('\n'), /inconsistent: the tree of size 20 .* does not extend the one of size 10/);
  assert.match(r3.problems.join('\n'), /the entries do not rebuild the checkpoint's root/);
});

test("a checkpoint not signed by the log's key, or lacking a witness, is a problem", async () => {
  const other = generateKey('log.example/test');
  const r = await monitorOnce(await memoryLog([entry(1)], other), vkey, { witnesses: [] }, undefined);
  assert.match(r.problems.join(), /checkpoint: .*(no verifiable signatures|not signed by the log key)/);
  const w = parseVerifierKey(generateKey('w.example', 0x04).text);
  const r2 = await monitorOnce(await memoryLog([entry(1)]), vkey, { witnesses: [w] }, undefined);
  assert.match(r2.problems.join(), /0 of the 1 witness cosignatures required/);
});
