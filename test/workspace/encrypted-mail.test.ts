/**
 * Mail to a reporter who gave an OpenPGP key is encrypted to it (openpgp.js); the reporter's own
 * key decrypts it; mail to the team stays readable; without a key the mail is plain.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as openpgp from 'openpgp';
import { ANONYMOUS, fileReport } from '../../src/disclosure/index.js';
import { runDrain } from '../../src/server/workspace/index.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { workspaceServer, type RecordingTransport } from './harness.js';

for (const backend of BACKENDS) {
  describe(`encrypted mail on ${backend.name}`, { skip: backend.skip }, () => {
    test('the acknowledgement to a reporter with an OpenPGP key is encrypted to that key; the team’s mail is not', async () => {
      const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Rita', email: 'rita@example.org' }], format: 'armored' });
      const s = await workspaceServer(backend, { seed: 'pgp' });
      const { acknowledgement } = await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org', encryptionKey: publicKey }));
      await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'olga@example.org' }));
      while ((await runDrain(s.ws))?.sent) {
        // until nothing is due
      }
      const sent = (s.ws.transport as RecordingTransport).sent;
      const toRita = sent.find((m) => m.to === 'rita@example.org')!;
      assert.match(toRita.text, /^-----BEGIN PGP MESSAGE-----/);
      assert.ok(!toRita.text.includes(acknowledgement.reference), 'nothing readable in the body');
      const { data } = await openpgp.decrypt({ message: await openpgp.readMessage({ armoredMessage: toRita.text }), decryptionKeys: await openpgp.readPrivateKey({ armoredKey: privateKey }) });
      assert.match(String(data), new RegExp(`Its reference is ${acknowledgement.reference}`));
      assert.match(String(data), /\/workspace\/invitations\/[0-9a-z]+/, 'the claim link, inside the encrypted body');
      assert.doesNotMatch(sent.find((m) => m.to === 'olga@example.org')!.text, /BEGIN PGP/);
      for (const m of sent.filter((x) => x.to !== 'rita@example.org')) assert.doesNotMatch(m.text, /BEGIN PGP MESSAGE/);
    });
  });
}
