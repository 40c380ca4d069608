/**
 * The log end to end, as users run it, each side its own process: the real PAUSE CHECKSUMS
 * ingested, `cpansec serve` publishing checkpoints cosigned by a `cpansec witness`, a release
 * added through the write API with an uploader token, `cpansec verify` from another process over
 * HTTP only (and offline from the saved proof), `cpansec log monitor` — then one tile and one
 * entry altered in the log's store: verify and monitor fail, each with the right reason.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { cli, cliOk as ok } from '../helpers/cli.js';
import { upstreamPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from '../server/cli-async.js';
import { startCli, waitFor } from './helpers.js';

const dir = tempDir('tlog-e2e');
const f = (name: string) => path.join(dir, name);

test('ingest, serve with a witness, add through the API, verify and monitor over HTTP; tampering is caught with its reason', { timeout: 300_000 }, async () => {
  const logVkey = ok(['note', 'keygen', 'log.cpansec.example/releases', '-o', f('log.key')]).trim();
  const witnessVkey = ok(['note', 'keygen', 'witness.example/w1', '--witness', '-o', f('w1.key')]).trim();
  const db = ['--data-dir', f('log-db')];
  const keyring = ['--keyring', upstreamPath('data', 'pause-checksums', 'PAUSE-2E66557AB97C19C791AF8E20328DA867450F89EC.gpg')];

  // the real CHECKSUMS of ANDK's directory, signed by PAUSE; the signature-bypass variants are refused
  const ingested = ok(['log', 'ingest', upstreamPath('data', 'pause-checksums', 'good'), '--author', 'ANDK', ...keyring, ...db]);
  assert.match(ingested, /48 added, 0 already logged, 0 conflicting/);
  const bad = cli(['log', 'ingest', upstreamPath('data', 'pause-checksums', 'bad-prepend'), '--author', 'ANDK', ...keyring, ...db]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad-prepend:1: text before the signed block/);
  assert.match(ok(['log', 'ingest', upstreamPath('data', 'pause-checksums', 'good'), '--author', 'ANDK', ...keyring, ...db]), /0 added, 48 already logged/);
  const token = ok(['log', 'token', 'create', '--uploader', 'CPANSEC', '--name', 'test uploader', ...db]).trim();

  const witness = await startCli(['witness', '--key', f('w1.key'), '--log', logVkey, '--port', '0', '--data-dir', f('w1-db')], 'cpansec witness serving');
  const server = await startCli(['serve', '--port', '0', '--no-workspace', '--log-key', f('log.key'), '--log-witness', `${witnessVkey}=${witness.url}`, '--checkpoint-interval', '0.5', ...db], 'cpansec serving');
  try {
    // a release uploaded now, recorded through the write API
    const tarball = f('Foo-Bar-1.00.tar.gz');
    writeFileSync(tarball, randomBytes(2048));
    const sha = (await import('node:crypto')).createHash('sha256').update(readFileSync(tarball)).digest('hex');
    const noToken = await cliAsync(['log', 'add', 'CPANSEC/Foo-Bar-1.00.tar.gz', sha, '--log', server.url, '--token', 'cpansec_aaaaaaaa_' + 'a'.repeat(52)]);
    assert.equal(noToken.status, 2, noToken.stdout + noToken.stderr);
    assert.match(noToken.stderr, /HTTP 401/);
    const added = await cliAsync(['log', 'add', 'CPANSEC/Foo-Bar-1.00.tar.gz', sha, '--log', server.url, '--token', token]);
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /added CPANSEC\/Foo-Bar-1.00.tar.gz at index 48/);
    const again = await cliAsync(['log', 'add', 'CPANSEC/Foo-Bar-1.00.tar.gz', 'f'.repeat(64), '--log', server.url, '--token', token]);
    assert.equal(again.status, 1, again.stdout + again.stderr);
    assert.match(again.stderr, /already in the log with another SHA-256/);
    const other = await cliAsync(['log', 'add', 'ANDK/Evil-1.0.tar.gz', sha, '--log', server.url, '--token', token]);
    assert.equal(other.status, 2, other.stdout + other.stderr);
    assert.match(other.stderr, /HTTP 403/);

    // the checkpointer publishes size 49 once the witness cosigned it
    const checkpoint = await waitFor(async () => {
      const r = await fetch(`${server.url}/checkpoint`);
      const t = r.ok ? await r.text() : '';
      return t.split('\n')[1] === '49' ? t : undefined;
    }, 'the checkpoint of size 49');
    assert.match(checkpoint, /^— witness\.example\/w1 /m);
    const tile = await fetch(`${server.url}/tile/0/000.p/49`);
    assert.equal(tile.status, 200);
    assert.equal((await tile.arrayBuffer()).byteLength, 49 * 32);
    assert.match(tile.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${server.url}/tile/0/000`)).status, 404, 'no full tile yet');

    const verifyArgs = ['verify', tarball, '--log', server.url, '--key', logVkey, '--witness', witnessVkey];
    const v = await cliAsync([...verifyArgs, '--save-proof', f('foo.tlog-proof')]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /ok {3}checkpoint: signed by the log log\.cpansec\.example\/releases: size 49/);
    assert.match(v.stdout, /ok {3}witnesses: cosigned by witness\.example\/w1/);
    assert.match(v.stdout, /ok {3}entry: entry 48: CPANSEC\/Foo-Bar-1\.00\.tar\.gz/);
    assert.match(v.stdout, /ok {3}inclusion: entry 48 is in the tree of size 49/);
    // offline, from the saved proof
    assert.equal((await cliAsync(['verify', tarball, '--proof', f('foo.tlog-proof'), '--key', logVkey, '--witness', witnessVkey])).status, 0);
    // a witness the checkpoint lacks: refused
    const otherWitness = ok(['note', 'keygen', 'witness.example/w2', '--witness', '-o', f('w2.key')]).trim();
    const lacking = await cliAsync([...verifyArgs, '--witness', otherWitness]);
    assert.equal(lacking.status, 1, lacking.stdout + lacking.stderr);
    assert.match(lacking.stdout, /FAIL checkpoint: .*1 of the 2 witness cosignatures required \(missing: witness\.example\/w2\)/);
    // a file that is not in the log
    writeFileSync(f('Foo-Bar-1.01.tar.gz'), 'not released');
    const absent = await cliAsync(['verify', f('Foo-Bar-1.01.tar.gz'), '--log', server.url, '--key', logVkey]);
    assert.equal(absent.status, 1, absent.stdout + absent.stderr);
    assert.match(absent.stdout, /FAIL entry: no entry with SHA-256/);

    const monitor = ['log', 'monitor', '--log', server.url, '--key', logVkey, '--witness', witnessVkey];
    const m1 = await cliAsync([...monitor, '--state', f('monitor.json')]);
    assert.equal(m1.status, 0, m1.stdout + m1.stderr);
    assert.match(m1.stdout, /size 0 -> 49, 49 new entries checked, consistent/);

    // tamper with one tile: the leaf hash of entry 0 (a sibling subtree of entry 48's path)
    const sqlite = new Database(path.join(f('log-db'), 'cpansec.sqlite'));
    const leaf0 = (sqlite.prepare('select leaf_hash from provenance_entries where idx = 0').get() as { leaf_hash: string }).leaf_hash;
    sqlite.prepare('update provenance_entries set leaf_hash = ? where idx = 0').run('00'.repeat(32));
    const vt = await cliAsync(verifyArgs);
    assert.equal(vt.status, 1, vt.stdout + vt.stderr);
    assert.match(vt.stdout, /FAIL inclusion: the inclusion proof of entry 48 from the log's tiles does not lead to the checkpoint's root: a tile was altered/);
    const mt = await cliAsync([...monitor, '--state', f('fresh-1.json')]);
    assert.equal(mt.status, 1, mt.stdout + mt.stderr);
    assert.match(mt.stdout, /INCONSISTENT/);
    assert.match(mt.stdout, /entry 0 in tile\/entries\/000\.p\/49 does not hash to its leaf in tile\/0\/000\.p\/49/);
    sqlite.prepare('update provenance_entries set leaf_hash = ? where idx = 0').run(leaf0);

    // tamper with one entry: the release's own record (its upload time)
    const data = (sqlite.prepare('select data from provenance_entries where idx = 48').get() as { data: string }).data;
    sqlite.prepare('update provenance_entries set data = ? where idx = 48').run(data.replace(/time \S+/, 'time 2001-01-01T00:00:00Z'));
    const ve = await cliAsync(verifyArgs);
    assert.equal(ve.status, 1, ve.stdout + ve.stderr);
    assert.match(ve.stdout, /FAIL tiles: entry 48 does not hash to the leaf hash in tile\/0\/000\.p\/49: the entry bundle or the tile was altered/);
    const me = await cliAsync([...monitor, '--state', f('fresh-2.json')]);
    assert.equal(me.status, 1, me.stdout + me.stderr);
    assert.match(me.stdout, /entry 48 in tile\/entries\/000\.p\/49 does not hash to its leaf/);
    sqlite.prepare('update provenance_entries set data = ? where idx = 48').run(data);
    sqlite.close();

    // the monitor that followed the honest log still agrees, and the offline proof never needed the server
    assert.equal((await cliAsync([...monitor, '--state', f('monitor.json')])).status, 0);
  } finally {
    await server.kill();
    await witness.kill();
  }
  const offline = cli(['verify', f('Foo-Bar-1.00.tar.gz'), '--proof', f('foo.tlog-proof'), '--key', logVkey, '--witness', witnessVkey]);
  assert.equal(offline.status, 0, offline.stdout);
  assert.match(offline.stdout, /verified\n$/);
});
