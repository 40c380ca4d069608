/**
 * `cpansec fetch --log URL --log-key VKEY`: a release downloaded through TUF from a running server is
 * also checked against the server's transparency log; refused, with nothing written, when the log
 * lacks it, records the file under another path, or is not signed by the given key.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { Store } from '../../src/store/index.js';
import { cliOk as ok } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from '../server/cli-async.js';

const dir = tempDir('fetch-log');
const data = ['--data-dir', path.join(dir, 'var')];
const keys = path.join(dir, 'keys');
const f = (name: string) => path.join(dir, name);

function release(name: string, body: string): { file: string; sha: string } {
  writeFileSync(f(name), body);
  return { file: f(name), sha: createHash('sha256').update(body).digest('hex') };
}

test('fetch checks the release against the log: in it, missing from it, under another path, a wrong log key', async () => {
  ok(['tuf', 'init', '--keys', keys, ...data]);
  const good = release('Foo-Bar-1.23.tar.gz', 'Foo-Bar 1.23');
  const unlogged = release('Foo-Bar-1.24.tar.gz', 'Foo-Bar 1.24');
  const elsewhere = release('Same-1.0.tar.gz', 'Same 1.0');
  ok(['tuf', 'add', good.file, unlogged.file, elsewhere.file, '--author', 'ETHER', '--keys', keys, ...data]);
  const vkey = ok(['note', 'keygen', 'log.cpansec.example/releases', '-o', f('log.key')]).trim();
  ok(['log', 'add', 'ETHER/Foo-Bar-1.23.tar.gz', good.sha, ...data]);
  // the same bytes, recorded by the log as another author's upload
  ok(['log', 'add', 'MALLORY/Same-1.0.tar.gz', elsewhere.sha, ...data]);
  ok(['log', 'checkpoint', '--key', f('log.key'), ...data]);
  const otherVkey = ok(['note', 'keygen', 'log.cpansec.example/releases', '-o', f('other.key')]).trim();

  const store = await Store.open({ dataDir: data[1]! });
  const server = await createServer(store, {});
  after(async () => {
    server.stop();
    await server.app.close();
    await store.close();
  });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const fetch = (name: string, out: string, logKey = vkey) =>
    cliAsync(['fetch', name, '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '-o', f(out), '--cache', f('cache'), '--log', url, '--log-key', logKey]);

  let r = await fetch('ETHER/Foo-Bar-1.23.tar.gz', 'got-1.23');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /authors\/id\/E\/ET\/ETHER\/Foo-Bar-1\.23\.tar\.gz sha256:[0-9a-f]{64} \(12 bytes\), verified through TUF; in the log as entry 0 of 2\n$/);
  assert.equal(readFileSync(f('got-1.23'), 'utf8'), 'Foo-Bar 1.23');

  r = await fetch('ETHER/Foo-Bar-1.24.tar.gz', 'got-1.24');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `cpansec: fetch refused: the transparency log: entry: no entry with SHA-256 ${unlogged.sha} in the log's first 2 entries\n`);
  assert.ok(!existsSync(f('got-1.24')), 'nothing written');

  r = await fetch('ETHER/Same-1.0.tar.gz', 'got-same');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `cpansec: fetch refused: the transparency log records this file (SHA-256 ${elsewhere.sha}) as MALLORY/Same-1.0.tar.gz (entry 1), not ETHER/Same-1.0.tar.gz\n`);
  assert.ok(!existsSync(f('got-same')));

  r = await fetch('ETHER/Foo-Bar-1.23.tar.gz', 'got-other-key', otherVkey);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cpansec: fetch refused: the transparency log: checkpoint: .*\n$/);
  assert.ok(!existsSync(f('got-other-key')));

  // without the log the same release is fetched through TUF alone; --log needs its key
  r = await cliAsync(['fetch', 'ETHER/Foo-Bar-1.24.tar.gz', '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '-o', f('tuf-only'), '--cache', f('cache')]);
  assert.equal(r.status, 0, r.stderr);
  r = await cliAsync(['fetch', 'ETHER/Foo-Bar-1.24.tar.gz', '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '--log', url]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, "cpansec: --log needs --log-key (the log's verifier key)\n");
});
