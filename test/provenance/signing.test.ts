import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  BUNDLE_V03_MEDIA_TYPE,
  IN_TOTO_PAYLOAD_TYPE,
  RELEASE_PREDICATE_V1,
  SLSA_PROVENANCE_V1,
  keyIdOf,
  pae,
  parseBundle,
  publicKeyLine,
  readPublicKey,
  sha256Hex,
  signEnvelope,
  trustedKeyFromFile,
  verifyRelease,
  type TrustedKey,
} from '../../src/provenance/attestation/index.js';
import { newKey, release, signed } from './signing-helpers.js';

const bundleOf = (b: unknown, file = 'b.json') => parseBundle(Buffer.from(JSON.stringify(b)), file);
const artifactOf = (r: { file: string; bytes: Buffer }) => ({ name: r.file, sha256: sha256Hex(r.bytes), bytes: r.bytes });
const failure = (res: ReturnType<typeof verifyRelease>) => res.checks.find((c) => !c.ok);

describe('DSSE and in-toto', () => {
  test("PAE is the DSSE spec's encoding (protocol.md's example)", () => {
    // secure-systems-lab/dsse protocol.md: PAE("http://example.com/HelloWorld", "hello world")
    assert.equal(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    // lengths are in bytes, not characters
    assert.equal(pae('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é');
  });

  test('a signed release is an in-toto Statement v1 about the tarball in a Sigstore bundle v0.3 with a public key', async () => {
    const key = newKey();
    const r = release();
    const b = await signed(r, key);
    assert.equal(b.mediaType, BUNDLE_V03_MEDIA_TYPE);
    assert.deepEqual(b.verificationMaterial, { publicKey: { hint: key.keyId }, tlogEntries: [] });
    assert.equal(b.dsseEnvelope.payloadType, IN_TOTO_PAYLOAD_TYPE);
    const st = JSON.parse(Buffer.from(b.dsseEnvelope.payload, 'base64').toString());
    assert.equal(st._type, 'https://in-toto.io/Statement/v1');
    assert.deepEqual(st.subject, [{ name: 'Foo-Bar-1.23.tar.gz', digest: { sha256: sha256Hex(r.bytes) } }]);
    assert.equal(st.predicateType, SLSA_PROVENANCE_V1);
    assert.equal(st.predicate.buildDefinition.externalParameters.distribution, 'Foo-Bar');
    assert.equal(st.predicate.buildDefinition.externalParameters.author, 'ETHER');
    assert.equal(st.predicate.buildDefinition.resolvedDependencies[0].uri, 'git+https://github.com/example/foo-bar.git');
    const rel = await signed(r, key, 'ETHER', 'release');
    const st2 = JSON.parse(Buffer.from(rel.dsseEnvelope.payload, 'base64').toString());
    assert.equal(st2.predicateType, RELEASE_PREDICATE_V1);
    assert.equal(st2.predicate.version, '1.23');
  });

  test('the public key line and the PEM name the same key; the key id is the SPKI SHA-256', () => {
    const key = newKey();
    const line = publicKeyLine(key.publicKey);
    assert.match(line, /^ed25519 [A-Za-z0-9+/]{43}= [0-9a-f]{64}$/);
    assert.equal(keyIdOf(readPublicKey(line, 'l')), key.keyId);
    assert.equal(keyIdOf(readPublicKey(key.publicPem, 'p')), key.keyId);
    assert.throws(() => readPublicKey('hello', 'k.pub'), /k\.pub: not a public key/);
  });
});

describe('verifying a release', () => {
  test('a good bundle passes every check', async () => {
    const key = newKey();
    const r = release();
    const res = verifyRelease({ bundle: bundleOf(await signed(r, key)), artifact: artifactOf(r), keys: [trustedKeyFromFile(key.publicKey, 'k.pub')] });
    assert.equal(res.ok, true, JSON.stringify(res.checks));
    assert.deepEqual(res.checks.map((c) => c.name), ['bundle', 'payload type', 'signing key', 'signature', 'statement', 'subject digest', 'subject name', 'author']);
    assert.equal(res.author, 'ETHER');
  });

  test('each failure has its own reason', async () => {
    const key = newKey();
    const other = newKey();
    const r = release();
    const good = await signed(r, key);
    const mine = [trustedKeyFromFile(key.publicKey, 'k.pub')];

    // another key
    let res = verifyRelease({ bundle: bundleOf(good), artifact: artifactOf(r), keys: [trustedKeyFromFile(other.publicKey, 'o.pub')] });
    assert.equal(failure(res)?.name, 'signing key');
    assert.match(failure(res)!.detail, new RegExp(`names key ${key.keyId}, which is not the key of --key o.pub`));

    // a key that claims the right id but is not the signer's: the signature does not verify
    res = verifyRelease({ bundle: bundleOf(good), artifact: artifactOf(r), keys: [{ ...mine[0]!, publicKey: other.publicKey }] });
    assert.equal(failure(res)?.name, 'signature');
    assert.equal(failure(res)!.detail, `the signature does not verify with key ${key.keyId}`);

    // a payload changed after signing
    const st = JSON.parse(Buffer.from(good.dsseEnvelope.payload, 'base64').toString());
    st.subject[0].digest.sha256 = '0'.repeat(64);
    const tampered = { ...good, dsseEnvelope: { ...good.dsseEnvelope, payload: Buffer.from(JSON.stringify(st)).toString('base64') } };
    res = verifyRelease({ bundle: bundleOf(tampered), artifact: artifactOf(r), keys: mine });
    assert.equal(failure(res)?.name, 'signature');

    // another tarball
    const r2 = release('Foo-Bar', '1.23', '# changed');
    res = verifyRelease({ bundle: bundleOf(good), artifact: artifactOf(r2), keys: mine });
    assert.equal(failure(res)?.name, 'subject digest');
    assert.match(failure(res)!.detail, new RegExp(`no subject has the tarball's sha256:${sha256Hex(r2.bytes)} \\(the statement is about Foo-Bar-1.23.tar.gz sha256:${sha256Hex(r.bytes)}\\)`));

    // the same bytes under another name
    res = verifyRelease({ bundle: bundleOf(good), artifact: { ...artifactOf(r), name: 'Foo-Bar-9.99.tar.gz' }, keys: mine });
    assert.equal(failure(res)?.name, 'subject name');
    assert.equal(failure(res)!.detail, 'the subject is named "Foo-Bar-1.23.tar.gz", the tarball "Foo-Bar-9.99.tar.gz"');

    // a signature over another payload type
    const otherType = { ...good, dsseEnvelope: signEnvelope('application/json', Buffer.from('{}'), key.privateKey, key.keyId) };
    res = verifyRelease({ bundle: bundleOf(otherType), artifact: artifactOf(r), keys: mine });
    assert.equal(failure(res)?.name, 'payload type');
    assert.equal(failure(res)!.detail, 'the envelope\'s payload type is "application/json", not application/vnd.in-toto+json');

    // signed in-toto payload that is not a statement
    const notStatement = { ...good, dsseEnvelope: signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"_type":"https://in-toto.io/Statement/v0.1"}'), key.privateKey, key.keyId) };
    res = verifyRelease({ bundle: bundleOf(notStatement), artifact: artifactOf(r), keys: mine });
    assert.equal(failure(res)?.name, 'statement');
    assert.match(failure(res)!.detail, /_type is "https:\/\/in-toto.io\/Statement\/v0.1", not https:\/\/in-toto.io\/Statement\/v1/);

    // the expected author is not the one signed for
    res = verifyRelease({ bundle: bundleOf(good), artifact: artifactOf(r), keys: mine, author: 'MIYAGAWA' });
    assert.equal(failure(res)?.name, 'author');
    assert.equal(failure(res)!.detail, 'the statement names PAUSE author ETHER, not MIYAGAWA');

    // no key at all
    res = verifyRelease({ bundle: bundleOf(good), artifact: artifactOf(r), keys: [] });
    assert.equal(failure(res)?.name, 'signing key');
    assert.match(failure(res)!.detail, /no key to verify with/);
  });

  test("the server's keys: registered to the author, retired keys still good, revoked ones not", async () => {
    const key = newKey();
    const r = release();
    const bundle = bundleOf(await signed(r, key));
    const registered = (over: Partial<TrustedKey>): TrustedKey[] => [{ publicKey: key.publicKey, keyId: key.keyId, source: "the server's keys of ETHER", author: 'ETHER', status: 'active', ...over }];
    assert.equal(verifyRelease({ bundle, artifact: artifactOf(r), keys: registered({}) }).ok, true);
    const retired = verifyRelease({ bundle, artifact: artifactOf(r), keys: registered({ status: 'retired', changedAt: '2026-12-02T00:00:00Z' }) });
    assert.equal(retired.ok, true);
    assert.match(retired.checks.at(-1)!.detail, /retired on 2026-12-02/);
    const revoked = verifyRelease({ bundle, artifact: artifactOf(r), keys: registered({ status: 'revoked', changedAt: '2026-12-03T00:00:00Z', reason: 'laptop stolen' }) });
    assert.equal(failure(revoked)?.name, 'author');
    assert.equal(failure(revoked)!.detail, `key ${key.keyId} of ETHER was revoked on 2026-12-03T00:00:00Z: laptop stolen`);
    const elsewhere = verifyRelease({ bundle, artifact: artifactOf(r), keys: registered({ author: 'MIYAGAWA' }) });
    assert.equal(failure(elsewhere)!.detail, `key ${key.keyId} is registered to MIYAGAWA, not to ETHER`);
  });

  test('a keyless bundle without a trusted root is refused with the reason', async () => {
    const key = newKey();
    const r = release();
    const b = await signed(r, key);
    const cert = { ...b, verificationMaterial: { certificate: { rawBytes: Buffer.from('not really a certificate').toString('base64') }, tlogEntries: [] } };
    const res = verifyRelease({ bundle: bundleOf(cert), artifact: artifactOf(r), keys: [] });
    assert.equal(failure(res)?.name, 'signature');
    assert.equal(failure(res)!.detail, 'a keyless (certificate) bundle needs a trusted root (--trusted-root)');
  });
});

describe('hostile bundles', () => {
  test('truncated, oversized, wrong media type, missing fields, too deep: one-line errors naming the file', async () => {
    const key = newKey();
    const good = JSON.stringify(await signed(release(), key));
    const bad = (text: string | Buffer) => assert.throws(() => parseBundle(Buffer.from(text), 'x.sigstore.json'), (e: Error) => {
      assert.match(e.message, /^x\.sigstore\.json: not a valid Sigstore bundle: /);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    bad(good.slice(0, good.length / 2));
    bad(Buffer.alloc(1024 * 1024 + 1, 32));
    bad(good.replace('bundle.v0.3+json', 'bundle.v9.9+json'));
    bad(JSON.stringify({ ...JSON.parse(good), mediaType: 'application/json' }));
    bad(JSON.stringify({ ...JSON.parse(good), verificationMaterial: undefined }));
    bad(JSON.stringify({ ...JSON.parse(good), dsseEnvelope: { ...JSON.parse(good).dsseEnvelope, signatures: [] } }));
    bad('[]');
    bad(`{"mediaType":"${BUNDLE_V03_MEDIA_TYPE}","x":${'['.repeat(100)}${']'.repeat(100)}}`);
    assert.throws(() => parseBundle(Buffer.from(good.replace('bundle.v0.3+json', 'bundle.v9.9+json')), 'x'), /unknown mediaType "application\/vnd.dev.sigstore.bundle.v9.9\+json"/);
  });

  test('an ECDSA key bundle (as other Sigstore clients sign) verifies through the same path', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = release();
    const st = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: r.file, digest: { sha256: sha256Hex(r.bytes) } }], predicateType: RELEASE_PREDICATE_V1, predicate: { author: 'ETHER' } };
    const { createSign } = await import('node:crypto');
    const payload = Buffer.from(JSON.stringify(st));
    const sig = createSign('sha256').update(pae(IN_TOTO_PAYLOAD_TYPE, payload)).sign(privateKey).toString('base64');
    const b = { mediaType: BUNDLE_V03_MEDIA_TYPE, verificationMaterial: { publicKey: { hint: keyIdOf(publicKey) }, tlogEntries: [] }, dsseEnvelope: { payload: payload.toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ keyid: '', sig }] } };
    const res = verifyRelease({ bundle: bundleOf(b), artifact: artifactOf(r), keys: [trustedKeyFromFile(publicKey, 'ec.pub')] });
    assert.equal(res.ok, true, JSON.stringify(res.checks));
  });
});
