/**
 * Pre-notification of downstream packagers, attacked as the author's trust rules are, on SQLite and
 * PostgreSQL: an administrator makes a downstream account; the team shares one case with it under
 * embargo (audited, mailed); the packager reads the team's summary, the versions and the fix patch
 * — and through every page and API route they can reach finds nothing else: not who reported, not
 * the report's words, the thread, the draft, other files, other cases, nor the case's state. They
 * change nothing. A packager it was never shared with, and the same packager once the share is
 * revoked, find nothing at all (404, as for an id never issued).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  assessCase,
  createDraft,
  editDraft,
  fileReport,
  inviteAuthor,
  postMessage,
  redeemInvitation,
  setEmbargo,
  transitionCase,
} from '../../src/disclosure/index.js';
import { PATCH } from '../disclosure/attachment-samples.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, outbox, PASSWORD, tokenFor, workspaceServer } from './harness.js';

const SUMMARY = 'Foo::Bar before 1.24 writes outside the extraction directory; apply fix.patch or upgrade.';
/** What a packager must never read. */
const SECRETS = {
  reporterName: 'Rita Reporterson',
  reporterEmail: 'rita@example.org',
  credit: 'Acme Security Lab',
  description: 'quokka-symlink-traversal',
  proof: 'POC-MARK-4411',
  reportFile: 'rita-poc.pl',
  sharedMessage: 'SHARED-MESSAGE-7781',
  internalNote: 'INTERNAL-NOTE-5512',
  internalFile: 'team-notes.txt',
  otherPatch: 'other-try.patch',
  draftTitle: 'DRAFT-TITLE-9001',
  authorName: 'Aut Horsky',
  otherCase: 'Secret-Other-Dist',
  cve: 'CVE-2026-77001',
};

function leaks(body: string): string[] {
  return Object.entries(SECRETS).filter(([, v]) => body.includes(v)).map(([k]) => k);
}

