import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { diffDatabases, loadBundledDatabase, parseCpansaBuffer } from '../../src/index/index.js';
import { readJsonZip, validateOsv } from '../../src/publish/index.js';
import { BACKENDS } from '../store/backends.js';
import { testServer, type TestServer } from './harness.js';

for (const backend of BACKENDS) {
  describe(`downloads on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend);
    });

    test('cpansa.json is the published database in the CPANSA JSON layout, with its SHA-256 beside it', async () => {
      const r = await server.app.inject('/v1/download/cpansa.json');
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /application\/json/);
      const body = r.rawPayload;
      const db = parseCpansaBuffer(body, 'download');
      assert.equal(diffDatabases(loadBundledDatabase(), db).unchanged, true);
      assert.equal(db.meta.generated_by, 'cpansec serve');
      const sum = await server.app.inject('/v1/download/cpansa.json.sha256');
      assert.equal(sum.body, `${createHash('sha256').update(body).digest('hex')}  cpansa.json\n`);
      // what cpan-audit reads: plain JSON with dists and module2dist
      const plain = JSON.parse(body.toString('utf8')) as { dists: Record<string, { advisories: unknown[] }>; module2dist: Record<string, string> };
      assert.equal(plain.module2dist['Mojo::DOM'], 'Mojolicious');
      assert.equal(plain.dists.Mojolicious!.advisories.length, 19);
    });

    test('the same file gzipped for clients that accept it, with its own ETag; 304 when unchanged', async () => {
      const plain = await server.app.inject('/v1/download/cpansa.json');
      const gz = await server.app.inject({ url: '/v1/download/cpansa.json', headers: { 'accept-encoding': 'gzip, deflate' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.notEqual(gz.headers.etag, plain.headers.etag);
      assert.deepEqual(gunzipSync(gz.rawPayload), plain.rawPayload);
      const again = await server.app.inject({ url: '/v1/download/cpansa.json', headers: { 'if-none-match': String(plain.headers.etag) } });
      assert.equal(again.statusCode, 304);
    });

    test('the OSV zip holds one valid record per OSV id, as /v1/vulns serves them', async () => {
      const r = await server.app.inject('/v1/download/osv/all.zip');
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/zip');
      const files = await readJsonZip(r.rawPayload, 'all.zip');
      assert.ok(files.size > 1000);
      let checked = 0;
      for (const [name, text] of files) {
        const record = JSON.parse(text) as { id: string };
        assert.equal(name, `${record.id}.json`);
        assert.deepEqual(validateOsv(record), [], name);
        checked++;
      }
      assert.equal(checked, files.size);
      const one = await server.app.inject(`/v1/vulns/${[...files.keys()][0]!.replace(/\.json$/, '')}`);
      assert.deepEqual(JSON.parse(one.body), JSON.parse([...files.values()][0]!));
      const sum = await server.app.inject('/v1/download/osv/all.zip.sha256');
      assert.equal(sum.body, `${createHash('sha256').update(r.rawPayload).digest('hex')}  all.zip\n`);
    });
  });
}
