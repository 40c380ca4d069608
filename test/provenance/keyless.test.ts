/**
 * Keyless Sigstore bundles (a Fulcio certificate and a Rekor entry), made with a throwaway CA and
 * log and verified by `cpansec verify --bundle` and `cpansec sigstore verify-bundle` against a
 * trusted_root.json that names them: a good bundle passes; a wrong identity or issuer, a
 * certificate of another CA, a tampered log entry, a certificate expired when the log integrated
 * the entry are each refused with their own reason.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { parseBundle, parseTrustedRoot, sha256Hex, verifyRelease } from '../../src/provenance/attestation/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { Ca, signKeyless, throwawaySigstore, type Sigstore } from './keyless-helpers.js';
import { release } from './signing-helpers.js';

const ID = 'alice@example.org';
const ISSUER = 'https://accounts.example.org';
const dir = tempDir('keyless');
const rel = release();
const file = path.join(dir, rel.file);
const rootFile = path.join(dir, 'trusted_root.json');
let s: Sigstore;

before(async () => {
  s = await throwawaySigstore();
  writeFileSync(file, rel.bytes);
  writeFileSync(rootFile, JSON.stringify(s.trustedRoot));
});

let n = 0;
function save(bundle: unknown): string {
  const f = path.join(dir, `bundle-${n++}.sigstore.json`);
  writeFileSync(f, JSON.stringify(bundle));
  return f;
}

const conformance = (bundle: string, identity = ID, issuer = ISSUER, target = file) =>
  cli(['sigstore', 'verify-bundle', '--bundle', bundle, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer, '--trusted-root', rootFile, target]);
const verify = (bundle: string, identity = ID, issuer = ISSUER) =>
  cli(['verify', file, '--bundle', bundle, '--trusted-root', rootFile, '--certificate-identity', identity, '--certificate-oidc-issuer', issuer]);

/** the same verification in process, for the failures whose reasons are listed */
function reason(bundle: unknown, identity = ID, issuer = ISSUER): string {
  const r = verifyRelease({
    bundle: parseBundle(Buffer.from(JSON.stringify(bundle)), 'b.json'),
    artifact: { name: rel.file, sha256: sha256Hex(rel.bytes), bytes: rel.bytes },
    keys: [],
    keyless: { trustedRoot: parseTrustedRoot(Buffer.from(JSON.stringify(s.trustedRoot)), 'trusted_root.json'), identity, issuer },
  });
  const failed = r.checks.find((c) => !c.ok);
  return failed ? `${failed.name}: ${failed.detail}` : 'verified';
}

