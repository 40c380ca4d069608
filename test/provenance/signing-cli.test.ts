/** keygen, sign, verify and sigstore verify-bundle from the command line, as an author and a user run them. */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { release } from './signing-helpers.js';

const dir = tempDir('signing-cli');

test('keygen, sign, verify: each check printed; failures exit 1 with the reason; bad input exits 2', () => {
  const key = path.join(dir, 'author.key');
  let r = cli(['keygen', '--output', key]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ed25519 [A-Za-z0-9+/]{43}= [0-9a-f]{64}\n$/);
  assert.equal(statSync(key).mode & 0o777, 0o600);
  assert.equal(cli(['keygen', '--output', key]).status, 2, 'an existing key is not replaced');

  const rel = release();
  const file = path.join(dir, rel.file);
  writeFileSync(file, rel.bytes);
  r = cli(['sign', file, '--key', key, '--author', 'ether', '--predicate', 'release']);
  assert.equal(r.status, 0, r.stderr);
  const bundle = `${file}.sigstore.json`;
  assert.equal(JSON.parse(readFileSync(bundle, 'utf8')).mediaType, 'application/vnd.dev.sigstore.bundle.v0.3+json');

  r = cli(['verify', file, '--bundle', bundle, '--key', `${key}.pub`]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(r.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0]), ['ok   bundle', 'ok   payload type', 'ok   signing key', 'ok   signature', 'ok   statement', 'ok   subject digest', 'ok   subject name', 'ok   author', 'verified']);

  // the sigstore-conformance protocol: by file and by digest
  r = cli(['sigstore', 'verify-bundle', '--bundle', bundle, '--key', `${key}.pub`, file]);
  assert.equal(r.status, 0, r.stderr);
  const digest = `sha256:${(JSON.parse(Buffer.from(JSON.parse(readFileSync(bundle, 'utf8')).dsseEnvelope.payload, 'base64').toString()) as { subject: { digest: { sha256: string } }[] }).subject[0]!.digest.sha256}`;
  assert.equal(cli(['sigstore', 'verify-bundle', '--bundle', bundle, '--key', `${key}.pub`, digest]).status, 0);
  r = cli(['sigstore', 'verify-bundle', '--bundle', bundle, '--key', `${key}.pub`, `sha256:${'0'.repeat(64)}`]);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `cpansec: verification failed: no subject of the statement has sha256:${'0'.repeat(64)}\n`);

  // another release under the bundle: exit 1, the failed check and why
  const other = release('Foo-Bar', '1.23', '# evil');
  writeFileSync(file, other.bytes);
  r = cli(['verify', file, '--bundle', bundle, '--key', `${key}.pub`]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /FAIL subject digest: no subject has the tarball's sha256:[0-9a-f]{64}/);
  assert.match(r.stdout, /NOT verified: Foo-Bar-1\.23\.tar\.gz\n$/);

  // a truncated bundle: exit 2, one line naming the file
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, readFileSync(bundle, 'utf8').slice(0, 100));
  r = cli(['verify', file, '--bundle', broken, '--key', `${key}.pub`]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^cpansec: .*broken\.json: not a valid Sigstore bundle: not JSON/);
  assert.equal(r.stderr.split('\n').length, 2);
  r = cli(['sigstore', 'verify-bundle', '--bundle', broken, '--certificate-identity', 'a@b', '--certificate-oidc-issuer', 'https://x', file]);
  assert.notEqual(r.status, 0);
  assert.equal(cli(['sigstore', 'verify-bundle', '--bundle', bundle, file]).status, 2, 'neither a key nor an identity');
});

test('keys add, rotate, revoke, list on the server store (an administrator on the server machine)', () => {
  const data = path.join(dir, 'var');
  const a = path.join(dir, 'a.key');
  const b = path.join(dir, 'b.key');
  assert.equal(cli(['keygen', '-o', a]).status, 0);
  assert.equal(cli(['keygen', '-o', b]).status, 0);
  let r = cli(['keys', 'add', 'ether', `${a}.pub`, '--data-dir', data, '--by', 'ada']);
  assert.equal(r.status, 0, r.stderr);
  const id = r.stdout.split('\n')[0]!.split(' ').at(-1)!;
  assert.match(r.stdout, /\nlogged: ETHER\/_keys\/00000001-add\.json \(entry 0\)\n$/);
  assert.match(id, /^[0-9a-f]{64}$/);
  r = cli(['keys', 'rotate', 'ETHER', id, `${b}.pub`, '--data-dir', data, '--reason', 'new laptop']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(cli(['keys', 'add', 'MIYAGAWA', `${a}.pub`, '--data-dir', data]).stderr, `cpansec: key ${id} is registered already\n`);
  r = cli(['keys', 'list', 'ETHER', '--data-dir', data]);
  assert.match(r.stdout, new RegExp(`^${id} retired added \\S+ retired \\S+ \\(new laptop\\)\\n[0-9a-f]{64} active added \\S+\\n$`));
});
