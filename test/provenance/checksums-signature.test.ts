/**
 * The PGP signatures of PAUSE CHECKSUMS files: the real files signed by PAUSE's key (DSA, SHA-1,
 * key expired since) and by a stronger RSA key verify, the altered and unsigned ones are refused
 * with the reason and the file; a throwaway key made here covers what the real files cannot (a
 * signature from the future, a revoked key, text the signature does not cover). And the command:
 * `log ingest` refuses without a keyring, writes nothing when one file of several is badly signed.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as openpgp from 'openpgp';
import { parseChecksums, parseSignedChecksums, readPgpKeyring } from '../../src/provenance/index.js';
import { cli } from '../helpers/cli.js';
import { upstreamPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const fixture = (name: string) => upstreamPath('data', 'pause-checksums', name);
const text = (name: string) => readFileSync(fixture(name), 'utf8');
const PAUSE_KEY = fixture('PAUSE-2E66557AB97C19C791AF8E20328DA867450F89EC.gpg');
const pauseKeyring = () => readPgpKeyring(readFileSync(PAUSE_KEY), 'PAUSE.gpg');
const dir = tempDir('checksums-signature');

const MESSAGE = `# CHECKSUMS file written on Sun Jun 21 21:52:36 2020 GMT by CPAN::Checksums (v2.12)
$cksum = {
  'Foo-1.00.tar.gz' => {
    'mtime' => '2026-01-02',
    'sha256' => '${'a'.repeat(64)}',
    'size' => 100
  },
  'Foo-1.01.tar.gz' => {
    'mtime' => '2026-02-03',
    'sha256' => '${'b'.repeat(64)}',
    'size' => 101
  }
};
__END__
`;

async function throwawayKey(name = 'Throwaway PAUSE <pause@example.invalid>') {
  const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: name.split(' <')[0]!, email: name.split('<')[1]!.slice(0, -1) }], format: 'object' });
  return { privateKey, publicKey };
}

async function clearsign(message: string, key: openpgp.PrivateKey, date?: Date): Promise<string> {
  return `0&&<<''; # this PGP-signed message is also valid perl\n${await openpgp.sign({ message: await openpgp.createCleartextMessage({ text: message }), signingKeys: key, ...(date ? { date } : {}) })}`;
}

test("PAUSE's real signed CHECKSUMS verify with PAUSE's key and read as the unsigned parse does", async () => {
  const keyring = await pauseKeyring();
  const r = await parseSignedChecksums(text('good'), 'good', keyring);
  assert.deepEqual(r.files, parseChecksums(text('good'), 'good'));
  assert.equal(r.files.length, 93);
  assert.equal(r.signer.fingerprint, '2E66557AB97C19C791AF8E20328DA867450F89EC');
  assert.equal(r.signer.created, '2020-06-21T21:52:36Z');
  assert.equal(r.signer.algorithm, 'DSA-1024 with SHA-1');
  assert.match(r.signer.userId, /^PAUSE Batch Signing Key \d{4} <pause@pause\.perl\.org>$/);
  assert.deepEqual(r.signer.notes, ['DSA is a weak signature algorithm today', 'SHA-1 is a weak digest today', 'the key expired on 2021-06-30, after the signature was made']);
  // trailing whitespace is outside what a clear signature covers: same signature, same files
  assert.deepEqual((await parseSignedChecksums(text('good-extra-whitespace'), 'ws', keyring)).files, r.files);
  // the same message signed with RSA-4096 and SHA-512 by another key
  const stig = await readPgpKeyring(readFileSync(fixture('stigtsp.gpg')), 'stigtsp.gpg');
  const strong = await parseSignedChecksums(text('strong'), 'strong', stig);
  assert.equal(strong.signer.algorithm, 'RSA-4096 with SHA-512');
  assert.deepEqual(strong.signer.notes, []);
  assert.deepEqual(strong.files, r.files);
  await assert.rejects(parseSignedChecksums(text('strong'), 'strong', keyring), /^CpansecError: strong: signed by key DA4C335C11D70DA7, which is not in the keyring PAUSE\.gpg$/);
});

test('altered, unsigned and signature-bypass files are refused, each with its reason', async () => {
  const keyring = await pauseKeyring();
  const refused = async (name: string, reason: RegExp) => {
    const e = await parseSignedChecksums(text(name), name, keyring).then(() => undefined, (x: Error) => x);
    assert.ok(e, `${name} was accepted`);
    assert.match(e.message, reason);
    assert.ok(e.message.startsWith(name) && !e.message.includes('\n'), e.message);
  };
  await refused('bad-message-content', /BAD signature by key 328DA867450F89EC \(PAUSE Batch Signing Key .*\): Signed digest did not match/);
  await refused('good_message', /not PGP-signed/);
  await refused('bad-message-incomplete', /no complete signature/);
  // openpgp.js alone accepts these (the signed block is intact): the text around it is what is refused
  await refused('bad-double', /more than one signed block/);
  await refused('bad-prepend', /text before the signed block/);
  await refused('bad-prepend-clearsign', /signed block/);
  await refused('bad-prepend-signed', /text before the signed block/);
});

test('a throwaway key: good, altered, future, revoked, unknown; trailing whitespace is neither signed nor read', async () => {
  const { privateKey, publicKey } = await throwawayKey();
  const armored = publicKey.armor();
  const keyring = await readPgpKeyring(Buffer.from(armored), 'throwaway.asc');
  const signed = await clearsign(MESSAGE, privateKey);
  const good = await parseSignedChecksums(signed, 'CHECKSUMS', keyring);
  assert.deepEqual(good.files.map((f) => [f.file, f.sha256, f.mtime]), [['Foo-1.00.tar.gz', 'a'.repeat(64), '2026-01-02'], ['Foo-1.01.tar.gz', 'b'.repeat(64), '2026-02-03']]);
  assert.equal(good.signer.fingerprint, publicKey.getFingerprint().toUpperCase());
  assert.match(good.signer.algorithm, /^eddsaLegacy/);
  // a binary keyring (gpg --export) reads the same
  assert.equal((await readPgpKeyring(publicKey.write(), 'throwaway.gpg')).keys[0]!.getFingerprint(), publicKey.getFingerprint());

  // tabs added at a line's end after signing: outside the signature, and not in what is parsed
  const padded = signed.replace(/('mtime' => '2026-01-02',)(\r?\n)/, '$1\t \t$2');
  assert.notEqual(padded, signed);
  assert.deepEqual((await parseSignedChecksums(padded, 'CHECKSUMS', keyring)).files, good.files);
  // one hash changed in the signed text
  const altered = signed.replace(`'${'b'.repeat(64)}'`, `'${'c'.repeat(64)}'`);
  assert.notEqual(altered, signed);
  await assert.rejects(parseSignedChecksums(altered, 'CHECKSUMS', keyring), /CHECKSUMS: BAD signature by key [0-9A-F]{16} \(Throwaway PAUSE <pause@example\.invalid>\)/);
  // a signature dated tomorrow
  const future = await clearsign(MESSAGE, privateKey, new Date(Date.now() + 86_400_000));
  await assert.rejects(parseSignedChecksums(future, 'CHECKSUMS', keyring), /BAD signature.*future/i);
  // the key revoked: its signatures no longer count
  const { publicKey: revoked } = await openpgp.revokeKey({ key: privateKey, format: 'object' });
  await assert.rejects(parseSignedChecksums(signed, 'CHECKSUMS', { keys: [revoked], where: 'revoked.asc' }), /BAD signature.*revoked/i);
  // signed by a key that is not in the keyring
  const other = await throwawayKey('Somebody Else <else@example.invalid>');
  await assert.rejects(parseSignedChecksums(await clearsign(MESSAGE, other.privateKey), 'CHECKSUMS', keyring), /which is not in the keyring throwaway\.asc/);
  // a keyring that is not one
  await assert.rejects(readPgpKeyring(Buffer.from('hello'), 'notes.txt'), /^CpansecError: notes\.txt: not an OpenPGP public keyring/);
});

test('log ingest: a keyring or an explicit opt-out; nothing written when one file is badly signed', () => {
  const db = ['--data-dir', path.join(dir, 'db')];
  const noKeyring = cli(['log', 'ingest', fixture('good'), '--author', 'ANDK', ...db]);
  assert.equal(noKeyring.status, 2);
  assert.match(noKeyring.stderr, /^cpansec: log ingest checks each file's PGP signature: give --keyring FILE .* or --no-verify-signature/);
  // a good file and an altered one: refused as a whole, the log stays empty
  const mixed = cli(['log', 'ingest', fixture('good'), fixture('bad-message-content'), '--author', 'ANDK', '--keyring', PAUSE_KEY, ...db]);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /cpansec: .*bad-message-content: BAD signature by key 328DA867450F89EC/);
  assert.doesNotMatch(mixed.stdout, /added/);
  const wrongKey = cli(['log', 'ingest', fixture('good'), '--author', 'ANDK', '--keyring', fixture('stigtsp.gpg'), ...db]);
  assert.equal(wrongKey.status, 2);
  assert.match(wrongKey.stderr, /good: signed by key 328DA867450F89EC, which is not in the keyring/);
  const ok = cli(['log', 'ingest', fixture('good'), '--author', 'ANDK', '--keyring', PAUSE_KEY, ...db]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /good: good signature by PAUSE Batch Signing Key \d{4} <pause@pause\.perl\.org>, key 2E66557AB97C19C791AF8E20328DA867450F89EC \(DSA-1024 with SHA-1\), made 2020-06-21T21:52:36Z\n/);
  assert.match(ok.stdout, /good: 48 added, 0 already logged, 0 conflicting\ntree size 48\n/);
  assert.match(ok.stderr, /warning: .*good: SHA-1 is a weak digest today/);
  // the unsigned message itself, only with the opt-out, and said so
  const unsigned = cli(['log', 'ingest', fixture('good_message'), '--author', 'ANDK', '--keyring', PAUSE_KEY, ...db]);
  assert.equal(unsigned.status, 2);
  assert.match(unsigned.stderr, /good_message: not PGP-signed/);
  const optOut = cli(['log', 'ingest', fixture('good_message'), '--author', 'ANDK', '--no-verify-signature', ...db]);
  assert.equal(optOut.status, 0, optOut.stderr);
  assert.match(optOut.stderr, /warning: .*good_message: PGP signature not checked \(--no-verify-signature\)/);
  assert.match(optOut.stdout, /0 added, 48 already logged/);
  writeFileSync(path.join(dir, 'not-a-key'), 'hello');
  const badKeyring = cli(['log', 'ingest', fixture('good'), '--author', 'ANDK', '--keyring', path.join(dir, 'not-a-key'), ...db]);
  assert.equal(badKeyring.status, 2);
  assert.match(badKeyring.stderr, /not-a-key: not an OpenPGP public keyring/);
});
