/**
 * Durability of the release log: `cpansec serve` in a child process publishing checkpoints every
 * 0.2 s, a burst of additions over HTTP, SIGKILL in the middle of it — then every acknowledged
 * entry is at its index with its hash, every tree head of every size is the hash of the entries
 * of that size (never two trees of one size), every checkpoint matches its tree head, and the log
 * goes on. On SQLite and PostgreSQL (`npm run bench -- provenance-log` runs a larger burst).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logDurabilityRun } from '../../bench/provenance-log.js';
import { BACKENDS } from '../store/backends.js';

for (const backend of BACKENDS) {
  describe(`log durability on ${backend.name}`, { skip: backend.skip }, () => {
    test('SIGKILL in a burst of additions loses no acknowledged entry and never forks the tree', { timeout: 240_000 }, async (t) => {
      const { flags } = await backend.location();
      const r = await logDurabilityRun({ flags, adds: 800, concurrency: 16, killAfter: 250 });
      t.diagnostic(`${backend.name}: ${r.sent} sent, ${r.acknowledged} acknowledged, ${r.entries} entries, ${r.treeHeads} tree heads, ${r.checkpoints} checkpoints after the kill`);
      assert.ok(r.acknowledged >= 250, 'the kill came in the middle of the burst');
      assert.ok(r.sent < 800, 'additions were still being sent when the server died');
      assert.deepEqual(r.missing, []);
      assert.ok(r.entries >= r.acknowledged);
      assert.equal(r.badHeads, 0);
      assert.ok(r.treeHeads > 1);
      assert.equal(r.badCheckpoints, 0);
      assert.equal(r.resumed, true);
    });
  });
}
