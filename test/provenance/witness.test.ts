/** The witness side of C2SP tlog-witness: each answer the spec requires. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addCheckpoint,
  consistencyProof,
  COSIGNATURE_V1,
  EMPTY_ROOT,
  formatCheckpoint,
  generateKey,
  leafHash,
  memoryHashReader,
  openNote,
  parseVerifierKey,
  rootOf,
  signNote,
  type WitnessState,
  type WitnessStore,
} from '../../src/provenance/index.js';

function memoryStore(): WitnessStore {
  const m = new Map<string, WitnessState>();
  let chain = Promise.resolve();
  return {
    transaction(fn) {
      const r = chain.then(() => fn({ get: async (o) => m.get(o), set: async (o, s) => void m.set(o, s) }));
      chain = r.then(() => undefined, () => undefined);
      return r;
    },
  };
}

const log = generateKey('example.com/log');
const w = generateKey('witness.example/w1', COSIGNATURE_V1);
const leaves = Array.from({ length: 20 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
const read = memoryHashReader(leaves);
const cp = (n: number, signer = log) => signNote(formatCheckpoint({ origin: 'example.com/log', size: n, root: n ? rootOf(leaves.slice(0, n)) : EMPTY_ROOT, extensions: [] }), [signer]);
const body = async (old: number, n: number, signed = cp(n)) => `old ${old}\n${(await consistencyProof(read, old, n)).map((h) => `${h.toString('base64')}\n`).join('')}\n${signed}`;

test('add-checkpoint: cosigns consistent checkpoints and answers every error as the spec says', async () => {
  const store = memoryStore();
  const config = { key: w, logs: [parseVerifierKey(log.text)], now: () => new Date('2026-12-01T00:00:00Z') };
  const first = await addCheckpoint(store, config, await body(0, 8));
  assert.equal(first.status, 200, first.body);
  const cosigned = openNote(cp(8) + first.body, [parseVerifierKey(w.text)]);
  assert.equal(cosigned.verified[0]!.timestamp, Date.parse('2026-12-01T00:00:00Z') / 1000);
  // the old size must be the last cosigned one: 409 with it as text/x.tlog.size
  const stale = await addCheckpoint(store, config, await body(0, 12));
  assert.deepEqual([stale.status, stale.contentType, stale.body], [409, 'text/x.tlog.size', '8\n']);
  assert.equal((await addCheckpoint(store, config, await body(8, 12))).status, 200);
  // a proof that does not verify: 422, and the state stays
  const bad = (await body(12, 16)).replace(/^old 12\n(.)/, (_m, c: string) => `old 12\n${c === 'A' ? 'B' : 'A'}`);
  assert.equal((await addCheckpoint(store, config, bad)).status, 422);
  assert.equal((await addCheckpoint(store, config, await body(12, 16))).status, 200);
  // same size, another root: 422
  const forked = signNote(formatCheckpoint({ origin: 'example.com/log', size: 16, root: rootOf(leaves.slice(1, 17)), extensions: [] }), [log]);
  assert.equal((await addCheckpoint(store, config, `old 16\n\n${forked}`)).status, 422);
  // old larger than the checkpoint: 400; unknown origin: 404; not signed by the log's key: 403
  assert.equal((await addCheckpoint(store, config, `old 20\n\n${cp(16)}`)).status, 400);
  const stranger = generateKey('example.com/other');
  assert.equal((await addCheckpoint(store, config, `old 0\n\n${signNote(formatCheckpoint({ origin: 'example.com/other', size: 1, root: leaves[0]!, extensions: [] }), [stranger])}`)).status, 404);
  const impostor = generateKey('example.com/log');
  assert.equal((await addCheckpoint(store, config, await body(16, 20, cp(20, impostor)))).status, 403);
  // a proof from size 0 must be empty
  assert.equal((await addCheckpoint(memoryStore(), config, `old 0\n${leaves[0]!.toString('base64')}\n\n${cp(4)}`)).status, 422);
  assert.equal((await addCheckpoint(store, config, 'garbage')).status, 400);
});

test('concurrent requests never roll the recorded size back', async () => {
  const store = memoryStore();
  const config = { key: w, logs: [parseVerifierKey(log.text)], now: () => new Date() };
  await addCheckpoint(store, config, await body(0, 4));
  const answers = await Promise.all([addCheckpoint(store, config, await body(4, 10)), addCheckpoint(store, config, await body(4, 6))]);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
});
