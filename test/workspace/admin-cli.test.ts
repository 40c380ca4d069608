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
import { tempDir } from '../helpers/temp.js';
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

    test('admin token refuses a team member without a second factor when the server requires one; audit-verify', async () => {
      const { flags } = await backend.location();
      const base = ['--base-url', 'https://security.example.org', ...flags];
      assert.equal(cli(['admin', 'create', '--email', 'ada@example.org', '--name', 'Ada', ...base], { input: 'the first admin of cpansec\n' }).status, 0);
      assert.equal(cli(['admin', 'invite', 'max@example.org', '--name', 'Max', '--role', 'member', ...base]).status, 0);
      let r = cli(['admin', 'token', 'max@example.org', '--name', 'CI', '--require-totp-for-staff', ...base]);
      assert.deepEqual([r.status, r.stdout, r.stderr], [2, '', 'cpansec: max@example.org: the account must set up a second factor before it may have API tokens\n']);
      r = cli(['admin', 'token', 'max@example.org', '--name', 'CI', ...base], { env: { CPANSEC_REQUIRE_TOTP_FOR_STAFF: '1' } });
      assert.equal(r.status, 2, 'the environment variable too');
      r = cli(['admin', 'token', 'max@example.org', '--name', 'CI', ...base]);
      assert.equal(r.status, 0, r.stderr);

      r = cli(['admin', 'audit-verify', ...base]);
      assert.equal(r.status, 0, r.stderr);
      const m = /^the audit log verifies: 3 entries\nhead 3:([0-9a-f]{64})\n$/.exec(r.stdout);
      assert.ok(m, r.stdout);
      r = cli(['admin', 'audit-verify', '--head', `3:${m[1]}`, ...base]);
      assert.match(r.stdout, /reaching the head 3 given/);
      r = cli(['admin', 'audit-verify', '--head', `3:${'0'.repeat(64)}`, ...base]);
      assert.deepEqual([r.status, r.stderr], [2, 'cpansec: audit log: entry 3: the entry at the recorded head has another hash (the log was rewritten)\n']);
      r = cli(['admin', 'audit-verify', '--head', '4:x', ...base]);
      assert.deepEqual([r.status, r.stderr], [2, 'cpansec: --head takes SEQ:HASH (a number and 64 hex digits): 4:x\n']);
    });
  });
}

test('serve refuses a --trust-proxy it cannot honour, author deadlines out of order and file limits that are no numbers', () => {
  const dir = tempDir('serve-flags');
  for (const [args, message] of [
    [['--trust-proxy', 'everyone'], /--trust-proxy takes a number of hops or proxy addresses/],
    [['--trust-proxy', '0'], /--trust-proxy takes 1 to 10 hops/],
    [['--author-response-days', 'two'], /--author-response-days takes a whole number of days/],
    [['--author-decision-days', '10'], /--author-\*-days: decisionAfterDays: must be later than/],
    [['--attachment-max-mb', 'lots'], /--attachment-max-mb takes a number from 0.001 to 1024: lots/],
    [['--attachment-max-files', '0'], /--attachment-max-files takes a whole number from 1 to 50: 0/],
  ] as const) {
    const r = cli(['serve', '--data-dir', dir, '--port', '0', ...args]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});
