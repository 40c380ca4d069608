/** The stand-alone verifiers and `note` from the command line: exit 0 verified, 1 not, 2 malformed. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('tlog-cli');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
// RFC 6962 test values: leaf 5 of 8, consistency 6 -> 8
const LEAF5 = b64('4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658');
const ROOT8 = b64('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
const ROOT6 = b64('76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef');
const PROOF5 = ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'].map(b64).join(',');
const PROOF68 = ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'].map(b64).join(',');

test('log verify-inclusion and verify-consistency: 0, 1 and 2', () => {
  const inc = (index: string, proof = PROOF5) => cli(['log', 'verify-inclusion', '--leaf-hash', LEAF5, '--index', index, '--size', '8', '--root', ROOT8, '--proof', proof]);
  let r = inc('5');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /inclusion proof verified/);
  assert.equal(inc('4').status, 1);
  r = inc('5', 'not-base64');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--proof takes a base64 SHA-256 hash/);
  assert.equal(inc('-1').status, 2);
  const con = (root1: string) => cli(['log', 'verify-consistency', '--size1', '6', '--size2', '8', '--root1', root1, '--root2', ROOT8, '--proof', PROOF68]);
  assert.equal(con(ROOT6).status, 0);
  assert.equal(con(ROOT8).status, 1);
  assert.equal(con('AAAA').status, 2);
});

test('note keygen, sign, verify: only a given key counts; a bad signature by it fails', () => {
  const skey = path.join(dir, 'k.key');
  const vkey = cli(['note', 'keygen', 'example.com/k', '-o', skey]).stdout.trim();
  const other = cli(['note', 'keygen', 'example.com/other', '-o', path.join(dir, 'o.key')]).stdout.trim();
  assert.equal(cli(['note', 'keygen', 'example.com/k', '-o', skey]).status, 2, 'never overwrites a key');
  writeFileSync(path.join(dir, 'msg'), 'hello\nworld\n');
  const signed = cli(['note', 'sign', '--key', skey, path.join(dir, 'msg')]);
  assert.equal(signed.status, 0, signed.stderr);
  assert.match(signed.stdout, /^hello\nworld\n\n— example\.com\/k \S+\n$/);
  let r = cli(['note', 'verify', '--key', vkey], { input: signed.stdout });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello\nworld\n');
  r = cli(['note', 'verify', '--key', other, '--key', vkey], { input: signed.stdout });
  assert.equal(r.status, 0);
  r = cli(['note', 'verify', '--key', other], { input: signed.stdout });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no verifiable signatures/);
  r = cli(['note', 'verify', '--key', vkey], { input: signed.stdout.replace('world', 'w0rld') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /invalid signature for key example\.com\/k/);
  r = cli(['note', 'verify', '--key', vkey], { input: 'no signature\n' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /stdin: malformed note/);
  assert.equal(cli(['note', 'verify', '--key', 'nonsense+1+2']).status, 2);
});
