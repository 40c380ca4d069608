/**
 * The TUF commands end to end on a SQLite store: init, add, rotate, refresh, export; a running
 * server with its refresh job; `cpansec fetch` through the server, and refused for a target the
 * mirror does not sign.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { SqlTufStore, Store } from '../../src/store/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from '../server/cli-async.js';

const dir = tempDir('tuf-cli');
const data = path.join(dir, 'var');
const keys = path.join(dir, 'keys');

test('tuf init, add, rotate, refresh, export; the server refreshes the timestamp; fetch through tuf-js', async () => {
  let r = cli(['tuf', 'init', '--keys', keys, '--data-dir', data]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(path.join(keys, 'root.pem')).mode & 0o777, 0o600);
  assert.equal(cli(['tuf', 'init', '--keys', path.join(dir, 'k2'), '--data-dir', data]).status, 2, 'one repository per store');

  const release = path.join(dir, 'Foo-Bar-1.23.tar.gz');
  writeFileSync(release, 'Foo-Bar 1.23');
  r = cli(['tuf', 'add', release, '--author', 'ether', '--keys', keys, '--data-dir', data]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^authors\/id\/E\/ET\/ETHER\/Foo-Bar-1\.23\.tar\.gz sha256:[0-9a-f]{64} \(role ETHER\)\n$/);
  r = cli(['tuf', 'add', release, '--path', 'not/a/cpan/path', '--keys', keys, '--data-dir', data]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /target path 'not\/a\/cpan\/path' is not authors\/id\/X\/XY\/PAUSEID\/FILE/);

  r = cli(['tuf', 'rotate', 'root', '--keys', keys, '--data-dir', data]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /root is at version 2/);
  assert.equal(cli(['tuf', 'rotate', 'nobody', '--keys', keys, '--data-dir', data]).status, 2);
  r = cli(['tuf', 'refresh', '--keys', keys, '--data-dir', data]);
  assert.equal(r.stdout, 'the timestamp is still fresh; nothing signed\n');

  const out = path.join(dir, 'export');
  r = cli(['tuf', 'export', out, '--data-dir', data]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['1.root.json', '2.root.json', 'timestamp.json', '1.ETHER.json']) assert.ok(existsSync(path.join(out, 'metadata', f)), f);

  // the server over the same store, with the online keys: its job re-signs the timestamp when due
  const store = await Store.open({ dataDir: data });
  const tuf = new SqlTufStore(store.db, store.dialect);
  const before = JSON.parse((await tuf.document('timestamp'))!) as { signed: { version: number; expires: string } };
  const late = new Date(Date.parse(before.signed.expires) - 3600_000);
  const server = await createServer(store, { clock: () => late, tuf: { keysDir: keys, refreshIntervalMs: 3600_000 } });
  try {
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const after = JSON.parse((await tuf.document('timestamp'))!) as { signed: { version: number } };
    assert.equal(after.signed.version, before.signed.version + 1, 'the job signed a new timestamp on start');

    const got = path.join(dir, 'got.tar.gz');
    const f = await cliAsync(['fetch', 'ETHER/Foo-Bar-1.23.tar.gz', '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '-o', got, '--cache', path.join(dir, 'cache')]);
    assert.equal(f.status, 0, f.stderr);
    assert.equal(readFileSync(got, 'utf8'), 'Foo-Bar 1.23');
    const missing = await cliAsync(['fetch', 'Foo-Bar-9.99.tar.gz', '--author', 'ETHER', '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '-o', path.join(dir, 'x'), '--cache', path.join(dir, 'cache')]);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, "cpansec: fetch refused: authors/id/E/ET/ETHER/Foo-Bar-9.99.tar.gz is not in the mirror's signed targets\n");
    assert.ok(!existsSync(path.join(dir, 'x')));
  } finally {
    server.stop();
    await server.app.close();
    await store.close();
  }
});
