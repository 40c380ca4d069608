/**
 * `cpansec admin`: the first administrator from a password on standard input (never a default),
 * once only; invitations, password resets, roles, the account list and API tokens — on SQLite and
 * PostgreSQL, run as a user runs the command.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { disclosureConfig, login, resolveApiToken, systemClock, cryptoRandom } from '../../src/disclosure/index.js';
import { SqlDisclosureStore, Store } from '../../src/store/index.js';
import { cli } from '../helpers/cli.js';
import { BACKENDS, onCleanup } from '../store/backends.js';

for (const backend of BACKENDS) {
  describe(`cpansec admin on ${backend.name}`, { skip: backend.skip }, () => {
    test('create the first administrator, invite, reset, disable, list, make a token', async () => {
      const { options, flags } = await backend.location();
      const base = ['--base-url', 'https://security.example.org', ...flags];

      let r = cli(['admin', 'invite', 'max@example.org', '--name', 'Max', ...base]);
      assert.deepEqual([r.status, r.stderr], [2, 'cpansec: there is no administrator yet: run `cpansec admin create` first\n']);
      r = cli(['admin', 'create', '--email', 'ada@example.org', '--name', 'Ada', ...base], { input: '' });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^cpansec: no password given/);
      r = cli(['admin', 'create', '--email', 'ada@example.org', '--name', 'Ada', ...base], { input: 'short\n' });
      assert.deepEqual([r.status, r.stderr], [2, 'cpansec: password: must be at least 12 characters (a passphrase of several words is easiest)\n']);
      r = cli(['admin', 'create', '--email', 'ada@example.org', '--name', 'Ada', ...base], { input: 'the first admin of cpansec\n' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'created the administrator Ada <ada@example.org>; log in at https://security.example.org/workspace/login\n');
      r = cli(['admin', 'create', '--email', 'eve@example.org', '--name', 'Eve', ...base], { input: 'another admin password\n' });
      assert.deepEqual([r.status, r.stderr], [2, 'cpansec: admin: an administrator exists already; administrators add accounts in the workspace\n']);

      r = cli(['admin', 'invite', 'max@example.org', '--name', 'Max', '--role', 'member', ...base]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^invited Max <max@example.org> as member; the link \(also mailed\) works once:\nhttps:\/\/security\.example\.org\/workspace\/invitations\/[0-9a-z]{52}\n$/);
      r = cli(['admin', 'reset-password', 'ada@example.org', ...base]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^the password of ada@example.org no longer works; .*\nhttps:\/\/security\.example\.org\/workspace\/invitations\/[0-9a-z]{52}\n$/);
      r = cli(['admin', 'set', 'max@example.org', '--disable', '--reason', 'left the team', ...base]);
      assert.deepEqual([r.status, r.stdout], [0, 'max@example.org: member, disabled\n']);
      r = cli(['admin', 'list', ...base]);
      assert.equal(r.stdout, 'ada@example.org\tAda\tadmin\tinvited\nmax@example.org\tMax\tmember\tdisabled\n');
      r = cli(['admin', 'token', 'ada@example.org', '--name', 'CI', '--read-only', ...base]);
      assert.equal(r.status, 0, r.stderr);
      const token = r.stdout.trim();
      assert.match(token, /^cpansec_[0-9a-z]{8}_[0-9a-z]{52}$/);
      assert.match(r.stderr, /read-only/);

      const store = await Store.open(options);
      onCleanup(() => store.close());
      const deps = {
        store: new SqlDisclosureStore(store.db, store.dialect),
        clock: systemClock,
        random: cryptoRandom,
        config: disclosureConfig({ teamAddress: 't@example.org', from: 'f@example.org', links: { case: (x) => x, invitation: (x) => x } }),
      };
      assert.deepEqual((await login(deps, { email: 'ada@example.org', password: 'the first admin of cpansec', ip: '::1' })).ok, false, 'the reset password no longer works');
      const actor = await resolveApiToken(deps, token);
      assert.deepEqual([actor?.name, actor?.readOnly], ['Ada', true]);
      const mails = await deps.store.transaction((tx) => tx.outbox.list({}));
      assert.deepEqual(mails.map((m) => [m.to, m.subject]), [['max@example.org', 'Your cpansec account'], ['ada@example.org', 'Your cpansec password was reset']]);
      const audit = await deps.store.transaction((tx) => tx.audit.list({ limit: 100 }));
      assert.deepEqual(audit.map((e) => e.action), ['account.created', 'account.created', 'account.passwordReset', 'account.updated', 'token.created']);
      assert.equal(audit[0]!.actor, 'system:cli');
    });
  });
}
