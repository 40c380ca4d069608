/** Everything a person types: ids and references, text fields, encryption keys, the intake report. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  email,
  newCaseReference,
  parseCaseReference,
  parseEncryptionKey,
  randomId,
  text,
  validateReport,
  applyReportEdit,
  isCaseReference,
} from '../../src/disclosure/index.js';
import { projectPath } from '../helpers/paths.js';
import { reportInput, seededRandom } from './helpers.js';

test('case references: CPANSEC-YYYY-XXXX-XXXX, 40 random bits, no two alike, typed loosely', () => {
  const random = seededRandom('refs');
  const now = new Date('2026-05-01T00:00:00Z');
  const refs = new Set(Array.from({ length: 2000 }, () => newCaseReference(random, now)));
  assert.equal(refs.size, 2000);
  for (const r of refs) assert.ok(isCaseReference(r) && r.startsWith('CPANSEC-2026-'), r);
  assert.equal(parseCaseReference(' cpansec-2026-7k3m-qx9d '), 'CPANSEC-2026-7K3M-QX9D');
  assert.equal(parseCaseReference('CPANSEC-2026-OIL0-0000'), 'CPANSEC-2026-0110-0000', 'Crockford look-alikes');
  assert.equal(parseCaseReference('CPANSEC-2026-7K3MQX9D'), 'CPANSEC-2026-7K3M-QX9D');
  for (const bad of ['CPANSEC-2026-7K3M', 'CPANSEC-26-7K3M-QX9D', 'CPANSEC-2026-7K3M-QX9U', "CPANSEC-2026-7K3M-QX9D' OR 1=1", '']) {
    assert.throws(() => parseCaseReference(bad), { code: 'PARSE_ERROR' }, bad);
  }
  assert.match(randomId(random), /^[0-9a-z]{26}$/);
});

test('text fields: normalised, trimmed, limited in characters, no control or bidi characters', () => {
  assert.equal(text('  e\u0301  ', 'f', { max: 1 }), 'é', 'NFC, and the limit counts characters');
  assert.equal(text('😀😀', 'f', { max: 2 }), '😀😀');
  assert.throws(() => text('abc', 'f', { max: 2 }), { code: 'PARSE_ERROR', message: 'f: is too long (3 characters, at most 2)' });
  assert.throws(() => text('   ', 'f', { max: 9 }), { message: 'f: is required' });
  assert.throws(() => text(42, 'f', { max: 9 }), { message: 'f: must be text' });
  assert.throws(() => text('a\u0000b', 'f', { max: 9 }), { message: 'f: contains a control character (U+0000)' });
  assert.throws(() => text('a\u001bb', 'f', { max: 9, multiline: true }), { message: /U\+001B/ });
  assert.throws(() => text('a\u009bb', 'f', { max: 9 }), { message: /U\+009B/ }, 'C1 controls');
  assert.throws(() => text('a\nb', 'f', { max: 9 }), { message: 'f: must be one line' });
  assert.throws(() => text('Foo\u202Eraboof', 'f', { max: 20 }), { message: /bidirectional/ });
  assert.throws(() => text('\uD800x', 'f', { max: 9 }), { message: /not valid Unicode/ });
  assert.equal(text('line 1\r\n  line 2\r\n\r\n', 'f', { max: 99, multiline: true }), 'line 1\n  line 2');
  assert.equal(text('<script>alert(1)</script>', 'f', { max: 99 }), '<script>alert(1)</script>', 'markup is kept as text; escaping is the views’ job');
});

test('e-mail addresses', () => {
  assert.equal(email('Rita@Example.ORG', 'e'), 'Rita@example.org');
  for (const bad of ['rita', 'rita@', '@example.org', 'rita@example', 'ri ta@example.org', 'rita@exa_mple.org', '<rita@example.org>', 'a@b.example\nBcc: x@y.example']) {
    assert.throws(() => email(bad, 'e'), { code: 'PARSE_ERROR' }, bad);
  }
});

const fixture = (name: string) => readFileSync(projectPath('test', 'disclosure', 'fixtures', name), 'utf8');

test('OpenPGP public keys: shape, CRC-24 and fingerprint as GnuPG computes it', () => {
  // made with GnuPG 2.2.40 (gpg --quick-gen-key; gpg --armor --export), fingerprints from gpg --fingerprint
  const ed = parseEncryptionKey(fixture('reporter-ed25519.asc'))!;
  assert.deepEqual([ed.kind, ed.fingerprint], ['openpgp', 'AABA6F0CAA5D7C0EE7C4F577FFBFE3A7EA6B968E']);
  const rsa = parseEncryptionKey(fixture('reporter-rsa.asc').replace(/\n/g, '\r\n'))!;
  assert.equal(rsa.fingerprint, '22146B9BE3D4B5E6F9506C5B6CF482C81A010A7D');

  const lines = fixture('reporter-ed25519.asc').trim().split('\n');
  const body = lines.findIndex((l) => l.startsWith('mDM'));
  const damaged = [...lines];
  damaged[body] = damaged[body]!.replace('mDM', 'mDN');
  assert.throws(() => parseEncryptionKey(damaged.join('\n')), { code: 'PARSE_ERROR', message: /CRC-24/ });
  assert.throws(() => parseEncryptionKey(lines.join('\n').replace(/PUBLIC KEY/g, 'PRIVATE KEY')), { message: /PUBLIC KEY BLOCK/ });
  assert.throws(() => parseEncryptionKey(`${lines.join('\n')}\nand my phone number`), { message: /nothing else/ });
  assert.throws(() => parseEncryptionKey('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!\n-----END PGP PUBLIC KEY BLOCK-----'), { message: /not base64/ });
  assert.equal(parseEncryptionKey('  '), null);
  assert.equal(parseEncryptionKey(undefined), null);
});

test('age recipients: bech32 with its checksum', () => {
  // the example recipient of the age README
  const r = parseEncryptionKey('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p')!;
  assert.deepEqual([r.kind, r.fingerprint], ['age', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p']);
  assert.throws(() => parseEncryptionKey('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q'), { code: 'PARSE_ERROR', message: /age recipient/ }, 'one character changed');
  assert.throws(() => parseEncryptionKey('AGE1QL3Z7HJY54PW3HYWW5AYYFG7ZQGVC7W3J2ELW8ZMRJ2KG5SFN9AQMCAC8P'), { message: /OpenPGP public key block .* or an age recipient/ });
  assert.throws(() => parseEncryptionKey('ssh-ed25519 AAAAC3Nza'), { message: /OpenPGP public key block/ });
});

test('a report: every field checked, unknown fields refused', () => {
  const r = validateReport(reportInput({ encryptionKey: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p' }));
  assert.equal(r.distribution, 'Foo-Bar');
  assert.deepEqual(r.affectedVersions, ['<= 1.23']);
  assert.equal(r.reporter.email, 'rita@example.org');
  assert.equal(r.encryptionKey?.kind, 'age');

  const refused: [Record<string, unknown>, RegExp][] = [
    [{ distribution: 'Foo::Bar' }, /distribution: 'Foo::Bar' is a module name; give its distribution \(e\.g\. Foo-Bar\)/],
    [{ distribution: 'Foo Bar' }, /not a CPAN distribution name/],
    [{ distribution: '../../etc/passwd' }, /not a CPAN distribution name/],
    [{ affectedVersions: ['1.23'] }, /affectedVersions\[0\]: '1\.23' needs an operator/],
    [{ affectedVersions: ['= 1.23'] }, /write '==' for an exact version/],
    [{ affectedVersions: ['< x.y'] }, /affectedVersions\[0\]: invalid version range/],
    [{ affectedVersions: [] }, /affectedVersions: is required/],
    [{ affectedVersions: Array(21).fill('< 1') }, /too many entries/],
    [{ description: 'too short' }, /description: must be at least 20 characters/],
    [{ description: 'x'.repeat(20_001) }, /description: is too long/],
    [{ reporterEmail: 'nobody' }, /reporterEmail: 'nobody' is not an e-mail address/],
    [{ reporterName: 'Rita\u0007' }, /reporterName: contains a control character/],
    [{ encryptionKey: 'my key is 1234' }, /encryptionKey: must be an OpenPGP/],
    [{ isAdmin: true }, /isAdmin: unknown field/],
    [{ __proto__: { x: 1 }, constructor: 'x' }, /constructor: unknown field/],
  ];
  for (const [overrides, message] of refused) assert.throws(() => validateReport(reportInput(overrides)), { code: 'PARSE_ERROR', message }, JSON.stringify(overrides));
  for (const notObject of [null, 'report', [1], 42]) assert.throws(() => validateReport(notObject), { message: 'report: must be an object' });
  assert.equal(validateReport(reportInput({ proof: '', credit: null })).proof, null);
});

test('an edit replaces the given fields and checks them again', () => {
  const r = validateReport(reportInput());
  const edited = applyReportEdit(r, { affectedVersions: ['>= 1.0, < 1.24'], proof: null });
  assert.deepEqual(edited.affectedVersions, ['>= 1.0, < 1.24']);
  assert.equal(edited.proof, null);
  assert.equal(edited.reporter.email, r.reporter.email);
  assert.throws(() => applyReportEdit(r, { reporterEmail: 'x@example.org' }), { message: 'reporterEmail: cannot be edited' });
  assert.throws(() => applyReportEdit(r, { description: '' }), { code: 'PARSE_ERROR' });
});
