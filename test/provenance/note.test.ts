/** C2SP signed-note and tlog-cosignature, against Go's sumdb/note test values and the spec's example. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COSIGNATURE_V1,
  generateKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signerKeyText,
  signNote,
  verifierKeyText,
} from '../../src/provenance/index.js';

const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

test("Go's signer key gives Go's signature, byte for byte (Ed25519 is deterministic)", () => {
  const k = parseSignerKey(PETER_SKEY);
  assert.equal(k.text, PETER_VKEY);
  assert.equal(signNote(TEXT, [k]), `${TEXT}\n${PETER_SIG}`);
  // an earlier signature by the same key is replaced
  assert.equal(signNote(`${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`, [k]), `${TEXT}\n${PETER_SIG}`);
  assert.equal(signerKeyText(k), PETER_SKEY);
  assert.throws(() => signNote('abc', [k]), /malformed note/);
});

test('verifier keys: Go test value accepted, every mangling refused', () => {
  const v = parseVerifierKey(PETER_VKEY);
  assert.equal(v.name, 'PeterNeumann');
  assert.equal(v.id, 0xc74f20a3);
  for (let i = 0; i <= PETER_VKEY.length; i++) {
    for (let j = i + 1; j <= PETER_VKEY.length; j += 7) {
      if (i !== 0 || j !== PETER_VKEY.length) assert.throws(() => parseVerifierKey(PETER_VKEY.slice(i, j)), Error, PETER_VKEY.slice(i, j));
    }
  }
  for (let i = 0; i < PETER_VKEY.length; i++) {
    const b = Buffer.from(PETER_VKEY);
    b[i]! += 1;
    assert.throws(() => parseVerifierKey(b.toString()), Error, b.toString());
  }
  assert.throws(() => parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='));
  assert.throws(() => parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'));
  for (let i = 0; i < PETER_SKEY.length; i++) {
    const b = Buffer.from(PETER_SKEY);
    b[i]! += 1;
    assert.throws(() => parseSignerKey(b.toString()));
  }
});

test("open: Go's TestOpen cases", () => {
  const peter = parseVerifierKey(PETER_VKEY);
  const enoch = parseVerifierKey(ENOCH_VKEY);
  const msg = `${TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
  let n = openNote(msg, [peter]);
  assert.equal(n.text, TEXT);
  assert.deepEqual(n.verified.map((s) => s.name), ['PeterNeumann']);
  assert.deepEqual(n.unverified.map((s) => s.name), ['EnochRoot']);
  n = openNote(msg, [peter, enoch]);
  assert.deepEqual(n.verified.map((s) => s.name), ['PeterNeumann', 'EnochRoot']);
  assert.throws(() => openNote(msg, []), /note has no verifiable signatures/);
  assert.throws(() => openNote(`${TEXT}\n${PETER_SIG.repeat(101)}`, [peter]), /malformed note/);
  assert.throws(() => openNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, [peter]), /invalid signature for key PeterNeumann\+c74f20a3/);
  for (const bad of [TEXT, `${TEXT}\n`, `${TEXT}\n${PETER_SIG.slice(0, -1)}`, `\x01${TEXT}\n${PETER_SIG}`, `${TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`, `${TEXT}\n${PETER_SIG}Unexpected line.\n`]) {
    assert.throws(() => openNote(bad, [peter]), /malformed note/, JSON.stringify(bad));
  }
  // a signature under Peter's name with another key ID is an unknown key: ignored
  const misnamed = PETER_SIG.replace('x08g', 'xxxx');
  assert.throws(() => openNote(`${TEXT}\n${misnamed}`, [peter]), /no verifiable signatures/);
});

test("the signed-note spec's example verifies with its verifier key", () => {
  const key = parseVerifierKey('example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k');
  const note = 'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
  assert.equal(openNote(note, [key]).text, 'This is an example message.\n');
  assert.throws(() => openNote(note.replace('example message', 'example massage'), [key]), /invalid signature/);
});

test('cosignatures (type 0x04) sign "cosignature/v1\\ntime T\\n" + the checkpoint and carry the timestamp', () => {
  const w = generateKey('witness.example/w1', COSIGNATURE_V1);
  const v = parseVerifierKey(w.text);
  assert.equal(v.type, COSIGNATURE_V1);
  assert.equal(w.text, verifierKeyText(w.name, COSIGNATURE_V1, w.publicKey));
  const cp = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const signed = signNote(cp, [w], { now: () => 1679315147 });
  const line = signed.split('\n').at(-2)!;
  const raw = Buffer.from(line.split(' ')[2]!, 'base64');
  assert.equal(raw.length, 4 + 8 + 64);
  assert.equal(raw.readBigUInt64BE(4), 1679315147n);
  const n = openNote(signed, [v]);
  assert.equal(n.verified[0]!.timestamp, 1679315147);
  // the same key as a plain note key (type 0x01) has another key ID: the cosignature is unknown to it
  const plain = parseVerifierKey(verifierKeyText(w.name, 0x01, w.publicKey));
  assert.throws(() => openNote(signed, [plain]), /no verifiable signatures/);
});
