/**
 * An author signs their own TUF role end to end, from the command line against a running server
 * (hashed bins, the server holding the online keys): the release awaits them and `fetch` cannot get
 * it; `tuf sign-author --expect` refuses a role that does not list the file; signed, `fetch` (tuf-js)
 * verifies it through the author's delegation; a key rotation through the server moves the
 * delegation (the old signature and the old key refused, the new key signs); a revocation leaves
 * the release unverifiable.
 */
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { tufKeyOf } from '../../src/provenance/tuf/index.js';
import { createServer } from '../../src/server/index.js';
import { Store } from '../../src/store/index.js';
import { cli, cliOk as ok } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from '../server/cli-async.js';

const dir = tempDir('tuf-author-cli');
const data = ['--data-dir', path.join(dir, 'var')];
const keys = path.join(dir, 'keys');
const f = (name: string) => path.join(dir, name);

test('tuf sign-author: the author signs their role; fetch verifies it; rotation and revocation through the server', async () => {
  ok(['tuf', 'init', '--keys', keys, '--bins', '3', ...data]);
  ok(['keygen', '--output', f('a.key')]);
  ok(['keygen', '--output', f('b.key')]);
  const aId = ok(['keys', 'add', 'ETHER', f('a.key.pub'), ...data]).split('\n')[0]!.split(' ').at(-1)!;
  writeFileSync(f('Foo-Bar-1.23.tar.gz'), 'Foo-Bar 1.23');
  writeFileSync(f('Other-1.0.tar.gz'), 'not what the role lists');
  let out = ok(['tuf', 'add', f('Foo-Bar-1.23.tar.gz'), '--author', 'ETHER', '--keys', keys, ...data]);
  assert.match(out, /^authors\/id\/E\/ET\/ETHER\/Foo-Bar-1\.23\.tar\.gz sha256:[0-9a-f]{64} \(role ETHER, awaiting ETHER's signature: cpansec tuf sign-author ETHER\)\n$/);

  const store = await Store.open({ dataDir: data[1]! });
  const server = await createServer(store, { tuf: { keysDir: keys, refreshIntervalMs: 3600_000 } });
  after(async () => {
    server.stop();
    await server.app.close();
    await store.close();
  });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  let fetched = 0;
  const fetch = () => cliAsync(['fetch', 'ETHER/Foo-Bar-1.23.tar.gz', '--mirror', `${url}/tuf`, '--root', path.join(keys, 'root.json'), '-o', f(`got-${++fetched}`), '--cache', f(`cache-${fetched}`)]);

  let r = await fetch();
  assert.equal(r.status, 1);
  assert.equal(r.stderr, "cpansec: fetch refused: authors/id/E/ET/ETHER/Foo-Bar-1.23.tar.gz is not in the mirror's signed targets\n");

  // the author checks what they sign
  r = await cliAsync(['tuf', 'sign-author', 'ETHER', '--key', f('a.key'), '--server', url, '--expect', f('Other-1.0.tar.gz')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cpansec: not signed: the role does not list Other-1\.0\.tar\.gz with this file's SHA-256 [0-9a-f]{64} and length 23\n$/);
  // a stranger cannot publish it
  r = await cliAsync(['tuf', 'sign-author', 'ETHER', '--key', f('b.key'), '--server', url]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cpansec: refused by the server: version 1 of ETHER's role is not signed by the keys delegated to ETHER \(ETHER was signed by 0\/1 keys; /);
  r = await cliAsync(['tuf', 'sign-author', 'ETHER', '--key', f('a.key'), '--server', url, '--expect', f('Foo-Bar-1.23.tar.gz')]);
  assert.equal(r.status, 0, r.stderr);
  const aTuf = tufKeyOf(createPublicKey(readFileSync(f('a.key'))));
  assert.match(r.stdout, /^\+ authors\/id\/E\/ET\/ETHER\/Foo-Bar-1\.23\.tar\.gz sha256:[0-9a-f]{64} \(12 bytes\)\n/);
  assert.match(r.stdout, new RegExp(`signed version 1 of ETHER's role \\(1 releases\\) with key ${aTuf.keyID}: published\\n$`));
  const role = (await (await globalThis.fetch(`${url}/tuf/metadata/ETHER.json`)).json()) as { signatures: { keyid: string }[] };
  assert.deepEqual(role.signatures.map((s) => s.keyid), [aTuf.keyID], "ETHER's role carries the author's signature only");

  r = await fetch();
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(f(`got-${fetched}`), 'utf8'), 'Foo-Bar 1.23');

  // the author rotates to key b through the server: the delegation follows, a re-signature awaits
  r = await cliAsync(['keys', 'rotate', 'ETHER', aId, f('b.key.pub'), '--server', url, '--sign-with', f('a.key')]);
  assert.equal(r.status, 0, r.stderr);
  r = await fetch();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cpansec: fetch refused: RuntimeError: Unable to load targets error Error: ETHER was signed by 0\/1 keys\n$/);
  r = await cliAsync(['tuf', 'sign-author', 'ETHER', '--key', f('a.key'), '--server', url]);
  assert.equal(r.status, 1, 'the retired key signs no new version');
  out = (await cliAsync(['tuf', 'sign-author', 'ETHER', '--key', f('b.key'), '--server', url])).stdout;
  assert.match(out, /signed version 2 of ETHER's role/);
  r = await fetch();
  assert.equal(r.status, 0, r.stderr);

  // the author revokes b: nothing of theirs verifies any more
  const bId = ok(['keys', 'list', 'ETHER', ...data]).split('\n').find((l) => l.includes(' active '))!.split(' ')[0]!;
  r = await cliAsync(['keys', 'revoke', 'ETHER', bId, '--server', url, '--sign-with', f('b.key'), '--reason', 'laptop stolen']);
  assert.equal(r.status, 0, r.stderr);
  r = await fetch();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ETHER was signed by 0\/1 keys/);
});

test('per-author delegations on the local store: sign-author with --keys, sync-authors after a rotation (the targets key needed)', () => {
  const d = ['--data-dir', f('var2')];
  const k2 = f('keys2');
  ok(['tuf', 'init', '--keys', k2, ...d]);
  ok(['keygen', '--output', f('c.key')]);
  ok(['keygen', '--output', f('e.key')]);
  const cId = ok(['keys', 'add', 'MIYAGAWA', f('c.key.pub'), ...d]).split('\n')[0]!.split(' ').at(-1)!;
  writeFileSync(f('Plack-1.0.tar.gz'), 'Plack 1.0');
  ok(['tuf', 'add', f('Plack-1.0.tar.gz'), '--author', 'MIYAGAWA', '--keys', k2, ...d]);
  let out = ok(['tuf', 'sign-author', 'MIYAGAWA', '--key', f('c.key'), '--keys', k2, ...d]);
  assert.match(out, /signed version 1 of MIYAGAWA's role \(1 releases\)/);
  assert.equal(cli(['tuf', 'sign-author', 'MIYAGAWA', '--key', f('c.key'), '--keys', k2, ...d]).stderr, "cpansec: nothing awaits MIYAGAWA's signature\n");

  ok(['keys', 'rotate', 'MIYAGAWA', cId, f('e.key.pub'), ...d]);
  // the delegation is in targets, whose key is kept offline: without it, nothing changes
  const r = cli(['tuf', 'sync-authors', '--keys', path.join(dir, 'no-such-dir'), ...d]);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'cpansec: this change needs the targets key\n');
  out = ok(['tuf', 'sync-authors', '--keys', k2, ...d]);
  assert.match(out, /^MIYAGAWA: delegation moved to [0-9a-f]{16}… in targets; awaiting MIYAGAWA's signature \(cpansec tuf sign-author MIYAGAWA\)\n$/);
  assert.equal(ok(['tuf', 'sync-authors', 'MIYAGAWA', '--keys', k2, ...d]), "MIYAGAWA: delegation unchanged; awaiting MIYAGAWA's signature (cpansec tuf sign-author MIYAGAWA)\n");
  assert.equal(cli(['tuf', 'sign-author', 'MIYAGAWA', '--key', f('c.key'), '--keys', k2, ...d]).status, 2, 'the retired key: refused');
  out = ok(['tuf', 'sign-author', 'MIYAGAWA', '--key', f('e.key'), '--keys', k2, ...d]);
  assert.match(out, /signed version 2 of MIYAGAWA's role/);
});
