/**
 * The embargoed never reaches a public surface: a case ready to publish but under embargo, and
 * every public answer of the server — site pages, search, feeds, the OSV API, the MetaCPAN API,
 * the downloads, `cpansec db export` of the same store and the OSV and CVE exports made from it —
 * holds nothing of it. After the embargo (the server's clock moved, no sleep) it is published and
 * then shows on each of them, which also proves the checks above would have seen it. The case's files (of the report, of a
 * shared message, of an internal note) are on no public surface before publication nor after it:
 * files are never public, and their download route answers nobody without a session on the case.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  assignCve,
  createDraft,
  editDraft,
  fileReport,
  accountActor,
  postMessage,
  setEmbargo,
  transitionCase,
} from '../../src/disclosure/index.js';
import { readJsonZip } from '../../src/publish/index.js';
import { cli } from '../helpers/cli.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, tokenFor, workspaceServer, type WorkspaceServer } from './harness.js';

const DIST = 'Embargoed-Secret-Dist';
const ID = 'CPANSA-Embargoed-Secret-Dist-2026-31337';
const CVE = 'CVE-2026-31337';
const WORDS = 'quixotic-zebra-overflow';
/** names and contents of the case's files: never public, not even once the advisory is */
const FILE_MARKERS = ['zebra-exploit-7731.pl', 'ATTACHED-SECRET-PAYLOAD-5519', 'shared-trace-8842.log', 'SHARED-FILE-CONTENT-2290', 'internal-notes-6613.txt', 'INTERNAL-FILE-CONTENT-4471'];
const MARKERS = [DIST, 'Embargoed::Secret::Dist', ID, CVE, WORDS, ...FILE_MARKERS];

/** What a request itself says (its path segments and query values): a page may repeat it ("no results for …"), which is no leak. */
function echoOf(url: string): string[] {
  const u = new URL(url, 'http://x');
  return [...u.pathname.split('/').slice(2).map(decodeURIComponent), ...[...u.searchParams.values()]].filter((x) => x.length > 3).sort((a, b) => b.length - a.length);
}

/** Every public answer, as text (the zip's entries unpacked), without what the request itself said. */
async function publicSurfaces(s: WorkspaceServer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const get = async (url: string) => {
    const r = await s.app.inject({ method: 'GET', url });
    let body = r.body;
    for (const echo of echoOf(url)) body = body.split(echo).join('').split(encodeURIComponent(echo)).join('');
    out.set(`GET ${url} (${r.statusCode})`, body);
  };
  for (const url of [
    '/',
    '/advisories',
    '/advisories?page=2',
    '/advisories?page=21',
    `/advisories/${ID}`,
    '/distributions',
    `/distributions/${DIST}`,
    `/modules/Embargoed::Secret::Dist`,
    `/distributions/${DIST}/feed.atom`,
    `/distributions/${DIST}/feed.rss`,
    '/feed.atom',
    '/feed.rss',
    '/stats',
    ...['any', 'distribution', 'module', 'cve', 'id', 'text'].flatMap((kind) => [`/search?q=${DIST}&kind=${kind}`, `/search?q=${CVE}&kind=${kind}`, `/search?q=${WORDS}&kind=${kind}`]),
    `/v1/vulns/${ID}`,
    `/v1/vulns/${CVE}`,
    `/v1/metacpan/distribution/${DIST}`,
    `/v1/metacpan/release/${DIST}/1.0`,
    `/v1/metacpan/module/Embargoed::Secret::Dist/1.0`,
    '/v1/download/cpansa.json',
    '/openapi.json',
    '/healthz',
  ]) {
    await get(url);
  }
  for (const payload of [{ package: { name: DIST, ecosystem: 'CPAN' }, version: '1.0' }, { package: { name: DIST, ecosystem: 'CPAN' } }, { package: { purl: `pkg:cpan/${DIST}@1.0` } }]) {
    const r = await s.app.inject({ method: 'POST', url: '/v1/query', payload });
    out.set(`POST /v1/query ${JSON.stringify(payload)} (${r.statusCode})`, r.body);
  }
  const batch = await s.app.inject({ method: 'POST', url: '/v1/querybatch', payload: { queries: [{ package: { name: DIST, ecosystem: 'CPAN' }, version: '1.0' }] } });
  out.set('POST /v1/querybatch', batch.body);
  const zip = await s.app.inject({ method: 'GET', url: '/v1/download/osv/all.zip' });
  const entries = await readJsonZip(zip.rawPayload, 'all.zip');
  out.set('all.zip names', [...entries.keys()].join('\n'));
  out.set('all.zip contents', [...entries.values()].join('\n'));
  // the store's own export, by another process
  const where = s.store.dialect === 'sqlite' ? ['--data-dir', path.dirname(s.store.description)] : ['--database', s.store.description];
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cpansec-export-')), 'cpansa.json');
  const exported = cli(['db', 'export', file, ...where]);
  assert.equal(exported.status, 0, exported.stderr);
  out.set('cpansec db export', readFileSync(file, 'utf8'));
  // the OSV and CVE exports made from it
  for (const format of ['osv', 'cve5']) {
    const r = cli(['export', format, '--db', file]);
    assert.equal(r.status, 0, r.stderr);
    out.set(`cpansec export ${format}`, r.stdout);
  }
  rmSync(path.dirname(file), { recursive: true });
  return out;
}

