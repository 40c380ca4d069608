/**
 * `cpansec verify` with both proofs a downstream user can ask for: the author's signed bundle and the
 * release's place in the transparency log, checked in one run; each failing on its own reason.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli, cliOk as ok } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { release } from './signing-helpers.js';

const dir = tempDir('verify-combined');
const f = (name: string) => path.join(dir, name);

test('verify --bundle with --log-key and --proof: the signature and the log, each check printed', () => {
  const rel = release();
  const file = f(rel.file);
  writeFileSync(file, rel.bytes);
  const sha = createHash('sha256').update(rel.bytes).digest('hex');

  ok(['keygen', '--output', f('author.key')]);
  ok(['sign', file, '--key', f('author.key'), '--author', 'ETHER', '--predicate', 'release']);
  const logVkey = ok(['note', 'keygen', 'log.cpansec.example/releases', '-o', f('log.key')]).trim();
  const db = ['--data-dir', f('db')];
  ok(['log', 'add', `ETHER/${rel.file}`, sha, ...db]);
  ok(['log', 'checkpoint', '--key', f('log.key'), ...db]);
  ok(['log', 'prove-inclusion', `ETHER/${rel.file}`, '-o', f('proof'), ...db]);

  const both = ['verify', file, '--bundle', `${file}.sigstore.json`, '--author-key', f('author.key.pub'), '--proof', f('proof'), '--log-key', logVkey];
  let r = cli(both);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok {3}signature: /m);
  assert.match(r.stdout, /^ok {3}checkpoint: signed by the log log\.cpansec\.example\/releases/m);
  assert.match(r.stdout, /verified \(signed by ETHER, in the log\)\n$/);

  r = cli([...both, '--format', 'json']);
  const json = JSON.parse(r.stdout) as { verified: boolean; signature: { verified: boolean; author: string }; log: { verified: boolean; index: number } };
  assert.deepEqual([json.verified, json.signature.verified, json.signature.author, json.log.verified, json.log.index], [true, true, 'ETHER', true, 0]);

  // another author's key: the signature fails, the log still holds; the whole answer is no
  ok(['keygen', '--output', f('other.key')]);
  r = cli(['verify', file, '--bundle', `${file}.sigstore.json`, '--author-key', f('other.key.pub'), '--proof', f('proof'), '--log-key', logVkey]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /^FAIL /m);
  assert.match(r.stdout, /^ok {3}checkpoint: /m);
  assert.match(r.stdout, /NOT verified\n$/);

  // which key is which must be said when both are checked
  r = cli(['verify', file, '--bundle', `${file}.sigstore.json`, '--key', f('author.key.pub'), '--proof', f('proof'), '--log-key', logVkey]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--author-key/);
  r = cli(['verify', file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /give --bundle FILE/);
});
