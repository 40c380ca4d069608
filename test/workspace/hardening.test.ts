/**
 * The workspace's answers to a security review, on SQLite and PostgreSQL, through HTTP: the outbox
 * holds no link and no token reads it; parallel logins get 429 (not 401 forty times) and a pile-up
 * of password checks 503, quickly; the account page's password checks are limited too; a team
 * member who must enrol a second factor gets no token and can use none; the author's deadlines are
 * the server's settings and the case's own; the reporter's link is sent again; the audit log names
 * people and verifies against heads kept apart; X-Forwarded-For counts only from trusted proxies.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  assessCase,
  createApiToken,
  fileReport,
  transitionCase,
  type Account,
} from '../../src/disclosure/index.js';
import { BACKENDS } from '../store/backends.js';
import { reportInput } from '../disclosure/helpers.js';
import { parseTrustProxy } from '../../src/cli/serve.js';
import { addUser, Client, outbox, PASSWORD, tokenFor, workspaceServer, type WorkspaceServer } from './harness.js';

test('--trust-proxy: hops or proxy addresses, never every hop', () => {
  assert.equal(parseTrustProxy(undefined), false);
  assert.equal(parseTrustProxy('1'), 1);
  assert.deepEqual(parseTrustProxy('10.0.0.1, 192.168.0.0/16,::1,fd00::/8,loopback'), ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback']);
  for (const bad of ['0', '11', 'true', 'yes', '*', '10.0.0.0/33', '::1/129', 'example.org', '10.0.0.1/8/2', '']) {
    assert.throws(() => parseTrustProxy(bad), { code: 'USAGE', message: /--trust-proxy/ }, bad);
  }
});

async function acceptedCase(s: WorkspaceServer, admin: Account): Promise<string> {
  const actor = accountActor(admin);
  const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }))).acknowledgement.reference;
  await transitionCase(s.ws.deps, actor, ref, 'triaging', 'looking');
  await assessCase(s.ws.deps, actor, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
  await transitionCase(s.ws.deps, actor, ref, 'accepted', 'reproduced');
  return ref;
}

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

for (const backend of BACKENDS) {
  describe(`the hardened workspace on ${backend.name}`, { skip: backend.skip }, () => {
    test('the outbox: no live link in it, and no token reads it — not even an administrator’s', async () => {
      const s = await workspaceServer(backend);
      const ada = await addUser(s.ws, 'ada', 'admin');
      const c = new Client(s.app);
      await c.login('ada@example.org');
      await c.get('/workspace/admin');
      let r = await c.post('/workspace/admin/accounts', { email: 'mia@example.org', name: 'Mia', role: 'admin' });
      assert.equal(r.statusCode, 200);
      await fileReport(s.ws.deps, ANONYMOUS, reportInput());

      r = await s.app.inject({ method: 'GET', url: '/api/outbox', headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(r.statusCode, 200);
      const mails = json(r.body).mails as { to: string; body: string }[];
      assert.equal(mails.length, 3);
      assert.doesNotMatch(r.body, /invitations\/[0-9a-z]{20,}/, 'no link to redeem in what an administrator reads');
      assert.match(mails.find((m) => m.to === 'mia@example.org')!.body, /\[a single-use link, made when the mail is sent\]/);
      for (const readOnly of [true, false]) {
        const token = await tokenFor(s.ws, ada, readOnly);
        r = await s.app.inject({ method: 'GET', url: '/api/outbox', headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.statusCode, 403, `an administrator's ${readOnly ? 'read-only' : 'read-write'} token`);
      }
    });

    test('40 parallel wrong passwords: 429 at once for all but five; a pile-up of password checks: 503 at once', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.get('/workspace/login');
      const form = (email: string, password: string) => new URLSearchParams({ _csrf: c.csrf, email, password }).toString();
      const post = (email: string, password: string, remoteAddress = '198.51.100.7') =>
        s.app.inject({ method: 'POST', url: '/workspace/login', remoteAddress, payload: form(email, password), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cpansec_csrf=${c.cookies.get('cpansec_csrf')}` } });
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post('max@example.org', `wrong guess ${i}`)));
      const statuses = results.map((r) => r.statusCode);
      assert.ok(statuses.filter((x) => x === 401).length <= 5, JSON.stringify(statuses));
      assert.equal(statuses.filter((x) => x === 429).length + statuses.filter((x) => x === 401).length, 40);
      assert.ok(results.filter((r) => r.statusCode === 429).every((r) => Number(r.headers['retry-after']) > 0));

      // scrypt one at a time with one waiting: a burst of logins for unknown addresses from many places
      const slow = await workspaceServer(backend, { seed: 'slow', workspace: { scrypt: { ln: 14, r: 8, p: 1 }, throttle: { hashConcurrency: 1, hashQueue: 1 } } });
      await addUser(slow.ws, 'max', 'member');
      const d = new Client(slow.app);
      await d.get('/workspace/login');
      const started = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          slow.app.inject({ method: 'POST', url: '/workspace/login', remoteAddress: `192.0.2.${i + 1}`, payload: new URLSearchParams({ _csrf: d.csrf, email: `nobody${i}@example.org`, password: 'a guess of a password' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cpansec_csrf=${d.cookies.get('cpansec_csrf')}` } }),
        ),
      );
      const busy = burst.filter((r) => r.statusCode === 503);
      assert.ok(busy.length >= 8, JSON.stringify(burst.map((r) => r.statusCode)));
      assert.ok(busy.every((r) => Number(r.headers['retry-after']) > 0 && /The server is busy checking passwords/.test(r.body)));
      assert.ok(Date.now() - started < 15_000, 'the refusals came at once');
      await d.login('max@example.org');
    });

    test('password checks on the account page are limited as logins are', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'max', 'member');
      const c = new Client(s.app);
      await c.login('max@example.org');
      await c.get('/workspace/account');
      for (let i = 0; i < 5; i++) {
        const r = await c.post('/workspace/account/password', { current: `wrong ${i} password`, next: 'a brand new passphrase' });
        assert.equal(r.statusCode, 403);
      }
      let r = await c.post('/workspace/account/password', { current: PASSWORD, next: 'a brand new passphrase' });
      assert.equal(r.statusCode, 429);
      assert.ok(Number(r.headers['retry-after']) > 0);
      assert.match(r.body, /too many wrong passwords/);
      r = await c.post('/workspace/account/totp/disable', { password: PASSWORD });
      assert.equal(r.statusCode, 429);
      r = await c.post('/workspace/account/tokens', { name: 'ci', expiresInDays: '30', password: PASSWORD });
      assert.equal(r.statusCode, 429, 'making a token is a password check too');
      s.clock.advanceMinutes(16);
      r = await c.post('/workspace/account/tokens', { name: 'ci', expiresInDays: '30', password: 'not my password' });
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /the password is not right/);
      r = await c.post('/workspace/account/tokens', { name: 'ci', expiresInDays: '30', password: PASSWORD });
      assert.match(r.body, /<pre id="new-token">cpansec_/);
    });

    test('a team member who must enrol a second factor gets no token and can use none', async () => {
      const s = await workspaceServer(backend, { workspace: { requireTotpForStaff: true } });
      const max = await addUser(s.ws, 'max', 'member');
      // a token made before the server required the second factor
      s.ws.deps.config.requireTotpForStaff = false;
      const old = (await createApiToken(s.ws.deps, accountActor(max), { name: 'old', password: PASSWORD })).token;
      s.ws.deps.config.requireTotpForStaff = true;
      let r = await s.app.inject({ method: 'GET', url: '/api/cases', headers: { authorization: `Bearer ${old}` } });
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /enrol a second factor first/);
      const c = new Client(s.app);
      await c.login('max@example.org');
      r = await c.get('/workspace/account');
      assert.match(r.body, /Set up a second factor first; then you can make tokens/);
      assert.doesNotMatch(r.body, /action="\/workspace\/account\/tokens"/);
      r = await c.post('/workspace/account/tokens', { name: 'ci', expiresInDays: '30', password: PASSWORD });
      assert.equal(r.statusCode, 403);
    });

    test('author deadlines: the server’s settings, a case’s own, on the case page', async () => {
      const s = await workspaceServer(backend, { workspace: { contact: { responseDays: 5, reminderAfterDays: 3, secondChannelAfterDays: 5, decisionAfterDays: 12 } } });
      const ada = await addUser(s.ws, 'ada', 'admin');
      const ref = await acceptedCase(s, ada);
      const c = new Client(s.app);
      await c.login('ada@example.org');
      await c.get(`/workspace/cases/${ref}`);
      let r = await c.post(`/workspace/cases/${ref}/contacts`, { channel: 'email', to: 'author@cpan.example', summary: 'wrote', at: '' });
      assert.equal(r.statusCode, 303);
      r = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(r.body, /<dt>Response deadline<\/dt><dd><time datetime="2026-03-07T10:00:00.000Z">2026-03-07 10:00 UTC<\/time> \(the team’s default\)/, 'five days, the server’s setting');
      r = await c.post(`/workspace/cases/${ref}/invite-author`, { email: 'author@cpan.example', name: 'Ann', respondBy: '2026-04-15' });
      assert.equal(r.statusCode, 303);
      r = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(r.body, /<time datetime="2026-04-15T00:00:00.000Z">2026-04-15 00:00 UTC<\/time> \(agreed for this case\)/);
      r = await c.post(`/workspace/cases/${ref}/contacts`, { channel: 'irc', to: 'ann', summary: 'pinged', at: '', respondBy: '2020-01-01' });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /respondBy: must be in the future|must be in the future/);
      const api = await s.app.inject({ method: 'POST', url: `/api/cases/${ref}/contacts`, headers: { authorization: `Bearer ${await tokenFor(s.ws, ada, false)}`, 'content-type': 'application/json' }, payload: { channel: 'irc', to: 'ann', summary: 'pinged', respondBy: '2026-04-20' } });
      assert.equal(api.statusCode, 201);
      const view = json((await s.app.inject({ method: 'GET', url: `/api/cases/${ref}`, headers: { authorization: `Bearer ${await tokenFor(s.ws, ada, true)}` } })).body);
      assert.deepEqual((view.escalation as { responseDeadline: string; deadlineSetForCase: boolean }).responseDeadline, '2026-04-20T00:00:00.000Z');
    });

    test('a new link for the reporter from the case page and the API; the audit log names people', async () => {
      const s = await workspaceServer(backend);
      const ada = await addUser(s.ws, 'ada', 'admin');
      const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }))).acknowledgement.reference;
      const c = new Client(s.app);
      await c.login('ada@example.org');
      let r = await c.get(`/workspace/cases/${ref}`);
      assert.match(r.body, /Send a new link/);
      r = await c.post(`/workspace/cases/${ref}/reporter-link`, { reason: 'Rita lost the mail' });
      assert.deepEqual([r.statusCode, r.headers.location], [303, `/workspace/cases/${ref}?done=reporterlink&tab=report`]);
      r = await c.get(String(r.headers.location));
      assert.match(r.body, /A new link was sent to the reporter/);
      const api = await s.app.inject({ method: 'POST', url: `/api/cases/${ref}/reporter-link`, headers: { authorization: `Bearer ${await tokenFor(s.ws, ada, false)}`, 'content-type': 'application/json' }, payload: { reason: 'again' } });
      assert.equal(api.statusCode, 201);
      assert.deepEqual(json(api.body), { reference: ref, sentTo: 'rita@example.org', closed: 1 });
      const mails = (await outbox(s.ws)).filter((m) => m.to === 'rita@example.org');
      assert.equal(mails.length, 3);

      // the audit log on the case page: names and addresses, not account ids
      r = await c.get(`/workspace/cases/${ref}?tab=audit`);
      const audit = r.body.slice(r.body.indexOf('id="audit-h"'));
      assert.match(audit, /<span title="account:[0-9a-z]{26}">ada &lt;ada@example.org&gt;<\/span>/);
      assert.match(audit, /<td>anonymous<\/td>|>anonymous</);
      assert.doesNotMatch(audit.replace(/title="account:[0-9a-z]{26}"/g, ''), /account:[0-9a-z]{26}/, 'no bare id shown');
      const trail = json((await s.app.inject({ method: 'GET', url: `/api/cases/${ref}/audit`, headers: { authorization: `Bearer ${await tokenFor(s.ws, ada, true)}` } })).body);
      const entries = trail.entries as { actor: string; action: string }[];
      const resent = entries.find((e) => e.action === 'reporter.linkResent')!;
      assert.equal(resent.actor, `account:${ada.id}`, 'the entries keep the ids');
      assert.deepEqual((trail.actors as Record<string, unknown>)[resent.actor], { name: 'ada', role: 'admin', email: 'ada@example.org' });
    });

    test('the audit log verifies against the recorded head and a head from a team mail', async () => {
      const s = await workspaceServer(backend);
      const ada = await addUser(s.ws, 'ada', 'admin');
      await fileReport(s.ws.deps, ANONYMOUS, reportInput());
      const team = (await outbox(s.ws)).find((m) => m.to === s.ws.settings.teamAddress)!;
      const m = /Audit log head: (\d+) ([0-9a-f]{64})/.exec(team.body)!;
      const token = await tokenFor(s.ws, ada, true);
      const get = (q = '') => s.app.inject({ method: 'GET', url: `/api/audit/verify${q}`, headers: { authorization: `Bearer ${token}` } });
      let r = await get(`?head=${m[1]}:${m[2]}`);
      assert.equal(r.statusCode, 200);
      const v = json(r.body);
      assert.equal(v.ok, true);
      assert.deepEqual(v.recordedHead, { seq: v.count, hash: (v.head as { hash: string }).hash });
      r = await get(`?head=${m[1]}:${'0'.repeat(64)}`);
      const { ok, seq, problem } = json(r.body);
      assert.deepEqual({ ok, seq, problem }, { ok: false, seq: Number(m[1]), problem: 'the entry at the recorded head has another hash (the log was rewritten)' });
      assert.equal((await get('?head=nonsense')).statusCode, 400);
      const c = new Client(s.app);
      await c.login('ada@example.org');
      r = await c.get(`/workspace/admin?head=${m[1]}+${m[2]}`);
      assert.match(r.body, /verifies against the recorded head and the head 1 given/);
    });

    test('X-Forwarded-For counts only from trusted proxies: a spoofed address does not escape the intake limit', async () => {
      const report = { distribution: 'Foo-Bar', affectedVersions: ['< 1'], description: 'A report that is long enough for the form.', reporterEmail: 'r@example.org' };
      const file = (s: WorkspaceServer, spoof: string) =>
        s.app.inject({ method: 'POST', url: '/api/reports', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': `${spoof}, 203.0.113.5` }, payload: report });
      for (const trustProxy of [1, ['10.0.0.0/8']] as const) {
        const s = await workspaceServer(backend, { trustProxy, workspace: { intakePerHour: 2 } });
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await file(s, `192.0.2.${i}`)).statusCode);
        assert.deepEqual(statuses, [201, 201, 429], `trusting ${JSON.stringify(trustProxy)}: the proxy's client, not the header's first entry`);
        // and two clients behind the proxy are two clients
        const other = await s.app.inject({ method: 'POST', url: '/api/reports', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': '203.0.113.6' }, payload: report });
        assert.equal(other.statusCode, 201, `trusting ${JSON.stringify(trustProxy)}: another client of the proxy`);
      }
      // two hops: the client is the address the outer proxy saw
      const two = await workspaceServer(backend, { trustProxy: 2, workspace: { intakePerHour: 1 } });
      const viaTwo = (spoof: string, client: string) =>
        two.app.inject({ method: 'POST', url: '/api/reports', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': `${spoof}, ${client}, 10.0.0.3` }, payload: report });
      assert.deepEqual([(await viaTwo('192.0.2.1', '203.0.113.5')).statusCode, (await viaTwo('192.0.2.2', '203.0.113.5')).statusCode, (await viaTwo('192.0.2.3', '203.0.113.6')).statusCode], [201, 429, 201]);
      // without --trust-proxy the header is not believed at all: every request is the proxy's
      const s = await workspaceServer(backend, { workspace: { intakePerHour: 2 } });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await s.app.inject({ method: 'POST', url: '/api/reports', remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': `192.0.2.${i}` }, payload: report })).statusCode);
      assert.deepEqual(statuses, [201, 201, 429]);
      // an untrusted peer cannot choose its address either
      const t = await workspaceServer(backend, { trustProxy: ['10.0.0.0/8'], workspace: { intakePerHour: 1 } });
      const direct = [];
      for (let i = 0; i < 2; i++) direct.push((await t.app.inject({ method: 'POST', url: '/api/reports', remoteAddress: '198.51.100.9', headers: { 'x-forwarded-for': `192.0.2.${i}` }, payload: report })).statusCode);
      assert.deepEqual(direct, [201, 429]);
    });
  });
}