function leaks(surfaces: Map<string, string>, markers = MARKERS): string[] {
  return [...surfaces].flatMap(([where, body]) => markers.filter((m) => body.includes(m)).map((m) => `${where} shows ${m}`));
}

/** The case's files asked for without a session on the case: a page sends to the login form, the API says 404. */
async function fileRoutes(s: WorkspaceServer, ref: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = await s.ws.deps.store.transaction(async (tx) => (await tx.attachments.listByCase((await tx.cases.getByReference(ref))!.id)).map((a) => a.id));
  assert.equal(ids.length, 3);
  for (const id of ids) {
    for (const url of [`/workspace/cases/${ref}/attachments/${id}`, `/api/cases/${ref}/attachments/${id}`]) {
      const r = await s.app.inject({ method: 'GET', url });
      assert.ok([303, 404].includes(r.statusCode), `${url}: ${r.statusCode}`);
      if (r.statusCode === 303) assert.match(String(r.headers.location), /^\/workspace\/login/);
      out.set(`GET ${url} (${r.statusCode})`, r.body);
    }
  }
  return out;
}

for (const backend of BACKENDS) {
  describe(`embargoes on ${backend.name}`, { skip: backend.skip }, () => {
    test('nothing of an embargoed case reaches a public surface before the end; all of it after publication', async () => {
      const s = await workspaceServer(backend);
      const max = accountActor(await addUser(s.ws, 'max', 'member'));
      const d = s.ws.deps;
      const { acknowledgement } = await fileReport(d, ANONYMOUS, {
        distribution: DIST,
        affectedVersions: ['< 1.5'],
        description: `Embargoed::Secret::Dist has a ${WORDS} in its parser, reachable from the network.`,
        reporterEmail: 'rita@example.org',
      }, { attachments: [{ fileName: 'zebra-exploit-7731.pl', content: Buffer.from('print "ATTACHED-SECRET-PAYLOAD-5519";\n') }] });
      const ref = acknowledgement.reference;
      await postMessage(d, max, ref, { body: 'a trace for the author', attachments: [{ fileName: 'shared-trace-8842.log', content: Buffer.from('SHARED-FILE-CONTENT-2290\n') }] });
      await postMessage(d, max, ref, { body: 'team notes', visibility: 'internal', attachments: [{ fileName: 'internal-notes-6613.txt', content: Buffer.from('INTERNAL-FILE-CONTENT-4471\n') }] });
      await transitionCase(d, max, ref, 'triaging', 'looking');
      await assessCase(d, max, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } }, cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'] });
      await transitionCase(d, max, ref, 'accepted', 'reproduced');
      await setEmbargo(d, max, ref, '2026-03-12', 'the author needs ten days');
      await transitionCase(d, max, ref, 'fix-in-progress', 'author at work');
      await transitionCase(d, max, ref, 'fix-released', '1.5 on CPAN');
      await createDraft(d, max, ref);
      await assignCve(d, max, ref, CVE);
      await editDraft(d, max, ref, {
        advisory: { description: `Embargoed::Secret::Dist before 1.5 has a ${WORDS}.`, fixedVersions: ['>= 1.5'], references: ['https://example.org/Embargoed-Secret-Dist/fix'] },
        cna: { title: 'Embargoed::Secret::Dist before 1.5 has an overflow', author: 'SECRET' },
      });

      const token = await tokenFor(s.ws, await addUser(s.ws, 'ada', 'admin'), false);
      const publish = () => s.app.inject({ method: 'POST', url: `/api/cases/${ref}/publish`, payload: { reason: 'fixed' }, headers: { authorization: `Bearer ${token}` } });
      const refused = await publish();
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /under embargo until 2026-03-12/);

      // a day before the end: nothing anywhere
      s.clock.advanceDays(9);
      assert.equal((await publish()).statusCode, 409);
      const before = await publicSurfaces(s);
      assert.ok(before.size > 40, `${before.size} surfaces`);
      assert.deepEqual(leaks(before), []);
      assert.deepEqual(leaks(await fileRoutes(s, ref)), []);

      // the end passes: nothing is published by time alone
      s.clock.advanceDays(2);
      assert.deepEqual(leaks(await publicSurfaces(s)), [], 'an expired embargo publishes nothing by itself');

      // published: on every surface at once
      const done = await publish();
      assert.equal(done.statusCode, 200, done.body);
      const after = await publicSurfaces(s);
      const shown = (where: string) => [...after].some(([k, body]) => k.startsWith(where) && [ID, CVE, WORDS].some((m) => body.includes(m)));
      // the advisory is public now; the case's files never are
      assert.deepEqual(leaks(after, FILE_MARKERS), []);
      assert.deepEqual(leaks(await fileRoutes(s, ref), FILE_MARKERS), []);
      for (const where of [`GET /advisories/${ID}`, `GET /distributions/${DIST} `, 'GET /feed.atom', 'GET /feed.rss', `GET /search?q=${CVE}&kind=cve`, `GET /v1/vulns/${ID}`, `GET /v1/metacpan/distribution/${DIST}`, 'GET /v1/download/cpansa.json', 'POST /v1/query', 'all.zip names', 'cpansec db export', 'cpansec export osv', 'cpansec export cve5']) {
        assert.ok(shown(where), `${where} shows the published advisory`);
      }
    });
  });
}
