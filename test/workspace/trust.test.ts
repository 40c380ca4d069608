/**
 * The workspace's trust rules, each as the attack a reviewer tried, on SQLite and PostgreSQL: the
 * author learns nothing of who reported before publication; a login CSRF pair planted by an
 * attacker is refused; disabling an account ends its API tokens for good; the request log keeps no
 * query string; no page or API answer shows a live single-use link; a report refreshed, retried or
 * double-posted files one case; the report form shows every error at once in a reporter's words
 * and keeps what was typed when it expired.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  assessCase,
  createDraft,
  fileReport,
  inviteAuthor,
  redeemInvitation,
  transitionCase,
  updateAccount,
} from '../../src/disclosure/index.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, PASSWORD, tokenFor, workspaceServer } from './harness.js';

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

for (const backend of BACKENDS) {
  describe(`trust rules on ${backend.name}`, { skip: backend.skip }, () => {
    test('the author sees neither the reporter’s identity nor the credit before publication — not in the case, the draft or the pages', async () => {
      const s = await workspaceServer(backend, { seed: 'trust-author' });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterName: 'Rita Reporter', reporterEmail: 'rita@example.org', credit: 'Rita Reporter (Acme Security Lab)' }))).acknowledgement.reference;
      await transitionCase(s.ws.deps, ada, ref, 'triaging', 'looking');
      await assessCase(s.ws.deps, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(s.ws.deps, ada, ref, 'accepted', 'reproduced');
      await createDraft(s.ws.deps, ada, ref);
      await inviteAuthor(s.ws.deps, ada, ref, { email: 'author@cpan.example', name: 'Aut Hor' });
      await redeemInvitation(s.ws.deps, ANONYMOUS, await invitationToken(s.ws, 'author@cpan.example'), { password: 'maintains foo bar since 2010' });
      const author = new Client(s.app);
      await author.login('author@cpan.example', 'maintains foo bar since 2010');
      const cookie = [...author.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const seen = [
        (await s.app.inject({ url: `/api/cases/${ref}`, headers: { cookie } })).body,
        (await s.app.inject({ url: `/api/cases/${ref}/draft`, headers: { cookie } })).body,
        (await author.get(`/workspace/cases/${ref}`)).body,
        (await author.get(`/workspace/cases/${ref}/draft`)).body,
      ];
      assert.match(seen[0]!, /"reference"/);
      for (const body of seen) {
        for (const secret of ['Rita', 'rita@example.org', 'Acme Security Lab']) assert.ok(!body.includes(secret), `the author sees '${secret}'`);
      }
      // the team sees the credit, and it is in the draft to be published
      const team = JSON.parse((await s.app.inject({ url: `/api/cases/${ref}`, headers: { authorization: `Bearer ${await tokenFor(s.ws, await addUser(s.ws, 'mo', 'member'), true)}` } })).body);
      assert.equal(team.credit, 'Rita Reporter (Acme Security Lab)');
      assert.deepEqual(team.draft.cna.credits, [{ type: 'finder', value: 'Rita Reporter (Acme Security Lab)', lang: 'en' }]);
    });

    test('login CSRF: a cookie and form token planted together are refused, and so is a valid pair sent from another site', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'mallory', 'external');
      const planted = 'A'.repeat(40);
      const attempt = (cookie: string, csrf: string, headers: Record<string, string> = {}) =>
        s.app.inject({
          method: 'POST',
          url: '/workspace/login',
          payload: form({ _csrf: csrf, email: 'mallory@example.org', password: PASSWORD, next: '/workspace' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cpansec_csrf=${cookie}`, ...headers },
        });
      let r = await attempt(planted, planted);
      assert.equal(r.statusCode, 403, 'the double-submit pair of the attacker’s choosing');
      assert.ok(!(r.cookies as { name: string }[]).some((c) => c.name === 'cpansec_session'), 'no session for the victim');
      // a pair the server gave the attacker, replayed from the attacker's page
      const page = await s.app.inject('/workspace/login');
      const pre = (page.cookies as { name: string; value: string }[]).find((c) => c.name === 'cpansec_csrf')!.value;
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      assert.notEqual(token, pre, 'the form token is not the cookie');
      r = await attempt(pre, token, { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(r.statusCode, 403);
      r = await attempt(pre, token, { origin: 'http://evil.example' });
      assert.equal(r.statusCode, 403);
      // the real login page's own pair works
      r = await attempt(pre, token, { 'sec-fetch-site': 'same-origin' });
      assert.equal(r.statusCode, 303);
    });

    test('disabling an account revokes its API tokens for good: enabling it again revives none', async () => {
      const s = await workspaceServer(backend);
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const max = await addUser(s.ws, 'max', 'member');
      const token = await tokenFor(s.ws, max, false);
      const me = () => s.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await me()).statusCode, 200);
      await updateAccount(s.ws.deps, ada, max.id, { disabled: true }, 'left the team');
      assert.equal((await me()).statusCode, 401);
      await updateAccount(s.ws.deps, ada, max.id, { disabled: false }, 'back again');
      assert.equal((await me()).statusCode, 401, 'the old token stays dead');
    });

    test('the request log keeps the path, never the query string', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const s = await workspaceServer(backend, { logger: { level: 'info', stream } });
      await s.app.inject('/workspace/login?next=/workspace/cases/CPANSEC-2026-SECR-ET00');
      await s.app.inject('/search?q=embargoed-heap-overflow');
      const logged = lines.join('');
      assert.match(logged, /"url":"\/workspace\/login"/);
      assert.match(logged, /"url":"\/search"/);
      assert.ok(!logged.includes('embargoed-heap-overflow') && !logged.includes('SECR-ET00'));
    });

    test('no live single-use link reaches an administrator’s page or the API: resets, invitations, author invitations', async () => {
      const s = await workspaceServer(backend);
      const adaAccount = await addUser(s.ws, 'ada', 'admin');
      const max = await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.login('ada@example.org');
      await c.get('/workspace/admin');
      let r = await c.post(`/workspace/admin/accounts/${max.id}/reset-password`, { reason: 'lost laptop' });
      assert.ok([200, 303].includes(r.statusCode), `${r.statusCode}`);
      assert.doesNotMatch(r.body, /invitations\/[0-9a-z]{20,}/);
      r = await c.post('/workspace/admin/accounts', { email: 'new@example.org', name: 'New', role: 'member' });
      assert.doesNotMatch(r.body, /invitations\/[0-9a-z]{20,}/);
      const ada = accountActor(adaAccount);
      const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput())).acknowledgement.reference;
      await transitionCase(s.ws.deps, ada, ref, 'triaging', 'looking');
      await assessCase(s.ws.deps, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(s.ws.deps, ada, ref, 'accepted', 'reproduced');
      const token = await tokenFor(s.ws, adaAccount, false);
      r = await s.app.inject({ method: 'POST', url: `/api/cases/${ref}/author-invitations`, payload: { email: 'author@cpan.example' }, headers: { authorization: `Bearer ${token}` } });
      assert.equal(r.statusCode, 201);
      assert.doesNotMatch(r.body, /invitations\/[0-9a-z]{20,}/);
      // the mailed link works: it is the only one
      assert.ok(await invitationToken(s.ws, 'author@cpan.example'));
    });

    test('a report posted twice (refresh, double click, retry) files one case; the form answers POST-redirect-GET', async () => {
      const s = await workspaceServer(backend);
      const c = new Client(s.app);
      c.followReport = false;
      const page = await c.get('/workspace/report');
      const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
      const fields = { idempotencyKey: key, distribution: 'Foo-Bar', affectedVersions: '<= 1.23', description: 'Foo::Bar::parse follows symlinks when extracting archives.', reporterEmail: 'rita@example.org' };
      let r = await c.post('/workspace/report', fields);
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, '/workspace/report/received');
      r = await c.get('/workspace/report/received');
      const ref = /id="reference">([A-Z0-9-]+)</.exec(r.body)![1]!;
      assert.match(r.body, /will be mailed to/);
      assert.doesNotMatch(r.body, /was sent|on its way/, 'a queued mail is not called sent');
      r = await c.post('/workspace/report', fields);
      assert.equal(r.statusCode, 303);
      r = await c.get('/workspace/report/received');
      assert.match(r.body, new RegExp(ref));
      const cases = await s.ws.deps.store.transaction((tx) => tx.cases.list({}));
      assert.equal(cases.length, 1);

      const body = { distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: 'Another report, filed by a script that retries.', reporterEmail: 'bot@example.org' };
      const post = (b: object, k: string) => s.app.inject({ method: 'POST', url: '/api/reports', payload: b, headers: { 'idempotency-key': k } });
      const first = await post(body, 'retry-key-0123456789');
      const again = await post(body, 'retry-key-0123456789');
      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 201);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(JSON.parse(again.body).reference, JSON.parse(first.body).reference);
      assert.equal((await post({ ...body, description: 'A different report under the same key.' }, 'retry-key-0123456789')).statusCode, 409);
      assert.equal((await s.ws.deps.store.transaction((tx) => tx.cases.list({}))).length, 2);
    });

    test('the report form: every error at once, next to its field, in a reporter’s words; an expired form keeps the text', async () => {
      const s = await workspaceServer(backend);
      const c = new Client(s.app);
      c.followReport = false;
      await c.get('/workspace/report');
      let r = await c.post('/workspace/report', { distribution: 'Mojo::DOM', affectedVersions: '1.2\n<= banana', description: 'short', reporterEmail: 'not an address' });
      assert.equal(r.statusCode, 400);
      const errorOf = (field: string) => new RegExp(`id="f-report-${field}-error">([\\s\\S]*?)</div>`).exec(r.body)?.[1] ?? '';
      assert.match(errorOf('distribution'), /Mojo::DOM is in the Mojolicious distribution/);
      assert.match(errorOf('affectedVersions'), /needs an operator/);
      assert.match(errorOf('affectedVersions'), /banana/);
      assert.match(errorOf('description'), /at least 20 characters/);
      assert.match(errorOf('reporterEmail'), /e-mail address/);
      assert.doesNotMatch(r.body, /affectedVersions\[0\]/);

      // the form expired: the CSRF cookie is gone; nothing is filed and nothing typed is lost
      c.cookies.clear();
      const text = 'A long description the reporter spent an hour on, with details.';
      r = await c.post('/workspace/report', { distribution: 'Foo-Bar', affectedVersions: '<= 1.23', description: text, reporterEmail: 'rita@example.org' });
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /expired/);
      assert.ok(r.body.includes(text));
      assert.equal((await s.ws.deps.store.transaction((tx) => tx.cases.list({}))).length, 0);
      r = await c.post('/workspace/report', { distribution: 'Foo-Bar', affectedVersions: '<= 1.23', description: text, reporterEmail: 'rita@example.org' });
      assert.equal(r.statusCode, 303, 'sent again with the fresh token, it is filed');
    });

    test('forgotten password: a mailed single-use link, the same answer whether or not the account exists, limited', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'max', 'member');
      const ask = async (email: string, ip = '198.51.100.7') => {
        const c = new Client(s.app);
        await c.get('/workspace/forgot');
        const r = await s.app.inject({ method: 'POST', url: '/workspace/forgot', remoteAddress: ip, payload: form({ _csrf: c.csrf, email }), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
        return r;
      };
      const known = await ask('max@example.org');
      const unknown = await ask('nobody@example.org', '198.51.100.8');
      assert.deepEqual([known.statusCode, known.headers.location], [303, '/workspace/forgot/sent']);
      assert.deepEqual([unknown.statusCode, unknown.headers.location], [303, '/workspace/forgot/sent'], 'the same answer');
      assert.equal(known.body, unknown.body);
      // the link is mailed to the owner only, and sets a new password; the old one worked meanwhile
      const token = await invitationToken(s.ws, 'max@example.org');
      const owner = new Client(s.app);
      await owner.login('max@example.org');
      await redeemInvitation(s.ws.deps, ANONYMOUS, token, { password: 'a brand new passphrase here' });
      await owner.login('max@example.org', 'a brand new passphrase here');
      // limited per client address: the sixth request within the hour waits
      for (let i = 0; i < 4; i++) assert.equal((await ask('someone@example.org', '198.51.100.9')).statusCode, 303);
      assert.equal((await ask('someone@example.org', '198.51.100.9')).statusCode, 303);
      const refused = await ask('someone@example.org', '198.51.100.9');
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers['retry-after']) > 0);
    });

    test('escalation: the next step due is named by the current step; the team re-sends to the author in one action', async () => {
      const s = await workspaceServer(backend, { seed: 'resend' });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput())).acknowledgement.reference;
      await transitionCase(s.ws.deps, ada, ref, 'triaging', 'looking');
      await assessCase(s.ws.deps, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(s.ws.deps, ada, ref, 'accepted', 'reproduced');
      await inviteAuthor(s.ws.deps, ada, ref, { email: 'author@cpan.example' });
      const c = new Client(s.app);
      await c.login('ada@example.org');
      let r = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(r.body, /<dt>Next step due<\/dt><dd><time datetime="2026-03-09T10:00:00.000Z">[^<]*<\/time>: the author is reminded by mail \(automatically\)<\/dd>/);
      assert.match(r.body, /Re-send to the author \(author@cpan.example\)/);
      r = await c.post(`/workspace/cases/${ref}/remind-author`);
      assert.equal(r.statusCode, 303);
      const contacts = await s.ws.deps.store.transaction(async (tx) => tx.contacts.listByCase((await tx.cases.getByReference(ref))!.id));
      assert.equal(contacts.length, 2, 'logged as another attempt');
      const mails = (await s.ws.deps.store.transaction((tx) => tx.outbox.list({}))).filter((m) => m.to === 'author@cpan.example');
      assert.equal(mails.length, 2);
    });
  });
}
