/**
 * Issue 11 on the server, on SQLite and PostgreSQL: withdrawing an advisory (OSV `withdrawn`, the
 * feeds, the site page with its history, kept across a later import), a `db import` of unchanged
 * data makes no new revision, osv.dev's 400s on bad requests, compressed responses, /v1/query
 * answers with an ETag, and the security metrics at /stats.json and on /stats.
 */
import assert from 'node:assert/strict';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { before, describe, test } from 'node:test';
import { loadBundledDatabase, loadDatabase } from '../../src/index/index.js';
import { validateOsv, type OsvRecord } from '../../src/publish/index.js';
import { projectPath } from '../helpers/paths.js';
import { BACKENDS } from '../store/backends.js';
import { testServer, type TestServer } from './harness.js';

const ID = 'CPANSA-Authen-TOTP-2026-46473';

for (const backend of BACKENDS) {
  describe(`issue 11 on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend);
    });
    const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });
    const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      server.app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

    test('bad requests are 400 as on osv.dev: unknown fields, malformed ecosystems; versions are not trimmed', async () => {
      for (const [body, message] of [
        [{ package: { name: 'DBI', ecosystem: 'CPAN:foo' }, version: '1.643' }, 'invalid ecosystem'],
        [{ package: { name: 'DBI', ecosystem: 'CPAN:' }, version: '1.643' }, 'invalid ecosystem'],
        [{ package: { name: 'DBI', ecosystem: 'CPAN' }, versio: '1.643' }, 'proto: unknown field "versio" in osv.v1.Query'],
        [{ package: { name: 'DBI', ecosystem: 'CPAN', version: '1.643' } }, 'proto: unknown field "version" in osv.Package'],
      ] as const) {
        const r = await post('/v1/query', body);
        assert.equal(r.statusCode, 400, JSON.stringify(body));
        assert.deepEqual(JSON.parse(r.body), { code: 3, message });
      }
      const batch = await post('/v1/querybatch', { queries: [], extra: 1 });
      assert.equal(batch.statusCode, 400);
      assert.match(JSON.parse(batch.body).message, /unknown field "extra"/);
      const nested = await post('/v1/querybatch', { queries: [{ package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.643', foo: 1 }] });
      assert.equal(nested.statusCode, 400);
      assert.match(JSON.parse(nested.body).message, /error in query at index 0: .*unknown field "foo"/);
      // another ecosystem's variant suffix stays valid (Debian:12); it matches nothing here
      assert.equal((await post('/v1/query', { package: { name: 'perl', ecosystem: 'Debian:12' }, version: '5.36' })).body, '{}');
      // " 1.643" is not 1.643: osv.dev does not trim it into a version
      assert.equal((await post('/v1/query', { package: { name: 'DBI', ecosystem: 'CPAN' }, version: ' 1.643' })).body, '{}');
      assert.notEqual((await post('/v1/query', { package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.643' })).body, '{}');
    });

    test('/v1/query answers carry an ETag, are the same bytes each time, and come gzipped when asked', async () => {
      const q = { package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.643' };
      const a = await post('/v1/query', q);
      const b = await post('/v1/query', q);
      assert.equal(a.statusCode, 200);
      assert.match(String(a.headers.etag), /^"[\w-]{32}"$/);
      assert.equal(a.headers.etag, b.headers.etag);
      assert.equal(a.body, b.body);
      const z = await post('/v1/query', q, { 'accept-encoding': 'gzip' });
      assert.equal(z.headers['content-encoding'], 'gzip');
      assert.notEqual(z.headers.etag, a.headers.etag, 'another representation, another ETag');
      assert.equal(gunzipSync(z.rawPayload).toString('utf8'), a.body);
      const other = await post('/v1/query', { ...q, version: '1.642' });
      assert.notEqual(other.headers.etag, a.headers.etag);
    });

    test('pages and API answers are compressed when the client accepts it', async () => {
      // the advisory list is the largest page since pages were kept under 100 kB
      const plain = await get('/advisories');
      assert.ok(plain.rawPayload.length > 20_000, `${plain.rawPayload.length} bytes`);
      const br = await get('/advisories', { 'accept-encoding': 'br, gzip' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.ok(br.rawPayload.length < plain.rawPayload.length / 5, `${br.rawPayload.length} bytes compressed`);
      assert.equal(brotliDecompressSync(br.rawPayload).toString('utf8'), plain.body);
      const gz = await get('/distributions/DBI', { 'accept-encoding': 'gzip' });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      const vulns = await get('/v1/vulns/CPANSA-DBI-2014-01', { 'accept-encoding': 'gzip' });
      assert.equal(vulns.statusCode, 200);
      assert.equal(JSON.parse(gunzipSync(vulns.rawPayload).toString('utf8')).id, 'CPANSA-DBI-2014-01');
    });

    test('security metrics: /stats.json and a section of /stats with SVG charts and tables', async () => {
      const r = await get('/stats.json');
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /application\/json/);
      assert.ok(r.headers.etag);
      const m = JSON.parse(r.body);
      assert.equal(m.version, 1);
      assert.equal(m.advisories, 1001);
      const perYear = (m.perYearBySeverity as Record<string, number | string>[]).reduce(
        (n, y) => n + (y.critical as number) + (y.high as number) + (y.medium as number) + (y.low as number) + (y['not rated'] as number),
        0,
      );
      assert.equal(perYear + m.unknownYear, m.advisories);
      assert.ok(m.withoutFix.withoutFixedRelease > 0 && m.withoutFix.share > 0 && m.withoutFix.share < 1);
      assert.ok(m.mostOpen.length > 0 && m.mostOpen[0].value >= m.mostOpen.at(-1).value);
      assert.ok(m.fixTimes.measured > 0);
      assert.deepEqual(m.cweTop, []);
      const page = (await get('/stats')).body;
      for (const id of ['per-year-severity', 'without-fix', 'most-open']) assert.match(page, new RegExp(`<svg[^>]*aria-labelledby="${id}-title`));
      assert.match(page, /No published advisory names a weakness class/);
      assert.match(page, /href="\/stats.json"/);
    });

    test('withdraw: OSV withdrawn, feeds updated, the page says so with its history, kept across an import', async () => {
      const before = JSON.parse((await get(`/v1/vulns/${ID}`)).body) as OsvRecord;
      assert.equal(before.withdrawn, undefined);
      const when = new Date('2026-11-25T10:00:00Z');
      const { revision, advisories } = await server.store.withdrawAdvisory(ID, 'Not a vulnerability: the rand call is unused.', when, { by: 'test' });
      assert.equal(advisories.length, 1);
      await server.publication.refresh();
      assert.equal(server.publication.snapshot.revision, revision);
      const after = JSON.parse((await get(`/v1/vulns/${ID}`)).body) as OsvRecord;
      assert.equal(after.withdrawn, '2026-11-25T10:00:00Z');
      assert.equal(after.modified, '2026-11-25T10:00:00Z');
      assert.equal(after.database_specific!.withdrawn_reason, 'Not a vulnerability: the rand call is unused.');
      assert.deepEqual(validateOsv(after), []);
      // still answered by queries (osv.dev serves withdrawn records; clients filter them)
      const q = JSON.parse((await post('/v1/query', { package: { name: 'Authen-TOTP', ecosystem: 'CPAN' }, version: '0.1.0' })).body);
      assert.equal(q.vulns[0].withdrawn, '2026-11-25T10:00:00Z');
      const feed = (await get('/distributions/Authen-TOTP/feed.atom')).body;
      assert.match(feed, /\[WITHDRAWN\] CPANSA-Authen-TOTP-2026-46473/);
      assert.match(feed, /<updated>2026-11-25T10:00:00.000Z<\/updated>/);
      const page = (await get(`/advisories/${ID}`)).body;
      assert.match(page, /<strong>Withdrawn<\/strong> on <time datetime="2026-11-25T10:00:00Z">2026-11-25<\/time>: Not a vulnerability/);
      assert.match(page, /<h2>History<\/h2>[\s\S]*2026-11-25 10:00 UTC[\s\S]*withdrawn: Not a vulnerability/);
      const stats = JSON.parse((await get('/stats.json')).body);
      assert.equal(stats.withdrawn, 1);
      assert.equal(stats.advisories, 1000);
      await assert.rejects(server.store.withdrawAdvisory(ID, 'again', new Date()), /already withdrawn/);
      await assert.rejects(server.store.withdrawAdvisory('CPANSA-No-Such-2026-01', 'x', new Date()), /no published advisory 'CPANSA-No-Such-2026-01'/);
      // an import of upstream data (which does not know of the withdrawal) does not bring it back
      const db = loadBundledDatabase();
      db.meta = { ...db.meta, epoch: Number(db.meta.epoch) + 60 };
      const imported = await server.store.replaceDatabase(db, { kind: 'file', location: 'newer.json' }, new Date('2026-11-26T00:00:00Z'));
      assert.equal(imported.written, true);
      assert.deepEqual(imported.shadowedByLocal, [{ id: ID, distribution: 'Authen-TOTP' }]);
      await server.publication.refresh();
      assert.equal((JSON.parse((await get(`/v1/vulns/${ID}`)).body) as OsvRecord).withdrawn, '2026-11-25T10:00:00Z');
      const history = await server.store.history(ID);
      assert.deepEqual(history.map((h) => h.kind), ['withdrawn']);
    });

    test('db import of unchanged data makes no new revision, from any path or a directory of report files', async () => {
      const start = await server.store.revision();
      const same = await server.store.replaceDatabase(loadDatabase(projectPath('data', 'cpansa.json')), { kind: 'file', location: '/elsewhere/cpansa.json' }, new Date());
      // the store holds the database of the previous test (epoch + 60): import it once more
      assert.equal(same.written, true);
      const reports = loadDatabase(projectPath('data', 'cpansa'));
      const first = await server.store.replaceDatabase(reports, { kind: 'file', location: 'data/cpansa' }, new Date());
      const again = await server.store.replaceDatabase(loadDatabase(projectPath('data', 'cpansa')), { kind: 'file', location: '/copy/of/cpansa' }, new Date());
      assert.equal(again.written, false, 'the same report files from another path');
      assert.equal(await server.store.revision(), first.revision);
      const json = await server.store.replaceDatabase(loadDatabase(projectPath('data', 'cpansa.json')), { kind: 'file', location: 'a.json' }, new Date());
      const json2 = await server.store.replaceDatabase(loadDatabase(projectPath('data', 'cpansa.json')), { kind: 'file', location: 'b.json' }, new Date());
      assert.equal(json2.written, false);
      assert.equal(await server.store.revision(), json.revision);
      assert.ok(json.revision > start);
    });
  });
}
