/**
 * The workspace's JSON API, on SQLite and PostgreSQL: intake acknowledged with the reference, the
 * whole case flow with API tokens, sessions that must send the CSRF header, read-only tokens,
 * and the error shape.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, tokenFor, workspaceServer } from './harness.js';
import { redeemInvitation, ANONYMOUS, accountActor } from '../../src/disclosure/index.js';

for (const backend of BACKENDS) {
  describe(`the workspace API on ${backend.name}`, { skip: backend.skip }, () => {
    test('intake, triage, author, draft and publication through /api', async () => {
      const s = await workspaceServer(backend);
      const call = async (method: string, url: string, token: string | undefined, body?: unknown) => {
        const r = await s.app.inject({ method: method as 'GET', url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
        return { status: r.statusCode, body: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {}, headers: r.headers };
      };

      const filed = await call('POST', '/api/reports', undefined, {
        distribution: 'Foo-Bar',
        affectedVersions: ['<= 1.23'],
        description: 'Foo::Bar::extract follows symlinks in archives and writes outside the target directory.',
        reporterEmail: 'rita@example.org',
      });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const ref = filed.body.reference as string;
      assert.match(ref, /^CPANSEC-2026-/);
      assert.equal(filed.headers.location, `/workspace/cases/${ref}`);
      assert.match(filed.body.message as string, /received as CPANSEC-/);

      const max = await addUser(s.ws, 'max', 'member');
      const token = await tokenFor(s.ws, max, false);
      const readOnly = await tokenFor(s.ws, max, true);
      assert.deepEqual((await call('GET', '/api/me', token)).body, { kind: 'account', id: max.id, name: 'max', role: 'member', via: 'token', readOnly: false });
      assert.deepEqual((await call('GET', '/api/cases', readOnly)).body.cases && ((await call('GET', '/api/cases', readOnly)).body.cases as { reference: string }[]).map((c) => c.reference), [ref]);

      const step = async (method: string, url: string, body: unknown, status = 200) => {
        const r = await call(method, url, token, body);
        assert.equal(r.status, status, `${method} ${url}: ${JSON.stringify(r.body)}`);
        return r.body;
      };
      await step('POST', `/api/cases/${ref}/transitions`, { to: 'triaging', reason: 'looking' });
      const triage = await call('GET', `/api/cases/${ref}/triage`, readOnly);
      assert.equal((triage.body.scope as { rule: string }).rule, 'unknown-distribution');
      await step('POST', `/api/cases/${ref}/assessment`, { scope: { override: { inScope: true, reason: 'Foo-Bar is on CPAN (checked)' } }, cvss: ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N'], cwes: ['CWE-59'] });
      const accepted = await step('POST', `/api/cases/${ref}/transitions`, { to: 'accepted', reason: 'reproduced' });
      assert.equal(accepted.state, 'accepted');
      assert.equal((await step('PUT', `/api/cases/${ref}/embargo`, { endsAt: '2026-03-20', reason: 'agreed' })).embargo && 'ok', 'ok');
      const invited = await step('POST', `/api/cases/${ref}/author-invitations`, { email: 'author@cpan.example', name: 'Ann' }, 201);
      assert.equal((invited.case as { state: string }).state, 'author-contacted');
      const authorAccount = await redeemInvitation(s.ws.deps, ANONYMOUS, await invitationToken(s.ws, 'author@cpan.example'), { password: 'maintains foo bar since 2010' });
      const { createApiToken } = await import('../../src/disclosure/index.js');
      const authorToken = (await createApiToken(s.ws.deps, accountActor({ id: authorAccount.id, role: 'external', name: 'Ann' }), { name: 'ci', password: 'maintains foo bar since 2010' })).token;
      assert.equal((await call('POST', `/api/cases/${ref}/messages`, authorToken, { body: 'Fixed in 1.24.' })).status, 201);
      assert.equal((await call('POST', `/api/cases/${ref}/messages`, authorToken, { body: 'x', visibility: 'internal' })).status, 403);
      assert.equal((await call('POST', `/api/cases/${ref}/transitions`, authorToken, { to: 'fix-released', reason: '1.24 released' })).status, 200);
      const thread = await call('GET', `/api/cases/${ref}/messages`, readOnly);
      assert.deepEqual((thread.body.messages as { from: string; body: string }[]).map((m) => m.body), ['Fixed in 1.24.']);

      await step('POST', `/api/cases/${ref}/draft`, undefined, 201);
      await step('PUT', `/api/cases/${ref}/cve`, { cve: 'CVE-2026-1111' });
      const edited = await step('PATCH', `/api/cases/${ref}/draft`, {
        advisory: { description: 'Foo::Bar before 1.24 follows symlinks when extracting archives.', fixedVersions: ['>= 1.24'], references: ['https://metacpan.org/dist/Foo-Bar'] },
        cna: { title: 'Foo::Bar versions before 1.24 for Perl follow symlinks', author: 'AUTHOR' },
      });
      assert.deepEqual((edited.problems as { level: string }[]).filter((p) => p.level === 'error'), []);
      const cve = await call('GET', `/api/cases/${ref}/cve-record`, token);
      assert.deepEqual((cve.body.problems as { level: string }[]).filter((p) => p.level === 'error'), [], JSON.stringify(cve.body.problems));
      assert.equal(((cve.body.record as { cveMetadata: { cveId: string } }).cveMetadata).cveId, 'CVE-2026-1111');

      const refused = await call('POST', `/api/cases/${ref}/publish`, token, { reason: 'fixed' });
      assert.equal(refused.status, 409);
      assert.deepEqual(refused.body, { error: { code: 'CONFLICT', message: `${ref}: the case is under embargo until 2026-03-20T00:00:00.000Z`, field: ref } });
      assert.equal((await call('POST', `/api/cases/${ref}/publish`, readOnly, { reason: 'fixed' })).status, 403, 'a read-only token may not');
      s.clock.advanceDays(19);
      const published = await step('POST', `/api/cases/${ref}/publish`, { reason: 'fix released, embargo over' });
      assert.equal(published.advisory, 'CPANSA-Foo-Bar-2026-1111');
      assert.equal((await s.app.inject('/v1/vulns/CPANSA-Foo-Bar-2026-1111')).statusCode, 200);
      const audit = await call('GET', '/api/audit/verify', readOnly);
      assert.equal(audit.body.ok, true);
    });

    test('sessions need the CSRF header; tokens must be valid; answers are JSON errors', async () => {
      const s = await workspaceServer(backend);
      await addUser(s.ws, 'ada', 'admin');
      const browser = new Client(s.app);
      await browser.login('ada@example.org');
      const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const body = { distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: 'A description that is long enough to be a report.', reporterEmail: 'r@example.org' };
      const post = (headers: Record<string, string>) => s.app.inject({ method: 'POST', url: '/api/reports', payload: JSON.stringify(body), headers: { 'content-type': 'application/json', cookie, ...headers } });
      let r = await post({});
      assert.equal(r.statusCode, 403);
      assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'CSRF');
      assert.equal((await post({ 'x-csrf-token': 'forged' })).statusCode, 403);
      r = await post({ 'x-csrf-token': browser.csrf });
      assert.equal(r.statusCode, 201);

      r = await s.app.inject({ method: 'GET', url: '/api/cases', headers: { authorization: 'Bearer cpansec_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' } });
      assert.equal(r.statusCode, 401);
      assert.equal(r.headers['www-authenticate'], 'Bearer realm="cpansec"');
      r = await s.app.inject({ method: 'GET', url: '/api/nothing-here' });
      assert.deepEqual([r.statusCode, JSON.parse(r.body)], [404, { error: { code: 'NOT_FOUND', message: 'no such API endpoint' } }]);
      r = await s.app.inject({ method: 'POST', url: '/api/cvss', payload: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' } });
      assert.deepEqual(JSON.parse(r.body), { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, score: 9.8, severity: 'critical', nomenclature: 'CVSS-B' });
      // Safety is a value of the environmental MSI/MSA only, not of the base SC/SI/SA (FIRST's schema)
      r = await s.app.inject({ method: 'POST', url: '/api/cvss', payload: { vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N' } });
      assert.deepEqual([r.statusCode, JSON.parse(r.body).error.message], [400, "cvss: CVSS vector 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N': 'S' is not a value of SC (one of X, H, L, N)"]);
    });
  });
}
