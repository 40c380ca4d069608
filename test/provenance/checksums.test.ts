/** PAUSE CHECKSUMS files: the real files parse (never evaluated), the signature-bypass shapes are refused; perl is the oracle. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isReleaseArchive, parseChecksums } from '../../src/provenance/index.js';
import { upstreamPath } from '../helpers/paths.js';

const file = (name: string) => readFileSync(upstreamPath('data', 'pause-checksums', name), 'utf8');

test('the real CHECKSUMS file gives what perl itself reads from it', () => {
  const ours = parseChecksums(file('good'), 'good');
  const perl = spawnSync('perl', ['-e', 'my $t = do { local $/; <STDIN> }; our $cksum; eval $t; die $@ if $@; for my $k (sort keys %$cksum) { my $v = $cksum->{$k}; next unless defined $v->{sha256}; print join("\\t", $k, $v->{sha256}, $v->{mtime} // "", $v->{size} // ""), "\\n" }'], { input: file('good'), encoding: 'utf8' });
  assert.equal(perl.status, 0, perl.stderr);
  const expected = perl.stdout.trim().split('\n');
  assert.ok(expected.length > 50);
  assert.deepEqual([...ours].sort((a, b) => (a.file < b.file ? -1 : 1)).map((f) => [f.file, f.sha256, f.mtime ?? '', f.size ?? ''].join('\t')), expected);
  assert.equal(ours.filter((f) => isReleaseArchive(f.file)).length, expected.filter((l) => /^\S+\.(tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|zip)\t/.test(l)).length);
  assert.deepEqual(parseChecksums(file('good-extra-whitespace'), 'x'), ours);
  assert.deepEqual(parseChecksums(file('strong'), 'x').length, ours.length);
});

test('the CVE-2020-16154/16156 shapes are refused with the reason', () => {
  assert.throws(() => parseChecksums(file('bad-double'), 'bad-double'), /more than one signed block/);
  assert.throws(() => parseChecksums(file('bad-prepend'), 'bad-prepend'), /before the signed block/);
  assert.throws(() => parseChecksums(file('bad-prepend-clearsign'), 'x'), /signed block/);
  assert.throws(() => parseChecksums(file('bad-prepend-signed'), 'x'), /signed block/);
  assert.throws(() => parseChecksums(file('bad-message-incomplete'), 'x'), /PARSE|expected|signature|unterminated/i);
});

test('anything but a literal hash is refused, never run', () => {
  assert.throws(() => parseChecksums("$cksum = { 'a.tar.gz' => { 'sha256' => `rm -rf /` } };", 'evil'), /evil:1: unexpected '`'/);
  assert.throws(() => parseChecksums("$cksum = { 'a.tar.gz' => { 'sha256' => 'xyz' } };", 'x'), /sha256 is not 64 hex digits/);
  assert.throws(() => parseChecksums("$cksum = { 'a' => {}, 'a' => {} };", 'x'), /listed twice/);
  assert.throws(() => parseChecksums("$cksum = { 'a' => {} }; system('x');", 'x'), /unexpected/);
  assert.deepEqual(parseChecksums("$cksum = {\n  'a\\'b.tar.gz' => { 'sha256' => '" + 'a'.repeat(64) + "', },\n};\n", 'x'), [{ file: "a'b.tar.gz", sha256: 'a'.repeat(64) }]);
});
