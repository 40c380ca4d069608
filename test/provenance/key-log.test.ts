/**
 * Author key changes as transparency-log entries: the entry of a change, a change left out of the
 * log by a crash logged by the next catch-up (SQLite and PostgreSQL), and a history that no longer
 * matches the log refused.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { catchUpKeyChanges, keyChangeDocument, keyChangeLogEntry, logKeyChanges, parseKeyChangePath, type KeyChange } from '../../src/provenance/attestation/index.js';
import { appendEntries, checkReleasePath, parseEntry, encodeEntry } from '../../src/provenance/index.js';
import { SqlAuthorKeyStore, SqlLogStore } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';
import { newKey } from './signing-helpers.js';

const change: KeyChange = { seq: 7, at: '2026-12-01T10:20:30.456Z', author: 'ETHER', action: 'rotate', keyId: 'b'.repeat(64), publicKey: '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n', previousKeyId: 'a'.repeat(64), reason: 'new laptop', by: 'admin:ada' };

describe('key changes as log entries', () => {
  test("an entry in the log's own format, under the author's _keys directory, hashing the change's document", () => {
    const e = keyChangeLogEntry(change);
    assert.deepEqual(e, { path: 'ETHER/_keys/00000007-rotate.json', sha256: createHash('sha256').update(keyChangeDocument(change)).digest('hex'), time: '2026-12-01T10:20:30Z', uploader: 'ETHER' });
    assert.equal(checkReleasePath(e.path), e.path);
    assert.deepEqual(parseEntry(encodeEntry(e), 'x'), e);
    assert.deepEqual(parseKeyChangePath(e.path), { author: 'ETHER', seq: 7, action: 'rotate' });
    assert.equal(parseKeyChangePath('ETHER/Foo-Bar-1.23.tar.gz'), undefined);
    // the document is JSON with sorted keys, newlines of the PEM escaped
    const doc = keyChangeDocument(change).toString();
    assert.deepEqual(Object.keys(JSON.parse(doc) as object), ['_type', 'action', 'at', 'author', 'by', 'keyId', 'previousKeyId', 'publicKey', 'reason', 'seq']);
    assert.ok(!doc.includes('\n'));
  });

  test('a history that no longer matches the log is refused', async () => {
    await assert.rejects(logKeyChanges([change], async () => [{ status: 'conflict', index: 3, sha256: 'c'.repeat(64) }]), (e: Error) => {
      assert.equal(e.message, `ETHER/_keys/00000007-rotate.json is in the transparency log (entry 3) with SHA-256 ${'c'.repeat(64)}, but the key history now gives ${keyChangeLogEntry(change).sha256}: the history was rewritten`);
      return true;
    });
  });
});

for (const backend of BACKENDS) {
  describe(`catching up on ${backend.name}`, { skip: backend.skip }, () => {
    test('changes committed to the registry but not to the log (a crash between) are logged once by the next catch-up', async () => {
      const store = await backend.open();
      try {
        const keys = new SqlAuthorKeyStore(store.db, store.dialect);
        const log = new SqlLogStore(store.db, store.dialect);
        const append = async (entries: Parameters<typeof appendEntries>[1]) => (await log.transaction((tx) => appendEntries(tx, entries, new Date()))).outcomes;
        const k1 = newKey();
        const k2 = newKey();
        await keys.apply({ action: 'add', author: 'ETHER', publicKey: k1.publicPem }, new Date().toISOString(), 'admin:ada');
        await keys.apply({ action: 'add', author: 'MIYAGAWA', publicKey: k2.publicPem }, new Date().toISOString(), 'admin:ada');
        assert.equal((await log.treeHead()).size, 0);
        assert.equal(await catchUpKeyChanges(keys, append, 1), 2);
        assert.equal(await catchUpKeyChanges(keys, append), 0, 'nothing twice');
        const head = await log.treeHead();
        assert.equal(head.size, 2);
        const entries = (await log.readEntries(0, 2)).map((d, i) => parseEntry(d, `entry ${i}`).path);
        assert.deepEqual(entries, ['ETHER/_keys/00000001-add.json', 'MIYAGAWA/_keys/00000002-add.json']);
      } finally {
        await store.close();
      }
    });
  });
}
