/**
 * Accounts in the workspace: session cookies (HttpOnly, SameSite=Lax, Secure and __Host- on
 * https), login failures and the rate limit (429 with Retry-After), TOTP enrolment and logging in
 * with the code, the password change that ends every session, API tokens made on the account
 * page, a second factor required of team members, and the intake's limit per address.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { accountActor, inviteAccount, totpCode } from '../../src/disclosure/index.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, PASSWORD, workspaceServer } from './harness.js';

for (const backend of BACKENDS) {
  describe(`accounts in the workspace on ${backend.name}`, { skip: backend.skip }, () => {
    test('session cookies, login failures and the rate limit', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.get('/workspace/login');
      let r = await c.post('/workspace/login', { email: 'max@example.org', password: PASSWORD, next: '/workspace/cases' });
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, '/workspace/cases');
      const cookie = (r.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string; secure?: boolean }[]).find((x) => x.name === 'cpansec_session')!;
      assert.deepEqual([cookie.httpOnly, cookie.sameSite, cookie.path, cookie.secure ?? false], [true, 'Lax', '/', false]);
      r = await c.get('/workspace/login?next=https://evil.example/');
      assert.match(r.body, /name="next" value="\/workspace"/, 'no open redirect');

      const guess = new Client(s.app);
      await guess.get('/workspace/login');
      for (let i = 0; i < 5; i++) {
        r = await guess.post('/workspace/login', { email: 'max@example.org', password: `wrong guess ${i}` });
        assert.equal(r.statusCode, 401);
        assert.match(r.body, /The e-mail address or the password is not right/);
      }
      r = await guess.post('/workspace/login', { email: 'max@example.org', password: PASSWORD });
      assert.equal(r.statusCode, 429, 'even the right password, once the account is locked for the window');
      assert.ok(Number(r.headers['retry-after']) > 0);
      r = await guess.post('/workspace/login', { email: 'nobody@example.org', password: 'x' });
      assert.equal(r.statusCode, 401, 'the same answer for an unknown address');
      s.clock.advanceMinutes(16);
      await guess.login('max@example.org');
    });

    test('the request log never keeps an invitation link’s secret', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const s = await workspaceServer(backend, { logger: { level: 'info', stream } });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const { link } = await inviteAccount(s.ws.deps, ada, { email: 'new@example.org', name: 'New', role: 'member' }, { revealLink: true });
      const token = /invitations\/([0-9a-z]+)/.exec(link!)![1]!;
      assert.equal((await s.app.inject(`/workspace/invitations/${token}`)).statusCode, 200);
      const logged = lines.join('');
      assert.match(logged, /"url":"\/workspace\/invitations\/\[secret\]"/);
      assert.ok(!logged.includes(token));
    });

    test('on https the cookies are Secure and __Host- prefixed', async () => {
      const s = await workspaceServer(backend);
      s.ctx.config.baseUrl = 'https://security.example.org';
      await addUser(s.ws, 'max', 'member');
      const r0 = await s.app.inject('/workspace/login');
      const csrf = (r0.cookies as { name: string; value: string; secure?: boolean }[]).find((x) => x.name === '__Host-cpansec_csrf')!;
      assert.equal(csrf.secure, true);
      const r = await s.app.inject({
        method: 'POST',
        url: '/workspace/login',
        payload: new URLSearchParams({ _csrf: csrf.value, email: 'max@example.org', password: PASSWORD }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-cpansec_csrf=${csrf.value}` },
      });
      assert.equal(r.statusCode, 303);
      const session = (r.cookies as { name: string; secure?: boolean; httpOnly?: boolean }[]).find((x) => x.name === '__Host-cpansec_session')!;
      assert.deepEqual([session.secure, session.httpOnly], [true, true]);
    });

    test('TOTP enrolment, login with the code, password change, API tokens', async () => {
      const s = await workspaceServer(backend);
      const max = await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.login('max@example.org');
      await c.get('/workspace/account');
      let r = await c.post('/workspace/account/totp/begin');
      const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(r.body)![1]!;
      r = await c.post('/workspace/account/totp/confirm', { code: '000000' });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /the code is not right/);
      r = await c.post('/workspace/account/totp/confirm', { code: totpCode(secret, s.clock.now()) });
      assert.equal(r.statusCode, 200);
      const recovery = /<pre id="recovery-codes">([\s\S]*?)<\/pre>/.exec(r.body)![1]!.split('\n');
      assert.equal(recovery.length, 10);
      await c.post('/workspace/logout');

      const again = new Client(s.app);
      await again.get('/workspace/login');
      r = await again.post('/workspace/login', { email: 'max@example.org', password: PASSWORD });
      assert.equal(r.statusCode, 401);
      assert.match(r.body, /Enter the code from your authenticator app/);
      s.clock.advanceMinutes(1);
      r = await again.post('/workspace/login', { email: 'max@example.org', password: PASSWORD, code: totpCode(secret, s.clock.now()) });
      assert.equal(r.statusCode, 303);
      const third = new Client(s.app);
      await third.get('/workspace/login');
      r = await third.post('/workspace/login', { email: 'max@example.org', password: PASSWORD, code: totpCode(secret, s.clock.now()) });
      assert.equal(r.statusCode, 401, 'a code is accepted once');
      r = await third.post('/workspace/login', { email: 'max@example.org', password: PASSWORD, code: recovery[0]! });
      assert.equal(r.statusCode, 303, 'a recovery code');

      // API tokens from the account page
      await again.get('/workspace/account');
      r = await again.post('/workspace/account/tokens', { name: 'CI', expiresInDays: '30', readOnly: 'yes', password: PASSWORD });
      const token = /<pre id="new-token">(cpansec_[0-9a-z_]+)<\/pre>/.exec(r.body)![1]!;
      r = await s.app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      assert.deepEqual(JSON.parse(r.body), { kind: 'account', id: max.id, name: 'max', role: 'member', via: 'token', readOnly: true });

      // the password change ends every session, this one included
      await again.get('/workspace/account');
      r = await again.post('/workspace/account/password', { current: 'not it', next: 'a brand new passphrase' });
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /the current password is not right/);
      r = await again.post('/workspace/account/password', { current: PASSWORD, next: 'a brand new passphrase' });
      assert.deepEqual([r.statusCode, r.headers.location], [303, '/workspace/login?done=password']);
      assert.equal((await third.get('/workspace/cases')).statusCode, 303, 'the other session ended too');
    });

    test('a second factor required of team members; the intake limit per address', async () => {
      const s = await workspaceServer(backend, { workspace: { requireTotpForStaff: true, intakePerHour: 2 } });
      await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.login('max@example.org');
      let r = await c.get('/workspace/cases');
      assert.deepEqual([r.statusCode, r.headers.location], [303, '/workspace/account']);
      r = await c.get('/workspace/account');
      assert.match(r.body, /Team members must set up a second factor before anything else/);
      const report = { distribution: 'Foo-Bar', affectedVersions: ['< 1'], description: 'A report that is long enough for the form.', reporterEmail: 'r@example.org' };
      for (const expected of [201, 201, 429]) {
        r = await s.app.inject({ method: 'POST', url: '/api/reports', payload: report });
        assert.equal(r.statusCode, expected);
      }
      assert.ok(Number(r.headers['retry-after']) > 0);
      assert.equal(JSON.parse(r.body).error.code, 'RATE_LIMITED');
    });
  });
}