for (const backend of BACKENDS) {
  describe(`downstream packagers on ${backend.name}`, { skip: backend.skip }, () => {
    test('a packager reads the summary and the fix of the case shared with them, and nothing else; after the share ends, nothing', async () => {
      const s = await workspaceServer(backend, { seed: 'downstream' });
      const d = s.ws.deps;
      const adaAccount = await addUser(s.ws, 'ada', 'admin');
      const ada = accountActor(adaAccount);
      const team = new Client(s.app);
      await team.login('ada@example.org');

      // an administrator makes the downstream account; its owner sets the password through the mailed link
      await team.get('/workspace/admin');
      assert.match((await team.get('/workspace/admin')).body, /<option value="downstream">/);
      let r = await team.post('/workspace/admin/accounts', { email: 'pkg@distro.example', name: 'Distro Packagers', role: 'downstream' });
      assert.equal(r.statusCode, 200);
      await redeemInvitation(d, ANONYMOUS, await invitationToken(s.ws, 'pkg@distro.example'), { password: PASSWORD });
      const pkgAccount = (await d.store.transaction((tx) => tx.accounts.getByEmailKey('pkg@distro.example')))!;
      assert.equal(pkgAccount.role, 'downstream');
      await addUser(s.ws, 'stranger', 'downstream');

      // the case, with everything a packager must not see
      const ref = (await fileReport(d, ANONYMOUS, {
        distribution: 'Foo-Bar',
        affectedVersions: ['< 1.24'],
        description: `Foo::Bar::extract has a ${SECRETS.description} reachable from any archive.`,
        proof: `perl -MFoo::Bar -e 'extract(q{${SECRETS.proof}})'`,
        reporterName: SECRETS.reporterName,
        reporterEmail: SECRETS.reporterEmail,
        credit: SECRETS.credit,
      }, { attachments: [{ fileName: SECRETS.reportFile, content: Buffer.from('print 1;\n') }] })).acknowledgement.reference;
      const otherRef = (await fileReport(d, ANONYMOUS, { distribution: SECRETS.otherCase, affectedVersions: ['< 2'], description: 'Another case, shared with nobody at all.', reporterEmail: 'olga@example.org' }, { attachments: [{ fileName: 'olga.txt', content: Buffer.from('olga') }] })).acknowledgement.reference;
      await transitionCase(d, ada, ref, 'triaging', 'looking');
      await assessCase(d, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } }, fixedVersions: ['>= 1.24'] });
      await transitionCase(d, ada, ref, 'accepted', 'reproduced');
      await setEmbargo(d, ada, ref, '2026-03-20', 'agreed with the reporter');
      await inviteAuthor(d, ada, ref, { email: 'author@cpan.example', name: SECRETS.authorName });
      await redeemInvitation(d, ANONYMOUS, await invitationToken(s.ws, 'author@cpan.example'), { password: 'maintains foo bar since 2010', name: SECRETS.authorName });
      await postMessage(d, ada, ref, { body: SECRETS.internalNote, visibility: 'internal', attachments: [{ fileName: SECRETS.internalFile, content: Buffer.from('team only') }] });
      await postMessage(d, ada, ref, { body: SECRETS.sharedMessage, attachments: [{ fileName: 'fix.patch', content: Buffer.from(PATCH) }, { fileName: SECRETS.otherPatch, content: Buffer.from(PATCH.replace('unsafe', 'bad')) }] });
      await createDraft(d, ada, ref);
      await editDraft(d, ada, ref, { cna: { title: `Foo::Bar ${SECRETS.draftTitle}` } });
      await d.store.transaction(async (tx) => {
        const c = (await tx.cases.getByReference(ref))!;
        await tx.cases.update({ ...c, version: c.version + 1, cve: SECRETS.cve });
      });
      const files = await d.store.transaction(async (tx) => tx.attachments.listByCase((await tx.cases.getByReference(ref))!.id));
      const idOf = (name: string) => files.find((f) => f.fileName === name)!.id;
      const olgaFile = (await d.store.transaction(async (tx) => tx.attachments.listByCase((await tx.cases.getByReference(otherRef))!.id)))[0]!.id;

      // the team's form refuses what it must: a file that is no patch, an account that is no packager
      await team.get(`/workspace/cases/${ref}?tab=downstream`);
      r = await team.post(`/workspace/cases/${ref}/downstream`, { accountId: pkgAccount.id, summary: SUMMARY, fixAttachmentId: idOf(SECRETS.reportFile) });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /is not a patch/);
      const author = (await d.store.transaction((tx) => tx.accounts.getByEmailKey('author@cpan.example')))!;
      r = await team.post(`/workspace/cases/${ref}/downstream`, { accountId: author.id, summary: SUMMARY, fixAttachmentId: '' });
      assert.match(r.body, /is not an enabled downstream account/);
      // shared: the packager is told by mail (reference and link only), the audit log says who and when
      r = await team.post(`/workspace/cases/${ref}/downstream`, { accountId: pkgAccount.id, summary: SUMMARY, fixAttachmentId: idOf('fix.patch') });
      assert.equal(r.statusCode, 303, r.body.slice(0, 400));
      const mail = (await outbox(s.ws)).filter((m) => m.to === 'pkg@distro.example').at(-1)!;
      assert.match(mail.subject, new RegExp(`\\[${ref}\\] Pre-notification under embargo`));
      assert.deepEqual(leaks(mail.body), []);
      const trail = JSON.parse((await s.app.inject({ url: `/api/cases/${ref}/audit`, headers: { authorization: `Bearer ${await tokenFor(s.ws, adaAccount, true)}` } })).body);
      assert.ok(trail.entries.some((e: { action: string; data: { accountId?: string } }) => e.action === 'downstream.shared' && e.data.accountId === pkgAccount.id));

      // the packager, in the browser and through the API
      const pkg = new Client(s.app);
      await pkg.login('pkg@distro.example');
      const token = await tokenFor(s.ws, pkgAccount, false);
      const api = (url: string, o: { method?: string; payload?: object } = {}) => s.app.inject({ url, method: (o.method ?? 'GET') as 'GET', headers: { authorization: `Bearer ${token}` }, ...(o.payload ? { payload: o.payload } : {}) });
      const seen: [string, number, string][] = [];
      const look = async (what: string, r2: { statusCode: number; body: string }) => {
        seen.push([what, r2.statusCode, r2.body]);
        return r2;
      };

      const page = await look('case page', await pkg.get(`/workspace/cases/${ref}`));
      assert.equal(page.statusCode, 200);
      for (const shown of [SUMMARY.replace(/'/g, '&#39;'), '&gt;= 1.24', '&lt; 1.24', 'fix.patch', '2026-03-20', 'Under embargo']) assert.ok(page.body.includes(shown), `the packager reads ${shown}`);
      for (const tab of ['discussion', 'draft', 'audit', 'triage', 'contact', 'downstream']) await look(`tab ${tab}`, await pkg.get(`/workspace/cases/${ref}?tab=${tab}`));
      const list = await look('dashboard', await pkg.get('/workspace'));
      assert.ok(list.body.includes(ref) && !list.body.includes(otherRef));
      await look('case list', await pkg.get('/workspace/cases?state=accepted'));
      for (const path of ['/draft', '/edit', '/advisory.yml', '/cve.json', '/cvss/3.1']) {
        const x = await look(path, await pkg.get(`/workspace/cases/${ref}${path}`));
        assert.equal(x.statusCode, 403, `${path}: ${x.statusCode}`);
      }
      const fix = await pkg.get(`/workspace/cases/${ref}/attachments/${idOf('fix.patch')}`);
      assert.equal(fix.statusCode, 200);
      assert.match(String(fix.headers['content-disposition']), /^attachment; filename="?fix\.patch/);
      assert.equal(fix.body, PATCH);
      for (const name of [SECRETS.reportFile, SECRETS.internalFile, SECRETS.otherPatch]) {
        assert.equal((await look(`file ${name}`, await pkg.get(`/workspace/cases/${ref}/attachments/${idOf(name)}`))).statusCode, 404, name);
        assert.equal((await look(`API file ${name}`, await api(`/api/cases/${ref}/attachments/${idOf(name)}`))).statusCode, 404, name);
      }

      const mine = JSON.parse((await look('API list', await api('/api/cases'))).body).cases;
      assert.deepEqual(mine.map((c: object) => Object.keys(c).sort()), [['distribution', 'embargoEndsAt', 'reference', 'sharedAt']], 'no state, no dates of the report');
      assert.deepEqual(JSON.parse((await look('API list by state', await api('/api/cases?state=rejected'))).body).cases.length, 1, 'a state filter tells nothing');
      const view = JSON.parse((await look('API downstream view', await api(`/api/cases/${ref}/downstream`))).body);
      assert.deepEqual(Object.keys(view).sort(), ['affectedVersions', 'distribution', 'embargoEndsAt', 'fix', 'fixedVersions', 'reference', 'summary']);
      assert.equal(view.summary, SUMMARY);
      assert.deepEqual(view.fixedVersions, ['>= 1.24']);
      assert.equal(view.fix.fileName, 'fix.patch');
      for (const path of ['', '/messages', '/draft', '/audit', '/triage', '/cve-record']) {
        assert.equal((await look(`API ${path}`, await api(`/api/cases/${ref}${path}`))).statusCode, 403, path);
      }
      // they change nothing
      for (const [method, path, payload] of [
        ['POST', '/messages', { body: 'hello' }],
        ['PATCH', '/report', { description: 'changed by a packager, long enough' }],
        ['POST', '/transitions', { to: 'fix-released', reason: 'shipped' }],
        ['POST', '/downstream-shares', { summary: 'a packager rewrites the summary for all' }],
        ['POST', `/downstream-shares/${pkgAccount.id}/revoke`, { reason: 'x' }],
        ['PUT', '/embargo', { endsAt: '2026-03-05', reason: 'sooner' }],
      ] as const) {
        assert.equal((await look(`API ${method} ${path}`, await api(`/api/cases/${ref}${path}`, { method, payload }))).statusCode, 403, `${method} ${path}`);
      }
      // another case does not exist for them, nor its files, by any route
      for (const url of [`/api/cases/${otherRef}`, `/api/cases/${otherRef}/downstream`, `/api/cases/${otherRef}/attachments/${olgaFile}`, `/api/cases/${ref}/attachments/${olgaFile}`]) {
        assert.equal((await look(url, await api(url))).statusCode, 404, url);
      }
      assert.equal((await look('other case page', await pkg.get(`/workspace/cases/${otherRef}`))).statusCode, 404);

      const leaked = seen.flatMap(([what, , body]) => leaks(body).map((k) => `${what} shows ${k}`));
      assert.deepEqual(leaked, []);

      // the people on the case do not learn who is pre-notified; the team does
      const authorClient = new Client(s.app);
      await authorClient.login('author@cpan.example', 'maintains foo bar since 2010');
      const authorView = (await authorClient.get(`/workspace/cases/${ref}`)).body + (await s.app.inject({ url: `/api/cases/${ref}`, headers: { cookie: [...authorClient.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })).body;
      assert.ok(!authorView.includes('Distro Packagers') && !authorView.includes('"downstream"'));
      assert.match((await team.get(`/workspace/cases/${ref}?tab=downstream`)).body, /Distro Packagers[\s\S]*shared now/);

      // a packager it was never shared with: nothing
      const stranger = await tokenFor(s.ws, (await d.store.transaction((tx) => tx.accounts.getByEmailKey('stranger@example.org')))!, true);
      for (const url of [`/api/cases/${ref}`, `/api/cases/${ref}/downstream`, `/api/cases/${ref}/attachments/${idOf('fix.patch')}`]) {
        assert.equal((await s.app.inject({ url, headers: { authorization: `Bearer ${stranger}` } })).statusCode, 404, url);
      }

      // the share ends: the case no longer exists for the packager, by page, list, API or file
      await team.get(`/workspace/cases/${ref}?tab=downstream`);
      r = await team.post(`/workspace/cases/${ref}/downstream/${pkgAccount.id}/revoke`, { reason: 'their embargo policy changed' });
      assert.equal(r.statusCode, 303);
      assert.equal((await pkg.get(`/workspace/cases/${ref}`)).statusCode, 404);
      assert.ok(!(await pkg.get('/workspace/cases')).body.includes(ref));
      assert.deepEqual(JSON.parse((await api('/api/cases')).body).cases, []);
      for (const url of [`/api/cases/${ref}`, `/api/cases/${ref}/downstream`, `/api/cases/${ref}/attachments/${idOf('fix.patch')}`]) {
        assert.equal((await api(url)).statusCode, 404, url);
      }
      assert.equal((await pkg.get(`/workspace/cases/${ref}/attachments/${idOf('fix.patch')}`)).statusCode, 404);
      const after = JSON.parse((await s.app.inject({ url: `/api/cases/${ref}/audit`, headers: { authorization: `Bearer ${await tokenFor(s.ws, adaAccount, true)}` } })).body);
      assert.ok(after.entries.some((e: { action: string; reason: string }) => e.action === 'downstream.revoked' && e.reason === 'their embargo policy changed'));
    });

    test('sharing needs an accepted case and the team; only the team sees with whom it is shared', async () => {
      const s = await workspaceServer(backend, { seed: 'downstream-rules' });
      const d = s.ws.deps;
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const pkg = await addUser(s.ws, 'pkg', 'downstream');
      const ref = (await fileReport(d, ANONYMOUS, { distribution: 'Foo-Bar', affectedVersions: ['< 1.24'], description: 'Foo::Bar::extract follows symlinks in archives.', reporterEmail: 'rita@example.org' })).acknowledgement.reference;
      const share = (token: string) => s.app.inject({ method: 'POST', url: `/api/cases/${ref}/downstream-shares`, headers: { authorization: `Bearer ${token}` }, payload: { accountId: pkg.id, summary: SUMMARY } });
      const adaToken = await tokenFor(s.ws, (await d.store.transaction((tx) => tx.accounts.getByEmailKey('ada@example.org')))!, false);
      let r = await share(adaToken);
      assert.equal(r.statusCode, 409, 'a case not accepted yet');
      assert.match(r.body, /not accepted/);
      await transitionCase(d, ada, ref, 'triaging', 'looking');
      await assessCase(d, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(d, ada, ref, 'accepted', 'reproduced');
      r = await share(adaToken);
      assert.equal(r.statusCode, 201, r.body);
      assert.deepEqual(JSON.parse(r.body).downstream.shares.map((x: { name: string; revokedAt: null }) => [x.name, x.revokedAt]), [['pkg', null]]);
      // a member's read-only token, the packager's own token: refused
      assert.equal((await share(await tokenFor(s.ws, await addUser(s.ws, 'mo', 'member'), true))).statusCode, 403);
      assert.equal((await share(await tokenFor(s.ws, pkg, false))).statusCode, 403);
      // shared twice: one share; revoked twice: the second is 404
      r = await share(adaToken);
      assert.equal(JSON.parse(r.body).downstream.shares.length, 1);
      const revoke = () => s.app.inject({ method: 'POST', url: `/api/cases/${ref}/downstream-shares/${pkg.id}/revoke`, headers: { authorization: `Bearer ${adaToken}` }, payload: { reason: 'done' } });
      assert.equal((await revoke()).statusCode, 200);
      assert.equal((await revoke()).statusCode, 404);
    });
  });
}
