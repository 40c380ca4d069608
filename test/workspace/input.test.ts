/**
 * Hostile input, refused cleanly (one sentence, the right status, never a stack trace) or kept as
 * typed and escaped wherever it is shown: oversize bodies, malformed JSON, markup and script in
 * every text field, unknown states, forged or missing CSRF tokens.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, workspaceServer } from './harness.js';

const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>"'&`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';
const REF = /CPANSEC-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

/** No live element from the input: our pages have no script at all, no image, no event handler in any tag. */
function assertInert(html: string, where: string): void {
  // real tags, their quoted attribute values left out (a quote in a value is escaped, so a value cannot end early)
  const tags = (html.match(/<[a-zA-Z][^>]*>/g) ?? []).map((t) => t.replace(/"[^"]*"/g, '""'));
  assert.deepEqual(tags.filter((t) => /^<(script|img|iframe|object|embed)\b/i.test(t)), [], `${where}: a live element`);
  assert.deepEqual(tags.filter((t) => /\son[a-z]+\s*=/i.test(t)), [], `${where}: a live event handler`);
}

function assertClean(body: string, where: string): void {
  assert.doesNotMatch(body, /\bat [\w.<>]+ \(.*:\d+:\d+\)|node:internal|\.ts:\d+/, `${where}: a stack trace`);
}

for (const backend of BACKENDS) {
  describe(`bad input on ${backend.name}`, { skip: backend.skip }, () => {
    test('oversize bodies are 413, malformed JSON 400, without a stack trace', async () => {
      const s = await workspaceServer(backend, { workspace: { bodyLimit: 64 * 1024 } });
      const big = 'x'.repeat(100 * 1024);
      let r = await s.app.inject({ method: 'POST', url: '/api/reports', payload: JSON.stringify({ description: big }), headers: { 'content-type': 'application/json' } });
      assert.equal(r.statusCode, 413);
      assert.deepEqual(JSON.parse(r.body), { error: { code: 'TOO_LARGE', message: 'the request body is larger than 65536 bytes' } });
      r = await s.app.inject({ method: 'POST', url: '/workspace/report', payload: `description=${big}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.statusCode, 413);
      assert.match(r.headers['content-type'] as string, /^text\/html/);
      assert.match(r.body, /the request body is larger than 65536 bytes/);
      assertClean(r.body, '413 page');
      for (const payload of ['{"distribution": "Foo-Bar",', 'not json', '[1, 2', '{"a":1}}']) {
        r = await s.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { 'content-type': 'application/json' } });
        assert.equal(r.statusCode, 400, payload);
        assert.deepEqual(JSON.parse(r.body), { error: { code: 'BAD_REQUEST', message: 'the body is not valid JSON' } }, payload);
      }
      r = await s.app.inject({ method: 'POST', url: '/api/reports', payload: '[]', headers: { 'content-type': 'application/json' } });
      assert.deepEqual([r.statusCode, JSON.parse(r.body)], [400, { error: { code: 'PARSE_ERROR', message: 'report: must be an object', field: 'report' } }]);
      r = await s.app.inject({ method: 'POST', url: '/api/reports', payload: 'distribution=Foo', headers: { 'content-type': 'text/plain' } });
      assert.equal(r.statusCode, 415, 'a plain form of another site cannot post JSON');
      r = await s.app.inject({ method: 'POST', url: '/api/reports', payload: JSON.stringify({ distribution: 'Foo-Bar', affectedVersions: ['1.0'], description: 'x'.repeat(30), reporterEmail: 'a@example.org', extra: 1 }), headers: { 'content-type': 'application/json' } });
      assert.deepEqual([r.statusCode, JSON.parse(r.body).error.field], [400, 'extra']);
    });

    test('markup and script in every text field are kept as typed and shown escaped everywhere', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'ada', 'admin');
      const anonymous = new Client(s.app);
      await anonymous.get('/workspace/report');
      let r = await anonymous.post('/workspace/report', {
        distribution: 'Foo-Bar',
        affectedVersions: '< 1.0',
        description: `The parser ${XSS} is vulnerable.`,
        proof: XSS,
        reporterName: XSS,
        reporterEmail: 'rita@example.org',
        credit: XSS,
      });
      assert.equal(r.statusCode, 200, r.body.slice(0, 500));
      const ref = REF.exec(r.body)![0];
      // a field that refuses markup says so, and shows what was typed escaped
      r = await anonymous.post('/workspace/report', { distribution: XSS, affectedVersions: XSS, description: XSS, reporterEmail: XSS });
      assert.equal(r.statusCode, 400);
      assertInert(r.body, 'report form with errors');

      const reporter = new Client(s.app);
      const claim = await invitationToken(s.ws, 'rita@example.org');
      await reporter.get(`/workspace/invitations/${claim}`);
      await reporter.post(`/workspace/invitations/${claim}`, { name: XSS, password: 'she reports bugs often' });

      const admin = new Client(s.app);
      await admin.login('ada@example.org');
      const on = (path: string) => `/workspace/cases/${ref}${path}`;
      const posts: [string, Record<string, string>][] = [
        [on('/transition'), { to: 'triaging', reason: XSS }],
        [on('/scope'), { component: 'linked-library', library: XSS, override: 'in', overrideReason: XSS }],
        [on('/rating'), { cvss: '', cwes: 'CWE-79', severity: 'high' }],
        [on('/transition'), { to: 'accepted', reason: XSS }],
        [on('/embargo'), { endsAt: '2026-03-20', reason: XSS }],
        [on('/invite-author'), { email: 'author@cpan.example', name: XSS }],
        [on('/contacts'), { channel: 'irc', to: XSS, summary: XSS, at: '' }],
        [on('/messages'), { body: XSS }],
        [on('/messages'), { body: `internal ${XSS}`, visibility: 'internal' }],
        [on('/draft'), {}],
        [on('/cve'), { cve: 'CVE-2026-7777' }],
        [on('/draft/edit'), { 'advisory.description': XSS, 'advisory.affectedVersions': '< 1.0', 'advisory.comment': XSS, 'cna.title': XSS, 'cna.module': 'Foo::Bar', 'cna.solution': XSS, 'cna.mitigation': XSS, 'cna.credits': `finder: ${XSS}`, 'cna.timeline': `2026-03-01 ${XSS}`, 'cna.files': XSS, 'cna.routines': XSS }],
        ['/workspace/admin/accounts', { email: 'new@example.org', name: XSS, role: 'member' }],
      ];
      for (const [url, form] of posts) {
        r = await admin.post(url, form);
        assert.ok(r.statusCode === 303 || r.statusCode === 200, `${url}: ${r.statusCode} ${r.body.slice(0, 400)}`);
      }
      const author = new Client(s.app);
      const inv = await invitationToken(s.ws, 'author@cpan.example');
      await author.get(`/workspace/invitations/${inv}`);
      await author.post(`/workspace/invitations/${inv}`, { name: 'Ann', password: 'maintains foo bar since 2010' });
      await author.post(on('/messages'), { body: XSS });

      // the payload, escaped, on every page that shows it, to every viewer
      const pages: [Client, string, boolean][] = [
        [admin, on(''), true],
        [admin, on('/draft'), true],
        [admin, on('/edit'), true],
        [admin, '/workspace', false],
        [admin, '/workspace/cases', false],
        [admin, '/workspace/admin', true],
        [reporter, on(''), true],
        [reporter, '/workspace/account', true],
        [author, on(''), true],
        [author, on('/draft'), true],
      ];
      for (const [client, url, shows] of pages) {
        r = await client.get(url);
        assert.equal(r.statusCode, 200, url);
        assertInert(r.body, url);
        if (shows) assert.ok(r.body.includes(ESCAPED), `${url} shows the text escaped`);
      }
      // the files and JSON keep it as typed, in their own syntax
      const cve = await admin.get(on('/cve.json'));
      assert.ok(cve.statusCode === 200 || cve.statusCode === 409);
      const yml = await admin.get(on('/advisory.yml'));
      assert.match(yml.headers['content-type'] as string, /^text\/yaml/);
      const apiView = await s.app.inject({ method: 'GET', url: `/api/cases/${ref}/messages`, headers: { cookie: [...reporter.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.ok((JSON.parse(apiView.body) as { messages: { body: string }[] }).messages.some((m) => m.body === XSS));
      // mail is plain text (markup in a name is only text there) and carries nothing of the report
      const mails = await s.ws.deps.store.transaction((tx) => tx.outbox.list({}));
      assert.ok(mails.length > 5 && mails.every((m) => !m.body.includes('The parser') && !m.body.includes('is vulnerable')), 'no report text in mail');
    });

    test('unknown states and forged or missing CSRF tokens are refused cleanly', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'ada', 'admin');
      const admin = new Client(s.app);
      await admin.login('ada@example.org');
      await admin.get('/workspace/report');
      let r = await admin.post('/workspace/report', { distribution: 'Foo-Bar', affectedVersions: '< 1.0', description: 'A report long enough to be accepted.', reporterEmail: 'r@example.org' });
      const ref = REF.exec(r.body)![0];
      await admin.get(`/workspace/cases/${ref}`);

      r = await admin.post(`/workspace/cases/${ref}/transition`, { to: 'fixed', reason: 'x' });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /unknown state &#39;fixed&#39; \(one of: received, triaging/);
      r = await admin.post(`/workspace/cases/${ref}/transition`, { to: 'published', reason: 'x' });
      assert.equal(r.statusCode, 409);
      r = await admin.get('/workspace/cases?state=open');
      assert.equal(r.statusCode, 400);
      assertClean(r.body, 'list with an unknown state');
      const api = (method: string, url: string, payload: unknown) =>
        s.app.inject({ method: method as 'POST', url, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': admin.csrf } });
      r = await api('POST', `/api/cases/${ref}/transitions`, { to: 'nonsense', reason: 'x' });
      assert.deepEqual([r.statusCode, JSON.parse(r.body).error.code], [400, 'PARSE_ERROR']);
      r = await api('POST', `/api/cases/${ref}/transitions`, { to: 'fix-released', reason: 'x' });
      assert.deepEqual([r.statusCode, JSON.parse(r.body).error.message], [409, `${ref}: a case in state 'received' cannot move to 'fix-released'`]);
      r = await s.app.inject({ method: 'GET', url: '/api/cases?state=bogus', headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      assert.equal(r.statusCode, 400);

      // CSRF: a forged token, none at all, another session's — on a case action, the report form and the login form
      const before = (await s.ws.deps.store.transaction((tx) => tx.audit.list({ limit: 1000 }))).length;
      for (const token of ['forged-token', '']) {
        r = await admin.post(`/workspace/cases/${ref}/transition`, { _csrf: token, to: 'triaging', reason: 'x' });
        assert.equal(r.statusCode, 403, `token '${token}'`);
        assert.match(r.body, /security token does not match your session/);
        assertClean(r.body, 'csrf');
      }
      const other = new Client(s.app);
      await other.login('ada@example.org');
      r = await admin.post(`/workspace/cases/${ref}/transition`, { _csrf: other.csrf, to: 'triaging', reason: 'x' });
      assert.equal(r.statusCode, 403, "another session's token");
      const stranger = new Client(s.app);
      r = await stranger.post('/workspace/report', { _csrf: 'x'.repeat(32), distribution: 'Foo-Bar', affectedVersions: '< 1.0', description: 'A report long enough to be accepted.', reporterEmail: 'r@example.org' });
      assert.equal(r.statusCode, 403, 'a form from elsewhere (no CSRF cookie)');
      await stranger.get('/workspace/login');
      r = await stranger.post('/workspace/login', { _csrf: 'forged'.repeat(6), email: 'ada@example.org', password: 'x' });
      assert.equal(r.statusCode, 403, 'login CSRF');
      assert.equal((await s.ws.deps.store.transaction((tx) => tx.audit.list({ limit: 1000 }))).length, before, 'nothing was done');
      r = await admin.post(`/workspace/cases/${ref}/transition`, { to: 'triaging', reason: 'now with the token' });
      assert.equal(r.statusCode, 303);
    });
  });
}
