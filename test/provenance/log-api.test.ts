/**
 * The log's write API on both backends: POST /log/add and POST /log/add-batch with an uploader
 * token — entries sequenced in the order given, one path one hash (a conflict named with the
 * logged hash), the whole batch refused when one entry is malformed or outside the token's author
 * directory, and concurrent single additions grouped into few transactions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leafHash, rootOf } from '../../src/provenance/index.js';
import { SqlLogStore, UploaderTokens } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';
import { testServer } from '../server/harness.js';

const hex = (i: number) => i.toString(16).padStart(64, '0');

for (const backend of BACKENDS) {
  describe(`log write API (${backend.name})`, { skip: backend.skip }, () => {
    test('add and add-batch: order, one path one hash, all or nothing', async () => {
      const server = await testServer(backend);
      const token = await new UploaderTokens(server.store.db).create('ANDK', 'test', new Date());
      const post = (url: string, payload: unknown, auth = token) =>
        server.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
      const log = new SqlLogStore(server.store.db, server.store.dialect);

      assert.equal((await post('/log/add', { path: 'ANDK/A-1.tar.gz', sha256: hex(1) })).statusCode, 201);
      const batch = await post('/log/add-batch', {
        entries: [
          { path: 'ANDK/B-1.tar.gz', sha256: hex(2), time: '2020-01-02T03:04:05Z' },
          { path: 'ANDK/A-1.tar.gz', sha256: hex(1) },
          { path: 'ANDK/C-1.tar.gz', sha256: hex(3) },
          { path: 'ANDK/A-1.tar.gz', sha256: hex(99) },
          { path: 'ANDK/B-1.tar.gz', sha256: hex(98) },
        ],
      });
      assert.equal(batch.statusCode, 200, batch.body);
      assert.deepEqual(JSON.parse(batch.body), {
        tree_size: 3,
        results: [
          { path: 'ANDK/B-1.tar.gz', status: 'added', index: 1 },
          { path: 'ANDK/A-1.tar.gz', status: 'exists', index: 0 },
          { path: 'ANDK/C-1.tar.gz', status: 'added', index: 2 },
          { path: 'ANDK/A-1.tar.gz', status: 'conflict', index: 0, sha256: hex(1) },
          { path: 'ANDK/B-1.tar.gz', status: 'conflict', index: 1, sha256: hex(2) },
        ],
      });
      const [b] = await log.readEntries(1, 1);
      assert.equal(b!.toString(), `path ANDK/B-1.tar.gz\nsha256 ${hex(2)}\ntime 2020-01-02T03:04:05Z\nuploader ANDK\n`);

      // one bad entry, or one outside the author's directory: nothing of the batch is added
      const bad = await post('/log/add-batch', { entries: [{ path: 'ANDK/D-1.tar.gz', sha256: hex(4) }, { path: 'ANDK/E-1.tar.gz', sha256: 'xyz' }] });
      assert.equal(bad.statusCode, 400);
      assert.match(JSON.parse(bad.body).error, /^entries\[1\]\.sha256: not a SHA-256/);
      const foreign = await post('/log/add-batch', { entries: [{ path: 'ANDK/D-1.tar.gz', sha256: hex(4) }, { path: 'BOB/E-1.tar.gz', sha256: hex(5) }] });
      assert.equal(foreign.statusCode, 403);
      assert.match(JSON.parse(foreign.body).error, /^entries\[1\]: the token of ANDK may add releases under ANDK\/ only/);
      assert.equal((await post('/log/add-batch', { entries: [] })).statusCode, 400);
      assert.equal((await post('/log/add-batch', { entries: Array.from({ length: 1001 }, (_, i) => ({ path: `ANDK/X-${i}.tar.gz`, sha256: hex(i) })) })).statusCode, 400);
      assert.equal((await post('/log/add-batch', { entries: [{ path: 'ANDK/D-1.tar.gz', sha256: hex(4) }] }, 'cpansec_aaaaaaaa_' + 'a'.repeat(52))).statusCode, 401);
      assert.equal((await log.treeHead()).size, 3);

      // 300 single additions at once: all acknowledged, sequenced in a few transactions
      const many = await Promise.all(Array.from({ length: 300 }, (_, i) => post('/log/add', { path: `ANDK/M-${i}.tar.gz`, sha256: hex(1000 + i) })));
      assert.deepEqual([...new Set(many.map((r) => r.statusCode))], [201]);
      const head = await log.treeHead();
      assert.equal(head.size, 303);
      assert.ok(head.root.equals(rootOf((await log.readEntries(0, 303)).map(leafHash))));
      const heads = (await server.store.db.selectFrom('provenance_tree_heads' as never).select('size' as never).execute()).length;
      assert.ok(heads < 60, `${heads} tree heads for 303 entries: the additions were grouped`);
    });
  });
}
