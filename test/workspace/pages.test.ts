/**
 * The whole flow through the workspace's pages (forms, redirects, error summaries), on SQLite and
 * PostgreSQL: a reporter files and claims the case, a member triages, rates with the CVSS editor,
 * sets an embargo and invites the author, the author answers, the draft is checked, publishing is
 * refused under embargo and succeeds after it — and the advisory is then on the public site, in
 * the feed and the OSV API. Another reporter sees nothing of the case.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, outbox, workspaceServer } from './harness.js';

const REF = /CPANSEC-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/;

for (const backend of BACKENDS) {
  describe(`the workspace pages on ${backend.name}`, { skip: backend.skip }, () => {
    test('report → triage → embargo → author → draft → publication after the embargo', async () => {
      const s = await workspaceServer(backend);
      const reporter = new Client(s.app);
      let r = await reporter.get('/workspace/report');
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /<label for="f-report-distribution">Distribution/);

      // a mistake comes back with the error next to the field, and what was typed
      r = await reporter.post('/workspace/report', { distribution: 'Mojo::DOM', affectedVersions: '< 9.40', description: 'too short', reporterEmail: 'rita@example.org' });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /class="error-summary" role="alert"/);
      assert.match(r.body, /<a href="#f-report-distribution">Mojo::DOM is in the Mojolicious distribution: give Mojolicious/);
      assert.match(r.body, /aria-invalid="true"/);
      assert.match(r.body, /value="rita@example.org"/);

      r = await reporter.post('/workspace/report', {
        distribution: 'Mojolicious',
        affectedVersions: '< 9.40',
        description: 'Mojo::DOM does not escape attribute values in to_string, allowing cross-site scripting.',
        proof: 'perl -MMojo::DOM -E "say Mojo::DOM->new(q{<a>})"',
        reporterName: 'Rita',
        reporterEmail: 'rita@example.org',
        credit: 'Rita Reporter',
      });
      assert.equal(r.statusCode, 200);
      const ref = REF.exec(r.body)![0];
      assert.match(r.body, /Report received/);
      const mails = await outbox(s.ws);
      assert.deepEqual(mails.map((m) => m.to).sort(), ['rita@example.org', s.ws.settings.teamAddress].sort());
      assert.ok(mails.every((m) => !m.body.includes('to_string')), 'mail carries no report content');

      // the reporter claims the case with the mailed link and is logged in
      const claim = await invitationToken(s.ws, 'rita@example.org');
      r = await reporter.get(`/workspace/invitations/${claim}`);
      assert.equal(r.statusCode, 200);
      r = await reporter.post(`/workspace/invitations/${claim}`, { name: 'Rita', password: 'she reports bugs often' });
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, `/workspace/cases/${ref}?done=welcome`);
      r = await reporter.get(String(r.headers.location));
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /Welcome: your access is set up/);
      assert.doesNotMatch(r.body, /Audit log/, 'reporters do not see the audit log');
      r = await reporter.get(`/workspace/invitations/${claim}`);
      assert.equal(r.statusCode, 409, 'a used link says so');

      // a team member triages
      await addUser(s.ws, 'max', 'member');
      const member = new Client(s.app);
      await member.login('max@example.org');
      r = await member.get('/workspace');
      assert.match(r.body, new RegExp(ref));
      r = await member.post(`/workspace/cases/${ref}/transition`, { to: 'triaging', reason: 'looking at it' });
      assert.equal(r.statusCode, 303);
      r = await member.post(`/workspace/cases/${ref}/transition`, { to: 'accepted', reason: 'reproduced' });
      assert.equal(r.statusCode, 409);
      assert.match(r.body, /record the scope decision before accepting the case/);
      r = await member.get(`/workspace/cases/${ref}?tab=triage`);
      assert.match(r.body, /<code>cpan-distribution<\/code>/, 'the rule that decides');
      assert.match(r.body, /href="\/advisories\/CPANSA-Mojolicious-/, 'the existing advisories of the distribution');
      r = await member.post(`/workspace/cases/${ref}/scope`, { component: 'own-code', library: '', override: '', overrideReason: '' });
      assert.equal(r.statusCode, 303);

      // the CVSS editor computes the score on the server
      r = await member.get(`/workspace/cases/${ref}/cvss/3.1`);
      assert.match(r.body, /<legend>Attack Vector \(AV\)<\/legend>/);
      const v31 = { AV: 'N', AC: 'L', PR: 'N', UI: 'R', S: 'C', C: 'L', I: 'L', A: 'N' };
      r = await member.post(`/workspace/cases/${ref}/cvss/3.1`, { ...v31, action: 'calculate' });
      assert.equal(r.statusCode, 200);
      assert.match(r.body, /<code id="cvss-vector" data-cvss-vector>CVSS:3.1\/AV:N\/AC:L\/PR:N\/UI:R\/S:C\/C:L\/I:L\/A:N<\/code>/);
      assert.match(r.body, /<strong id="cvss-score" data-cvss-score>6.1<\/strong> \(<span data-cvss-severity>medium/);
      r = await member.post(`/workspace/cases/${ref}/cvss/3.1`, { ...v31, AV: '', action: 'calculate' });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /choose a value for Attack Vector/);
      r = await member.post(`/workspace/cases/${ref}/cvss/3.1`, { ...v31, action: 'save' });
      assert.equal(r.statusCode, 303);
      r = await member.post(`/workspace/cases/${ref}/cvss/4.0`, { AV: 'N', AC: 'L', AT: 'N', PR: 'N', UI: 'P', VC: 'L', VI: 'L', VA: 'N', SC: 'L', SI: 'L', SA: 'N', action: 'save' });
      assert.equal(r.statusCode, 303);
      r = await member.get(`/workspace/cases/${ref}?tab=triage`);
      assert.match(r.body, /CVSS:3.1\/AV:N\/AC:L\/PR:N\/UI:R\/S:C\/C:L\/I:L\/A:N<\/code>: 6.1/);
      assert.match(r.body, /CVSS:4.0\/AV:N\/AC:L\/AT:N\/PR:N\/UI:P\/VC:L\/VI:L\/VA:N\/SC:L\/SI:L\/SA:N<\/code>: 5.3/);
      r = await member.post(`/workspace/cases/${ref}/transition`, { to: 'accepted', reason: 'reproduced' });
      assert.equal(r.statusCode, 303);
      r = await member.post(`/workspace/cases/${ref}/embargo`, { endsAt: '2026-03-30', reason: 'agreed with the reporter' });
      assert.equal(r.statusCode, 303);
      r = await member.get(`/workspace/cases/${ref}`);
      assert.match(r.body, /Under embargo until/);

      // the author is invited, joins, and answers in the thread
      r = await member.post(`/workspace/cases/${ref}/invite-author`, { email: 'sri@cpan.example', name: 'Sebastian' });
      assert.equal(r.statusCode, 303);
      const author = new Client(s.app);
      const inv = await invitationToken(s.ws, 'sri@cpan.example');
      await author.get(`/workspace/invitations/${inv}`);
      r = await author.post(`/workspace/invitations/${inv}`, { name: 'Sebastian', password: 'the author of mojo' });
      assert.equal(r.headers.location, `/workspace/cases/${ref}?done=welcome`);
      r = await author.get(`/workspace/cases/${ref}`);
      assert.equal(r.statusCode, 200);
      assert.doesNotMatch(r.body, /rita@example.org/, "the author does not see the reporter's address");
      assert.doesNotMatch(r.body, /Triage|Scope decision/);
      r = await author.post(`/workspace/cases/${ref}/messages`, { body: 'Confirmed; 9.40 will fix it.' });
      assert.equal(r.statusCode, 303);
      await member.post(`/workspace/cases/${ref}/messages`, { body: 'The author is responsive.', visibility: 'internal' });
      r = await reporter.get(`/workspace/cases/${ref}?tab=discussion`);
      assert.match(r.body, /Sebastian \(author\)/);
      assert.match(r.body, /Confirmed; 9.40 will fix it./);
      assert.doesNotMatch(r.body, /The author is responsive/, 'internal notes stay with the team');
      r = await author.post(`/workspace/cases/${ref}/transition`, { to: 'fix-released', reason: '9.40 is on CPAN' });
      assert.equal(r.statusCode, 303);

      // the draft, checked by the linters and schemas, refused under embargo
      r = await member.post(`/workspace/cases/${ref}/draft`);
      assert.equal(r.statusCode, 303);
      r = await member.get(`/workspace/cases/${ref}/draft`);
      assert.match(r.body, /Advisory linter: \d+ error/);
      r = await member.post(`/workspace/cases/${ref}/cve`, { cve: 'CVE-2026-4242' });
      assert.equal(r.statusCode, 303);
      r = await member.post(`/workspace/cases/${ref}/draft/edit`, {
        'advisory.description': 'Mojolicious versions before 9.40 for Perl allow cross-site scripting in Mojo::DOM.',
        'advisory.affectedVersions': '< 9.40',
        'advisory.fixedVersions': '>= 9.40',
        'advisory.severity': 'medium',
        'advisory.cvss': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
        'advisory.references': '',
        'advisory.comment': '',
        'cna.title': 'Mojolicious versions before 9.40 for Perl allow cross-site scripting',
        'cna.module': 'Mojo::DOM',
        'cna.author': 'SRI',
        'cna.repo': 'https://github.com/mojolicious/mojo',
        'cna.cwes': 'CWE-79 Improper Neutralization of Input During Web Page Generation (Cross-site Scripting)',
        'cna.credits': 'finder: Rita Reporter',
        'cna.references': 'https://metacpan.org/release/SRI/Mojolicious-9.40/changes release-notes Changes',
      });
      assert.equal(r.statusCode, 303, r.body.slice(0, 2000));
      r = await member.get(`/workspace/cases/${ref}/draft`);
      assert.match(r.body, /Advisory linter: no problems|Advisory linter: 0 error/);
      assert.match(r.body, /CVE record \(CNA schema, CNA lint rules, CVE JSON 5 schema\)(: no problems|: 0 error)/);
      r = await member.get(`/workspace/cases/${ref}/cve.json`);
      assert.equal(r.statusCode, 200);
      assert.equal((JSON.parse(r.body) as { cveMetadata: { cveId: string } }).cveMetadata.cveId, 'CVE-2026-4242');
      r = await member.post(`/workspace/cases/${ref}/publish`, { reason: 'fix released' });
      assert.equal(r.statusCode, 409);
      assert.match(r.body, /under embargo until 2026-03-30/);
      assert.equal((await s.app.inject('/v1/vulns/CPANSA-Mojolicious-2026-4242')).statusCode, 404);

      // another reporter sees nothing of it, by list or by a guessed address
      const olga = new Client(s.app);
      await olga.get('/workspace/report');
      r = await olga.post('/workspace/report', { distribution: 'Foo-Bar', affectedVersions: '<= 1.0', description: 'Foo::Bar evaluates user input as code in its template engine.', reporterEmail: 'olga@example.org' });
      const olgaRef = REF.exec(r.body)![0];
      const olgaClaim = await invitationToken(s.ws, 'olga@example.org');
      await olga.get(`/workspace/invitations/${olgaClaim}`);
      await olga.post(`/workspace/invitations/${olgaClaim}`, { password: 'finds bugs in templates' });
      r = await olga.get('/workspace/cases');
      assert.match(r.body, new RegExp(olgaRef));
      assert.doesNotMatch(r.body, new RegExp(ref));
      for (const url of [`/workspace/cases/${ref}`, `/workspace/cases/${ref}/draft`, `/workspace/cases/${ref.toLowerCase()}`, '/workspace/cases/CPANSEC-2026-0000-0000']) {
        r = await olga.get(url);
        assert.equal(r.statusCode, 404, url);
        assert.doesNotMatch(r.body, /Mojolicious/, url);
      }
      // after the embargo (the server's clock, not a sleep) it is published everywhere at once
      s.clock.advanceDays(29);
      r = await member.get(`/workspace/cases/${ref}`);
      assert.equal(r.statusCode, 303, 'the session ended (12 hours at most)');
      await member.login('max@example.org');
      r = await member.get('/workspace');
      assert.match(r.body, /Embargo expired, not published/, 'an expired embargo is flagged, never published silently');
      r = await member.post(`/workspace/cases/${ref}/publish`, { reason: 'fix released, embargo over' });
      assert.equal(r.statusCode, 303, r.body.slice(0, 3000));
      assert.equal((await s.app.inject('/advisories/CPANSA-Mojolicious-2026-4242')).statusCode, 200);
      assert.match((await s.app.inject('/feed.atom')).body, /CPANSA-Mojolicious-2026-4242/);
      const osv = await s.app.inject('/v1/vulns/CPANSA-Mojolicious-2026-4242');
      assert.equal(osv.statusCode, 200);
      assert.deepEqual((JSON.parse(osv.body) as { aliases: string[] }).aliases, ['CVE-2026-4242']);
      // once published, someone not on the case is sent to the public advisory, never the case
      await olga.login('olga@example.org', 'finds bugs in templates');
      r = await olga.get(`/workspace/cases/${ref}`);
      assert.deepEqual([r.statusCode, r.headers.location], [303, '/advisories/CPANSA-Mojolicious-2026-4242']);
      assert.equal((await olga.get(`/workspace/cases/${ref}/draft`)).statusCode, 403);

    });
  });
}