describe('keyless bundles', () => {
  test('a keyless bundle verifies through both commands, by file and by digest, for an e-mail and a CI identity', async () => {
    const b = save(await signKeyless(s, rel, { identity: ID, issuer: ISSUER }));
    let r = verify(b);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok {3}bundle: application\/vnd\.dev\.sigstore\.bundle\.v0\.3\+json, DSSE envelope, certificate$/m);
    assert.match(r.stdout, /^ok {3}signature: certificate of alice@example\.org \(issuer https:\/\/accounts\.example\.org\) chains to the trusted root; log entry verified$/m);
    assert.match(r.stdout, /^ok {3}subject digest: /m);
    assert.match(r.stdout, /^ok {3}author: signer identity alice@example\.org/m);
    r = conformance(b);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^OK: Foo-Bar-1\.23\.tar\.gz: certificate of alice@example\.org/);
    assert.equal(conformance(b, ID, ISSUER, `sha256:${sha256Hex(rel.bytes)}`).status, 0);

    const workflow = 'https://github.com/example/foo-bar/.github/workflows/release.yml@refs/tags/v1.23';
    const actions = 'https://token.actions.githubusercontent.com';
    const ci = save(await signKeyless(s, rel, { identity: workflow, issuer: actions }));
    r = conformance(ci, workflow, actions);
    assert.equal(r.status, 0, r.stderr);
  });

  test('wrong identity, a part of the identity, wrong issuer: exit 1 with the reason', async () => {
    const b = save(await signKeyless(s, rel, { identity: ID, issuer: ISSUER }));
    let r = conformance(b, 'mallory@example.org');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: the certificate\'s identity is "alice@example.org", not "mallory@example.org"\n');
    // the identity is compared exactly, not as a pattern (sigstore-js's policy would match this one)
    r = conformance(b, 'lice@example.org');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: the certificate\'s identity is "alice@example.org", not "lice@example.org"\n');
    r = conformance(b, ID, 'https://accounts.evil.example');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: the certificate\'s OIDC issuer is "https://accounts.example.org", not "https://accounts.evil.example"\n');
    r = verify(b, 'mallory@example.org');
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL signature: the certificate's identity is "alice@example\.org", not "mallory@example\.org"$/m);
    assert.match(r.stdout, /NOT verified/);
  });

  test('a certificate of a CA the trusted root does not name', async () => {
    const other = await Ca.create('evil.test');
    const b = await signKeyless(s, rel, { identity: ID, issuer: ISSUER, ca: other });
    assert.equal(reason(b), 'signature: CERTIFICATE_ERROR: Failed to verify certificate chain: no valid certificate path found');
    const r = conformance(save(b));
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: CERTIFICATE_ERROR: Failed to verify certificate chain: no valid certificate path found\n');
  });

  test('a certificate that had expired when the log integrated the entry', async () => {
    const notBefore = new Date(Date.now() - 3600_000);
    const b = await signKeyless(s, rel, { identity: ID, issuer: ISSUER, notBefore, notAfter: new Date(notBefore.getTime() + 10 * 60_000), integratedAt: new Date() });
    assert.equal(reason(b), 'signature: CERTIFICATE_ERROR: Failed to verify certificate chain: certificate is not valid or expired at the specified date');
    const r = verify(save(b));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL signature: CERTIFICATE_ERROR: Failed to verify certificate chain: certificate is not valid or expired at the specified date$/m);
  });

  test('a tampered log entry: its body, its time, its inclusion proof, or none at all', async () => {
    const good = await signKeyless(s, rel, { identity: ID, issuer: ISSUER });
    const entryOf = (b: Record<string, unknown>) => (b.verificationMaterial as { tlogEntries: Record<string, unknown>[] }).tlogEntries[0]!;
    const copy = () => JSON.parse(JSON.stringify(good)) as Record<string, unknown>;

    // the body says another signature was logged
    let b = copy();
    const body = JSON.parse(Buffer.from(entryOf(b).canonicalizedBody as string, 'base64').toString()) as { spec: { signatures: { signature: string }[] } };
    body.spec.signatures[0]!.signature = Buffer.from('another signature').toString('base64');
    entryOf(b).canonicalizedBody = Buffer.from(JSON.stringify(body)).toString('base64');
    assert.equal(reason(b), 'signature: TLOG_INCLUSION_PROMISE_ERROR: inclusion promise could not be verified');
    let r = conformance(save(b));
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: TLOG_INCLUSION_PROMISE_ERROR: inclusion promise could not be verified\n');

    // integrated at another time than the log signed
    b = copy();
    entryOf(b).integratedTime = String(Number(entryOf(b).integratedTime) - 60);
    assert.equal(reason(b), 'signature: TLOG_INCLUSION_PROMISE_ERROR: inclusion promise could not be verified');

    // a proof hash changed: the path no longer leads to the checkpoint's root
    b = copy();
    const proof = entryOf(b).inclusionProof as { hashes: string[] };
    proof.hashes[0] = Buffer.alloc(32, 7).toString('base64');
    assert.equal(reason(b), 'signature: TLOG_INCLUSION_PROOF_ERROR: calculated root hash does not match inclusion proof');

    // a checkpoint not signed by the log
    b = copy();
    const cp = entryOf(b).inclusionProof as { checkpoint: { envelope: string } };
    cp.checkpoint.envelope = cp.checkpoint.envelope.replace(/\n(\d+)\n/, (_m, size: string) => `\n${Number(size) + 1}\n`);
    assert.equal(reason(b), 'signature: TLOG_INCLUSION_PROOF_ERROR: invalid checkpoint signature');

    // no log entry at all: no time to check the certificate against
    b = copy();
    (b.verificationMaterial as { tlogEntries: unknown[] }).tlogEntries = [];
    assert.equal(reason(b), 'signature: TIMESTAMP_ERROR: expected 1 timestamps, got 0');
    r = verify(save(b));
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL signature: TIMESTAMP_ERROR: expected 1 timestamps, got 0$/m);
  });

  test('a keyless bundle needs the trusted root, the identity and the issuer', async () => {
    const b = save(await signKeyless(s, rel, { identity: ID, issuer: ISSUER }));
    let r = cli(['verify', file, '--bundle', b]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAIL signature: a keyless \(certificate\) bundle needs a trusted root \(--trusted-root\)$/m);
    r = cli(['sigstore', 'verify-bundle', '--bundle', b, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, file]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cpansec: verification failed: a keyless (certificate) bundle needs a trusted root (--trusted-root)\n');
    const broken = path.join(dir, 'broken-root.json');
    writeFileSync(broken, '{"mediaType": "application/json"}');
    r = conformance(b, ID, ISSUER);
    assert.equal(r.status, 0);
    r = cli(['sigstore', 'verify-bundle', '--bundle', b, '--certificate-identity', ID, '--certificate-oidc-issuer', ISSUER, '--trusted-root', broken, file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cpansec: .*broken-root\.json: not a Sigstore trusted root/);
  });
});
