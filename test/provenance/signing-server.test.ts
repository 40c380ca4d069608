/**
 * Author keys on the server, on SQLite and PostgreSQL: an administrator registers a key, the author
 * rotates and revokes with signed requests, every change is kept in an append-only history, and
 * `cpansec verify --server` takes the author's keys from there.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { signKeyChange } from '../../src/provenance/attestation/index.js';
import { generateKey, publishCheckpoint } from '../../src/provenance/index.js';
import { BACKENDS } from '../store/backends.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from '../server/cli-async.js';
import { addUser, tokenFor, workspaceServer } from '../workspace/harness.js';
import { newKey, release, signed } from './signing-helpers.js';

for (const backend of BACKENDS) {
  describe(`author keys on ${backend.name}`, { skip: backend.skip }, () => {
    test('add by an administrator, rotate and revoke by the author, an append-only history, verify --server', async () => {
      const s = await workspaceServer(backend);
      const admin = await tokenFor(s.ws, await addUser(s.ws, 'ada', 'admin'), false);
      const member = await tokenFor(s.ws, await addUser(s.ws, 'max', 'member'), false);
      const post = async (body: unknown, token?: string, author = 'ether') => {
        const r = await s.app.inject({ method: 'POST', url: `/v1/authors/${author}/keys`, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, payload: JSON.stringify(body) });
        return { status: r.statusCode, body: r.json() as { change?: { seq: number; action: string; by: string }; log?: { path: string; index: number } | null; message?: string } };
      };
      const keysOf = async (author = 'ETHER') => {
        const r = await s.app.inject({ url: `/v1/authors/${author}/keys` });
        return { status: r.statusCode, body: r.json() as { keys: { keyid: string; status: string; reason?: string }[]; message?: string } };
      };
      const k1 = newKey();
      const k2 = newKey();
      const stranger = newKey();

      assert.equal((await keysOf()).status, 404);
      assert.equal((await s.app.inject({ url: '/v1/authors/not%20an%20id/keys' })).statusCode, 400);
      // a member is not an administrator; no token and no signature is nobody
      assert.equal((await post({ action: 'add', publicKey: k1.publicPem }, member)).status, 403);
      assert.equal((await post({ action: 'add', publicKey: k1.publicPem })).status, 400);
      let r = await post({ action: 'add', publicKey: k1.publicPem }, admin);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.change!.by, 'admin:ada');
      assert.deepEqual((await keysOf()).body.keys.map((k) => [k.keyid, k.status]), [[k1.keyId, 'active']]);
      // a key belongs to one author
      assert.equal((await post({ action: 'add', publicKey: k1.publicPem }, admin, 'miyagawa')).status, 409);
      // not ECDSA or RSA: author keys are Ed25519
      assert.match((await post({ action: 'add', publicKey: 'nonsense' }, admin)).body.message!, /not a public key/);

      // the author rotates with the key being retired; a stranger's signature is refused
      const rotate = { action: 'rotate' as const, author: 'ETHER', previousKeyId: k1.keyId, publicKey: k2.publicPem };
      r = await post(signKeyChange(rotate, stranger, s.clock.now()));
      assert.equal(r.status, 403);
      assert.equal(r.body.message, 'the change is not signed by an active key of ETHER');
      r = await post(signKeyChange(rotate, k1, new Date(s.clock.now().getTime() - 3600_000)));
      assert.equal(r.status, 403);
      assert.match(r.body.message!, /not dated within 10 minutes/);
      const envelope = signKeyChange(rotate, k1, s.clock.now());
      r = await post(envelope);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.change!.by, `key:${k1.keyId}`);
      // replayed: the old key is retired now and signs nothing more
      assert.equal((await post(envelope)).status, 403);
      assert.deepEqual((await keysOf()).body.keys.map((k) => [k.keyid, k.status]), [[k1.keyId, 'retired'], [k2.keyId, 'active']]);

      // release signed with k2, verified through the server
      const dir = tempDir('signing-server');
      const rel = release();
      const file = path.join(dir, rel.file);
      writeFileSync(file, rel.bytes);
      writeFileSync(`${file}.sigstore.json`, JSON.stringify(await signed(rel, k2)));
      const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      let v = await cliAsync(['verify', file, '--bundle', `${file}.sigstore.json`, '--server', url]);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.match(v.stdout, new RegExp(`ok   author: key ${k2.keyId.slice(0, 16)}… is ETHER's current key on the server`));

      // the author revokes k2 (signed by k2 itself); the release no longer verifies
      r = await post(signKeyChange({ action: 'revoke', author: 'ETHER', keyId: k2.keyId, reason: 'laptop stolen' }, k2, s.clock.now()));
      assert.equal(r.status, 201, JSON.stringify(r.body));
      v = await cliAsync(['verify', file, '--bundle', `${file}.sigstore.json`, '--server', url, '--format', 'json']);
      assert.equal(v.status, 1, v.stdout + v.stderr);
      const out = JSON.parse(v.stdout) as { verified: boolean; checks: { name: string; ok: boolean; detail: string }[] };
      assert.equal(out.verified, false);
      assert.deepEqual(out.checks.at(-1), { name: 'author', ok: false, detail: `key ${k2.keyId} of ETHER was revoked on ${s.clock.now().toISOString()}: laptop stolen` });

      // the history: three changes, in order, and the table refuses to be rewritten
      const changes = (await s.app.inject({ url: '/v1/authors/ETHER/keys/changes' })).json() as { changes: { seq: number; action: string }[] };
      assert.deepEqual(changes.changes.map((c) => c.action), ['add', 'rotate', 'revoke']);

      // each change is in the transparency log: its document's SHA-256 under ETHER/_keys/SEQ-ACTION.json,
      // which a monitor of the log reports, and which the document served by the server hashes to
      assert.deepEqual(r.body.log, { path: `ETHER/_keys/${String(changes.changes[2]!.seq).padStart(8, '0')}-revoke.json`, index: 2 });
      const logKey = generateKey('log.cpansec.test/releases');
      await publishCheckpoint(s.ctx.provenance!.log, { signer: logKey, witnesses: [], post: () => Promise.reject(new Error('no witness')), now: () => new Date() });
      const m = await cliAsync(['log', 'monitor', '--log', url, '--key', logKey.text, '--state', path.join(dir, 'monitor.json')]);
      assert.equal(m.status, 0, m.stdout + m.stderr);
      const seen = [...m.stdout.matchAll(/^author key change: (ETHER\/_keys\/(\d{8})-(\w+)\.json) \(entry (\d+), SHA-256 ([0-9a-f]{64})\)$/gm)];
      assert.deepEqual(seen.map((x) => x[3]), ['add', 'rotate', 'revoke']);
      for (const x of seen) {
        const doc = await fetch(`${url}/v1/authors/ETHER/keys/changes/${Number(x[2])}`);
        const bytes = Buffer.from(await doc.arrayBuffer());
        assert.equal(createHash('sha256').update(bytes).digest('hex'), x[5], `${x[1]} is the document the server serves`);
        assert.equal((JSON.parse(bytes.toString()) as { action: string }).action, x[3]);
      }
      assert.equal((await s.app.inject({ url: '/v1/authors/ETHER/keys/changes/99' })).statusCode, 404);
      await assert.rejects(sql`update author_key_changes set author = 'EVIL'`.execute(s.store.db), /append-only/);
      await assert.rejects(sql`delete from author_key_changes`.execute(s.store.db), /append-only/);
    });
  });
}
