/**
 * Authors' own TUF roles, with per-author delegations and with hashed bins, checked by the tuf-js
 * client against a mirror: a release of an author with registered keys is served once the author
 * signed their role; a role signed by a stranger or by the server's online key is refused; a
 * rotation moves the delegation to the new key (the old signature stops verifying until the author
 * signs again); a revocation leaves nothing of theirs verifiable; authors without keys are signed
 * by the server as before.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorSignature, delegatedKeyIds, pendingAuthorRole, setAuthorKeys, signAuthorRole, signWith, tufKeyOf } from '../../src/provenance/tuf/index.js';
import { Metadata, MetadataKind } from '@tufjs/models';
import { newKey } from './signing-helpers.js';
import { client, entry, Mirror, signers, TufRepository } from './tuf-helpers.js';

const REL = 'authors/id/E/ET/ETHER/Foo-Bar-1.23.tar.gz';
const REL2 = 'authors/id/E/ET/ETHER/Foo-Bar-1.24.tar.gz';
const PLACK = 'authors/id/M/MI/MIYAGAWA/Plack-1.0.tar.gz';
const now = () => new Date();

const refused = async (p: Promise<unknown>, pattern: RegExp) => {
  await assert.rejects(p, (e: Error) => {
    assert.match(`${e.constructor.name}: ${e.message}`, pattern);
    return true;
  });
};

for (const mode of ['per-author delegations', 'hashed bins'] as const) {
  describe(`authors sign their own role (${mode})`, () => {
    async function setup() {
      const keys = signers();
      const repo = TufRepository.init(keys, now(), mode === 'hashed bins' ? { binBits: 3 } : {});
      const root = repo.docs[0]!.json;
      const mirror = new Mirror();
      const url = await mirror.start();
      const publish = () => {
        mirror.put(repo.drain());
        repo.drainPending();
      };
      publish();
      return { keys, repo, mirror, publish, fresh: () => client(url, root).updater() };
    }
    const sign = (repo: TufRepository, k: ReturnType<typeof newKey>, keys: ReturnType<typeof signers>, tufKeys = [tufKeyOf(k.publicKey)]) =>
      signAuthorRole(repo, 'ETHER', [authorSignature(pendingAuthorRole(repo, 'ETHER').signed, k.privateKey, k.publicKey)], tufKeys, keys, now());

    test('a release awaits its author, is served once they sign, and only their signature counts', async () => {
      const { keys, repo, mirror, publish, fresh } = await setup();
      const k = newKey();
      const ether = tufKeyOf(k.publicKey);
      repo.addTargets([entry(REL, Buffer.from('1.23')), entry(PLACK, Buffer.from('plack'))], keys, now(), new Map([['ETHER', [ether]]]));
      assert.ok(repo.pending.has('ETHER'));
      publish();
      let u = fresh();
      await u.refresh();
      assert.ok(await u.getTargetInfo(PLACK), "an author without keys: the server's online key signs as before");

      // a stranger's signature is refused, naming the keys
      const stranger = newKey();
      assert.throws(() => sign(repo, stranger, keys, [ether]), (e: Error) => {
        assert.match(e.message, /^version 1 of ETHER's role is not signed by the keys delegated to ETHER \(ETHER was signed by 0\/1 keys; signatures by [0-9a-f]{16}\)$/);
        return true;
      });
      const md = sign(repo, k, keys);
      assert.deepEqual(Object.keys(md.signatures), [ether.keyID]);
      publish();
      u = fresh();
      await u.refresh();
      const info = await u.getTargetInfo(REL);
      assert.equal(info?.length, 4, 'tuf-js finds the release through the author\'s delegation');
      assert.deepEqual(delegatedKeyIds(repo, 'ETHER'), [ether.keyID]);
      assert.throws(() => pendingAuthorRole(repo, 'ETHER'), /nothing awaits ETHER's signature/);

      // a mirror (or the server) that signs ETHER's role with the online delegation key is refused
      const forged = Metadata.fromJSON(MetadataKind.Targets, JSON.parse(mirror.files.get('metadata/1.ETHER.json')!.toString()) as never);
      forged.signed.targets[REL]!.hashes.sha256 = '0'.repeat(64);
      signWith(forged, keys.delegation);
      mirror.files.set('metadata/1.ETHER.json', Buffer.from(JSON.stringify(forged.toJSON())));
      const v = fresh();
      await v.refresh();
      await refused(v.getTargetInfo(REL), /RuntimeError: Unable to load targets error Error: ETHER was signed by 0\/1 keys/);
    });

    test('a key rotation moves the delegation; a revocation leaves nothing verifiable', async () => {
      const { keys, repo, publish, fresh } = await setup();
      const k1 = newKey();
      repo.addTargets([entry(REL, Buffer.from('1.23'))], keys, now(), new Map([['ETHER', [tufKeyOf(k1.publicKey)]]]));
      sign(repo, k1, keys);
      publish();

      // rotation to k2: the delegation names k2; the role signed by k1 no longer verifies
      const k2 = newKey();
      const k2t = tufKeyOf(k2.publicKey);
      const u1 = setAuthorKeys(repo, 'ETHER', [k2t], keys, now());
      assert.equal(u1.awaitingSignature, true);
      assert.ok(u1.changed.length > 0);
      assert.deepEqual(delegatedKeyIds(repo, 'ETHER'), [k2t.keyID]);
      publish();
      let u = fresh();
      await u.refresh();
      await refused(u.getTargetInfo(REL), /RuntimeError: Unable to load targets error Error: ETHER was signed by 0\/1 keys/);
      // the old key cannot sign the next version either
      assert.throws(() => sign(repo, k1, keys, [k2t]), /not signed by the keys delegated to ETHER/);
      sign(repo, k2, keys, [k2t]);
      repo.addTargets([entry(REL2, Buffer.from('1.24'))], keys, now(), new Map([['ETHER', [k2t]]]));
      sign(repo, k2, keys, [k2t]);
      publish();
      u = fresh();
      await u.refresh();
      assert.ok(await u.getTargetInfo(REL));
      assert.ok(await u.getTargetInfo(REL2));

      // revocation of the last key: the delegation names none, the role verifies with nothing
      const u2 = setAuthorKeys(repo, 'ETHER', [], keys, now());
      assert.ok(u2.changed.length > 0);
      publish();
      u = fresh();
      await u.refresh();
      await refused(u.getTargetInfo(REL), /RuntimeError: Unable to load targets error Error: ETHER was signed by 0\/1 keys/);
      assert.throws(() => sign(repo, k2, keys, []), /not signed by the keys delegated to ETHER/);
    });

    test('an author whose releases the server signed so far moves to a role of their own', async () => {
      const { keys, repo, publish, fresh } = await setup();
      repo.addTargets([entry(REL, Buffer.from('1.23'))], keys, now());
      publish();
      const k = newKey();
      const kt = tufKeyOf(k.publicKey);
      setAuthorKeys(repo, 'ETHER', [kt], keys, now());
      assert.deepEqual(Object.keys(pendingAuthorRole(repo, 'ETHER').signed.targets), [REL], 'the releases signed so far await the author');
      sign(repo, k, keys, [kt]);
      publish();
      const u = fresh();
      await u.refresh();
      assert.equal((await u.getTargetInfo(REL))?.length, 4);
      assert.deepEqual(delegatedKeyIds(repo, 'ETHER'), [kt.keyID]);
      if (repo.bins) {
        const bin = repo.delegated.get(repo.bins.getRoleForTarget(REL))!;
        assert.equal(bin.signed.targets[REL], undefined, 'the bin lists the release no more: the author does');
      }
    });
  });
}
