/** The repository's metadata as the TUF spec has it: canonical JSON, key ids, expiry format, thresholds, hashed bins. */
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { describe, test } from 'node:test';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind } from '@tufjs/models';
import { client, entry, Mirror, newSigner, signers, TufRepository } from './tuf-helpers.js';

describe('TUF metadata', () => {
  test("signatures are over the canonical JSON of `signed` (spec §4.2: sorted keys, no whitespace, only \\ and \" escaped)", () => {
    assert.equal(canonicalize({ b: 1, a: 'x"y\\z\n', c: [true, null] }), '{"a":"x\\"y\\\\z\n","b":1,"c":[true,null]}');
    const keys = signers();
    const repo = TufRepository.init(keys, new Date('2026-12-01T00:00:00Z'));
    const root = JSON.parse(repo.docs[0]!.json) as { signed: Record<string, unknown>; signatures: { keyid: string; sig: string }[] };
    const bytes = Buffer.from(canonicalize(root.signed));
    assert.equal(root.signatures.length, 1);
    assert.ok(verify(null, bytes, keys.root[0]!.privateKey, Buffer.from(root.signatures[0]!.sig, 'hex')));
    // the library's own check agrees (root signs itself)
    const md = Metadata.fromJSON(MetadataKind.Root, root as never);
    md.verifyDelegate('root', md);
    assert.equal(root.signed.expires, '2027-12-01T00:00:00Z', 'expiry without fractions of a second');
    assert.equal(root.signed.spec_version, '1.0.34');
    assert.equal(root.signed.consistent_snapshot, true);
  });

  test('a key id is the SHA-256 of the canonical JSON of the key (spec §4.2)', () => {
    const { signer } = newSigner();
    const json = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: signer.key.keyVal.public } };
    assert.equal(signer.key.keyID, createHash('sha256').update(canonicalize(json)).digest('hex'));
    assert.match(signer.key.keyVal.public!, /^[0-9a-f]{64}$/);
  });

  test('a threshold above the number of keys is refused; a target outside authors/id is refused', () => {
    assert.throws(() => TufRepository.init(signers(), new Date(), { thresholds: { root: 2 } }), /the root threshold 2 is more than its 1 keys/);
    const keys = signers();
    const repo = TufRepository.init(keys, new Date());
    assert.throws(() => repo.addTargets([entry('authors/id/E/ET/../../etc/passwd', Buffer.from('x'))], keys, new Date()), /is not authors\/id\/X\/XY\/PAUSEID\/FILE/);
    assert.throws(() => repo.addTargets([entry('authors/id/E/XX/ETHER/a.tar.gz', Buffer.from('x'))], keys, new Date()), /is not authors/);
    // a new author needs the targets key; the bins or per-author key alone cannot add one
    assert.throws(() => repo.addTargets([entry('authors/id/E/ET/ETHER/a.tar.gz', Buffer.from('x'))], { ...keys, targets: [] }, new Date()), /needs the targets key/);
  });

  test('hashed bins: every target lands in its bin, and tuf-js finds it there', async () => {
    const keys = signers();
    const repo = TufRepository.init(keys, new Date(), { binBits: 4 });
    const docs = repo.drain();
    assert.equal(docs.filter((d) => d.role.startsWith('bins-')).length, 16);
    const files = Array.from({ length: 40 }, (_, i) => entry(`authors/id/A/AU/AUTHOR${i}/Dist-${i}.tar.gz`, Buffer.from(`dist ${i}`)));
    repo.addTargets(files, keys, new Date());
    const mirror = new Mirror();
    mirror.put([...docs, ...repo.drain()]);
    for (const f of files) mirror.putTarget(f.path, f.bytes);
    const c = client(await mirror.start(), docs[0]!.json);
    const u = c.updater();
    await u.refresh();
    for (const f of [files[0]!, files[39]!]) {
      const info = await u.getTargetInfo(f.path);
      assert.equal(info?.hashes.sha256, f.sha256, f.path);
      assert.equal(repo.roleFor(f.path), repo.bins!.getRoleForTarget(f.path));
    }
  });
});
