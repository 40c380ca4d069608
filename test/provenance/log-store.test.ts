/** The store-backed log on SQLite and PostgreSQL: sequencing, one path one hash, tiles, checkpoints with a witness quorum. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addCheckpoint,
  appendEntries,
  COSIGNATURE_V1,
  generateKey,
  inclusionProof,
  leafHash,
  parseVerifierKey,
  publishCheckpoint,
  rootOf,
  Sequencer,
  tileHashReader,
  treeHash,
  verifyCheckpoint,
  verifyInclusion,
  type Post,
  type ReleaseEntry,
} from '../../src/provenance/index.js';
import { SqlLogStore, SqlWitnessStore } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';

const NOW = new Date('2026-12-01T00:00:00Z');
const hex = (i: number) => i.toString(16).padStart(64, '0');
const entry = (i: number, sha = hex(i)): ReleaseEntry => ({ path: `AUTHOR/Dist-${i}.tar.gz`, sha256: sha, time: '2026-01-01T00:00:00Z', uploader: 'AUTHOR' });

for (const backend of BACKENDS) {
  describe(`log store (${backend.name})`, { skip: backend.skip }, () => {
    test('batches are sequenced durably; tiles and tree heads match an in-memory tree; one path one hash', async () => {
      const store = await backend.open();
      const log = new SqlLogStore(store.db, store.dialect);
      const seq = new Sequencer(log, () => NOW, 100);
      // 600 concurrent additions: several batches, two full tiles and a partial one
      const outcomes = await Promise.all(Array.from({ length: 600 }, (_, i) => seq.add(entry(i))));
      assert.deepEqual(outcomes.map((o) => o.index).sort((a, b) => a - b), Array.from({ length: 600 }, (_, i) => i));
      const head = await log.treeHead();
      assert.equal(head.size, 600);
      const leaves = (await log.readEntries(0, 600)).map(leafHash);
      assert.ok(head.root.equals(rootOf(leaves)));
      const reader = tileHashReader(600, (t) => log.readTile(t.level, t.index, t.width));
      assert.ok((await treeHash(reader, 600)).equals(head.root));
      const p = await inclusionProof(reader, 300, 600);
      assert.ok(verifyInclusion(leaves[300]!, 300, 600, p, head.root));
      // the same path with the same hash: its index; with another hash: refused
      assert.deepEqual(await seq.add(entry(5)).then((o) => [o.status, o.index]), ['exists', 5]);
      const c = await seq.add(entry(5, hex(999)));
      assert.equal(c.status, 'conflict');
      const inBatch = await log.transaction((tx) => appendEntries(tx, [entry(1000), entry(1000, hex(1))], NOW));
      assert.deepEqual(inBatch.outcomes.map((o) => o.status), ['added', 'conflict']);
      assert.equal((await log.treeHead()).size, 601);
      assert.deepEqual(await log.findSha256(hex(7)), [7]);
    });

    test('two writers take turns (each one\'s remembered edge goes stale); stored hashes that do not give the head stop the append', async () => {
      const store = await backend.open();
      const a = new Sequencer(new SqlLogStore(store.db, store.dialect), () => NOW, 50);
      const b = new Sequencer(new SqlLogStore(store.db, store.dialect), () => NOW, 50);
      const log = new SqlLogStore(store.db, store.dialect);
      let next = 0;
      // turns of uneven lengths across tile boundaries, batches of up to 50 within each turn
      for (const [seq, n] of [[a, 300], [b, 1], [a, 7], [b, 260], [a, 1], [a, 255]] as const) {
        const from = next;
        next += n;
        await Promise.all(Array.from({ length: n }, (_, k) => seq.add(entry(from + k))));
        const head = await log.treeHead();
        assert.equal(head.size, next);
        assert.ok(head.root.equals(rootOf((await log.readEntries(0, next)).map(leafHash))), `root at ${next}`);
        assert.ok((await treeHash(tileHashReader(next, (t) => log.readTile(t.level, t.index, t.width)), next)).equals(head.root), `tiles at ${next}`);
      }
      // every tree head recorded on the way is the hash of the entries of its size
      const leaves = (await log.readEntries(0, next)).map(leafHash);
      const heads = (await store.db.selectFrom('provenance_tree_heads' as never).select(['size', 'root'] as never).execute()) as unknown as { size: number; root: string }[];
      for (const h of heads) assert.equal(h.root, rootOf(leaves.slice(0, Number(h.size))).toString('hex'), `tree head of size ${h.size}`);

      // a level-1 tile hash altered in the store: a writer that reads the edge from the tiles refuses to grow the tree
      await store.db.updateTable('provenance_tile_hashes' as never).set({ hash: 'ff'.repeat(32) } as never).where('level' as never, '=', 1 as never).where('idx' as never, '=', 0 as never).execute();
      const fresh = new Sequencer(new SqlLogStore(store.db, store.dialect), () => NOW);
      await assert.rejects(fresh.add(entry(5000)), new RegExp(`store: the stored tiles do not hash to the tree head of size ${next}`));
      assert.equal((await log.treeHead()).size, next, 'nothing was written');
    });

    test('a checkpoint is published only with the cosignatures its witness policy requires', async () => {
      const store = await backend.open();
      const log = new SqlLogStore(store.db, store.dialect);
      const logKey = generateKey('log.example/cpan');
      const w1 = generateKey('w1.example', COSIGNATURE_V1);
      const w2 = generateKey('w2.example', COSIGNATURE_V1);
      const witnessStore = new SqlWitnessStore(store.db, store.dialect);
      const logVkey = parseVerifierKey(logKey.text);
      const down = new Set<string>();
      const post: Post = async (url, body) => {
        const key = url.startsWith('http://w1') ? w1 : w2;
        if (down.has(key.name)) return { status: 503, body: 'down', contentType: 'text/plain' };
        const a = await addCheckpoint(witnessStore, { key, logs: [logVkey], now: () => NOW }, body);
        return { status: a.status, body: a.body, contentType: a.contentType };
      };
      // w1 and w2 share one store here: what one cosigned, the other has seen
      const witnesses = [{ key: parseVerifierKey(w1.text), url: 'http://w1' }];
      await log.transaction((tx) => appendEntries(tx, [entry(1), entry(2), entry(3)], NOW));
      const first = await publishCheckpoint(log, { signer: logKey, witnesses, post, now: () => NOW });
      assert.equal(first.size, 3);
      const v = verifyCheckpoint(first.note, logVkey, { witnesses: [parseVerifierKey(w1.text)] });
      assert.deepEqual(v.cosignedBy, ['w1.example']);
      assert.equal((await log.latestCheckpoint()), first.note);
      // the witness checks consistency from size 3 on the next checkpoint
      await log.transaction((tx) => appendEntries(tx, [entry(4), entry(5)], NOW));
      const second = await publishCheckpoint(log, { signer: logKey, witnesses, post, now: () => NOW });
      assert.equal(second.size, 5);
      assert.equal((await publishCheckpoint(log, { signer: logKey, witnesses, post, now: () => NOW })).unchanged, true);
      // a witness that is down: no checkpoint, the last one stays
      await log.transaction((tx) => appendEntries(tx, [entry(6)], NOW));
      down.add('w1.example');
      await assert.rejects(publishCheckpoint(log, { signer: logKey, witnesses, post, now: () => NOW }), /0 of 1 required cosignatures/);
      assert.equal(await log.latestCheckpoint(), second.note);
      // a quorum of 1 of 2 with one down publishes
      const two = [...witnesses, { key: parseVerifierKey(w2.text), url: 'http://w2' }];
      down.clear();
      down.add('w1.example');
      await assert.rejects(publishCheckpoint(log, { signer: logKey, witnesses: two, post, now: () => NOW }), /1 of 2 required/);
      const third = await publishCheckpoint(log, { signer: logKey, witnesses: two, quorum: 1, post, now: () => NOW });
      assert.equal(third.size, 6);
      // w2 had never been asked: it answered 409 with its size, and the log retried from there
      assert.deepEqual(third.cosignedBy, ['w2.example']);
      assert.match(third.problems.join(), /w1.example: answered HTTP 503/);
    });
  });
}
