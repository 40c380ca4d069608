/**
 * Durability: `cpansec serve` in a child process, a burst of case updates over HTTP, SIGKILL in
 * the middle of it, a restart on the same store — every acknowledged update is there and the
 * audit log's hash chain verifies. On SQLite and on PostgreSQL. (`npm run bench -- disclosure`
 * runs the same with a larger burst and prints the counts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { durabilityRun } from '../../bench/disclosure.js';
import { BACKENDS } from '../store/backends.js';

for (const backend of BACKENDS) {
  describe(`durability on ${backend.name}`, { skip: backend.skip }, () => {
    test('SIGKILL in a burst of updates loses no acknowledged update and keeps the chain', async (t) => {
      const { flags } = await backend.location();
      const r = await durabilityRun({ flags, updates: 600, concurrency: 16, killAfter: 150 });
      t.diagnostic(`${backend.name}: ${r.sent} sent, ${r.acknowledged} acknowledged, ${r.found} found after restart, chain ${r.chainValid ? 'valid' : 'BROKEN'} (${r.auditEntries} entries)`);
      assert.ok(r.acknowledged >= 150, 'the kill came in the middle of the burst');
      assert.ok(r.sent < 600, 'updates were still being sent when the server died');
      assert.deepEqual(r.missing, []);
      assert.equal(r.found, r.acknowledged);
      assert.equal(r.chainValid, true);
      assert.ok(r.auditEntries >= r.acknowledged + 3, 'the filing, the triage and every update are in the log');
    });
  });
}
