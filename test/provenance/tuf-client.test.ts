/**
 * Interoperability and attacks: the independent tuf-js client (5.x) against our repository —
 * served by a running cpansec server on SQLite and PostgreSQL — and against a lying mirror for
 * each classic attack of the TUF spec (§1.5.2): every one refused by the real client.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { SqlTufStore } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';
import { testServer } from '../server/harness.js';
import { client, entry, Mirror, newSigner, signers, TufRepository } from './tuf-helpers.js';

const REL = 'authors/id/E/ET/ETHER/Foo-Bar-1.23.tar.gz';
const BYTES = Buffer.from('the release tarball of Foo-Bar 1.23');

for (const backend of BACKENDS) {
  describe(`tuf-js against a running server on ${backend.name}`, { skip: backend.skip }, () => {
    test('downloads and verifies a release through /tuf/, across a timestamp refresh and a root rotation', async () => {
      const s = await testServer(backend);
      const tuf = new SqlTufStore(s.store.db, s.store.dialect);
      const keys = signers();
      const repo = TufRepository.init(keys, new Date());
      const rootJson = repo.docs[0]!.json;
      repo.addTargets([entry(REL, BYTES)], keys, new Date());
      await tuf.save(repo.drain(), [entry(REL, BYTES)]);
      const url = `${await s.app.listen({ host: '127.0.0.1', port: 0 })}/tuf`;
      const c = client(url, rootJson);
      let u = c.updater();
      await u.refresh();
      const info = await u.getTargetInfo(REL);
      assert.ok(info, 'the target is listed by the ETHER role');
      const file = await u.downloadTarget(info!, path.join(c.dir, 'got.tar.gz'));
      assert.deepEqual(readFileSync(file), BYTES);
      assert.equal((await u.getTargetInfo('authors/id/M/MI/MIYAGAWA/Plack-1.0.tar.gz')), undefined);

      // the root key rotates (new root signed by old and new); the client follows the chain
      const newRoot = [newSigner().signer];
      repo.rotate('root', newRoot, keys, new Date());
      keys.root = newRoot;
      repo.rotate('timestamp', [newSigner().signer], keys, new Date());
      await tuf.save(repo.drain());
      u = c.updater();
      await u.refresh();
      assert.ok(await u.getTargetInfo(REL));
      const trusted = JSON.parse(readFileSync(path.join(c.dir, 'root.json'), 'utf8')) as { signed: { version: number } };
      assert.equal(trusted.signed.version, 3);
      // the immutable versions are cacheable, the timestamp is not
      const r = await fetch(`${url}/metadata/1.root.json`);
      assert.match(r.headers.get('cache-control') ?? '', /immutable/);
      assert.equal((await fetch(`${url}/metadata/timestamp.json`)).headers.get('cache-control'), 'no-cache');
      assert.equal((await fetch(`${url}/metadata/99.root.json`)).status, 404);
      assert.equal((await fetch(`${url}/targets/authors/id/E/ET/ETHER/${'0'.repeat(64)}.Foo-Bar-1.23.tar.gz`)).status, 404);
    });
  });
}

describe('tuf-js refuses every classic attack from a lying mirror', () => {
  async function setup() {
    const keys = signers();
    const repo = TufRepository.init(keys, new Date());
    const root = repo.docs[0]!.json;
    repo.addTargets([entry(REL, BYTES)], keys, new Date());
    const mirror = new Mirror();
    mirror.put(repo.drain());
    mirror.putTarget(REL, BYTES);
    const url = await mirror.start();
    const c = client(url, root);
    return { keys, repo, mirror, c };
  }
  const refused = async (p: Promise<unknown>, pattern: RegExp) => {
    await assert.rejects(p, (e: Error) => {
      assert.match(`${e.constructor.name}: ${e.message}`, pattern);
      return true;
    });
  };

  test('rollback: an older timestamp than the client has seen', async () => {
    const { keys, repo, mirror, c } = await setup();
    const old = mirror.files.get('metadata/timestamp.json')!;
    repo.refresh(keys, new Date(), { force: true });
    mirror.put(repo.drain());
    await c.updater().refresh();
    mirror.files.set('metadata/timestamp.json', old);
    await refused(c.updater().refresh(), /BadVersionError: New timestamp version 2 is less than current version 3/);
  });

  test('freeze: an expired timestamp', async () => {
    const { keys, repo, mirror, c } = await setup();
    repo.refresh(keys, new Date(Date.now() - 3 * 86_400_000), { force: true });
    mirror.put(repo.drain());
    await refused(c.updater().refresh(), /ExpiredMetadataError: Final timestamp\.json is expired/);
  });

  test('arbitrary target: other bytes under the listed hash name', async () => {
    const { mirror, c } = await setup();
    const evil = Buffer.from('the release tarball of Foo-Bar 6.66');
    mirror.putTarget(REL, evil, (await import('node:crypto')).createHash('sha256').update(BYTES).digest('hex'));
    const u = c.updater();
    await u.refresh();
    const info = await u.getTargetInfo(REL);
    await refused(u.downloadTarget(info!, path.join(c.dir, 'evil')), /LengthOrHashMismatchError|hash/i);
  });

  test('mix-and-match: a delegated role from another version than the snapshot names', async () => {
    const { keys, repo, mirror, c } = await setup();
    const v1 = mirror.files.get('metadata/1.ETHER.json')!;
    repo.addTargets([entry('authors/id/E/ET/ETHER/Foo-Bar-1.24.tar.gz', Buffer.from('1.24'))], keys, new Date());
    mirror.put(repo.drain());
    mirror.files.set('metadata/2.ETHER.json', v1);
    const u = c.updater();
    await u.refresh();
    await refused(u.getTargetInfo(REL), /Version 1 of ETHER does not match snapshot version 2/);
  });

  test('endless data: a timestamp larger than any real one, a target longer than listed', async () => {
    const { mirror, c } = await setup();
    const ts = mirror.files.get('metadata/timestamp.json')!;
    mirror.files.set('metadata/timestamp.json', Buffer.concat([ts, Buffer.alloc(64 * 1024, 32)]));
    await refused(c.updater().refresh(), /DownloadLengthMismatchError/);
    mirror.files.set('metadata/timestamp.json', ts);
    mirror.putTarget(REL, Buffer.concat([BYTES, Buffer.alloc(1024 * 1024, 0)]), (await import('node:crypto')).createHash('sha256').update(BYTES).digest('hex'));
    const u = c.updater();
    await u.refresh();
    await refused(u.downloadTarget((await u.getTargetInfo(REL))!, path.join(c.dir, 'long')), /DownloadLengthMismatchError/);
  });

  test('below-threshold signatures: a timestamp without its signature, a 2-of-2 root signed once', async () => {
    const { mirror, c } = await setup();
    const ts = JSON.parse(mirror.files.get('metadata/timestamp.json')!.toString()) as { signatures: unknown[] };
    ts.signatures = [];
    mirror.files.set('metadata/timestamp.json', Buffer.from(JSON.stringify(ts)));
    await refused(c.updater().refresh(), /UnsignedMetadataError: timestamp was signed by 0\/1 keys/);

    const keys = signers();
    keys.timestamp = [newSigner().signer, newSigner().signer];
    const repo = TufRepository.init(keys, new Date(), { thresholds: { timestamp: 2 } });
    const docs = repo.drain();
    const m2 = new Mirror();
    m2.put(docs);
    const t2 = JSON.parse(m2.files.get('metadata/timestamp.json')!.toString()) as { signatures: unknown[] };
    t2.signatures = t2.signatures.slice(0, 1);
    m2.files.set('metadata/timestamp.json', Buffer.from(JSON.stringify(t2)));
    const c2 = client(await m2.start(), docs[0]!.json);
    await refused(c2.updater().refresh(), /UnsignedMetadataError: timestamp was signed by 1\/2 keys/);
  });

  test('a root rotation the old root did not sign', async () => {
    const { keys, repo, mirror, c } = await setup();
    const attacker = [newSigner().signer];
    // the attacker makes root v2 naming its own key, signed by that key only
    repo.rotate('root', attacker, { ...keys, root: attacker }, new Date());
    mirror.put(repo.drain());
    await refused(c.updater().refresh(), /UnsignedMetadataError: root was signed by 0\/1 keys/);
  });
});
