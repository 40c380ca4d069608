import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { validateOsv } from '../../src/publish/index.js';
import { matchQuery, START_TOKEN } from '../../src/server/osv/match.js';
import { parseQuery } from '../../src/server/osv/query.js';
import { BACKENDS } from '../store/backends.js';
import { testServer, type TestServer } from './harness.js';

type Vulns = { vulns?: { id: string; modified: string; affected?: { package: { name: string } }[] }[]; next_page_token?: string };
const MOJO_930 = ['CPANSA-Mojolicious-2022-03', 'CPANSA-Mojolicious-2024-58134', 'CPANSA-Mojolicious-2024-58135', 'CPANSA-Mojolicious-2026-14803', 'CPANSA-Mojolicious-2026-15747'];

for (const backend of BACKENDS) {
  describe(`OSV API on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend);
    });
    const post = async (url: string, payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
      const r = await server.app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers });
      return { status: r.statusCode, body: JSON.parse(r.body) as Vulns & { code?: number; message?: string; results?: Vulns[] }, type: r.headers['content-type'] };
    };

    test('a query by name, ecosystem and version answers the full records that affect it', async () => {
      const r = await post('/v1/query', { package: { name: 'Mojolicious', ecosystem: 'CPAN' }, version: '9.30' });
      assert.equal(r.status, 200);
      assert.match(String(r.type), /application\/json/);
      assert.deepEqual(r.body.vulns!.map((v) => v.id), MOJO_930);
      for (const v of r.body.vulns!) assert.deepEqual(validateOsv(v), [], v.id);
      assert.equal(r.body.next_page_token, undefined);
    });

    test('a fixed version, an unknown package, and another ecosystem answer {}', async () => {
      for (const q of [
        { package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.652' },
        { package: { name: 'No-Such-Dist', ecosystem: 'CPAN' }, version: '1.0' },
        { package: { name: 'Mojolicious', ecosystem: 'PyPI' }, version: '9.30' },
        { package: { name: 'mojolicious', ecosystem: 'CPAN' }, version: '9.30' },
      ]) {
        const r = await post('/v1/query', q);
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, {}, JSON.stringify(q));
      }
    });

    test('without a version, every record of the package; without an ecosystem, the name across ecosystems', async () => {
      const all = await post('/v1/query', { package: { name: 'Mojolicious', ecosystem: 'CPAN' } });
      assert.ok(all.body.vulns!.length > MOJO_930.length);
      assert.ok(all.body.vulns!.every((v) => v.affected!.some((a) => a.package.name === 'Mojolicious')));
      const noEco = await post('/v1/query', { package: { name: 'Mojolicious' }, version: '9.30' });
      assert.deepEqual(noEco.body.vulns!.map((v) => v.id), MOJO_930);
    });

    test('a purl query, with the version in the purl or beside it; other purl types answer {}', async () => {
      for (const q of [{ package: { purl: 'pkg:cpan/Mojolicious@9.30?author=SRI' } }, { package: { purl: 'pkg:cpan/SRI/Mojolicious@9.30' } }, { package: { purl: 'pkg:cpan/Mojolicious' }, version: '9.30' }]) {
        const r = await post('/v1/query', q);
        assert.deepEqual(r.body.vulns!.map((v) => v.id), MOJO_930, JSON.stringify(q));
      }
      assert.deepEqual((await post('/v1/query', { package: { purl: 'pkg:pypi/jinja2@3.1.4' } })).body, {});
    });

    test('invalid queries get osv.dev\'s 400 answers', async () => {
      const cases: [unknown, string][] = [
        [{ package: { purl: 'pkg:cpan/Mojolicious@9.30' }, version: '9.30' }, 'version specified in params and PURL query'],
        [{ package: { purl: 'pkg:cpan/Mojolicious', name: 'Mojolicious' } }, 'name specified in a PURL query'],
        [{ package: { purl: 'pkg:cpan/Mojolicious', ecosystem: 'CPAN' } }, 'ecosystem specified in a PURL query'],
        [{ package: { name: 'Mojolicious', ecosystem: 'cpan' }, version: '1' }, 'invalid ecosystem'],
        [{ package: { name: 'Mojolicious', ecosystem: 'CPAN' }, version: '1' }, ''],
        [{ package: { name: 'Mojolicious' } }, 'invalid query'],
        [{ version: '1.0' }, 'invalid query'],
        [{}, 'invalid query'],
        [{ commit: 'xyz' }, 'invalid hash'],
        [{ package: { name: 'Mojolicious', ecosystem: 'CPAN' }, page_token: 'bm9wZQ==' }, 'invalid cursor'],
        [{ package: { name: 1, ecosystem: 'CPAN' } }, "Invalid value at 'package.name' (TYPE_STRING), 1"],
        [{ package: { purl: 'pkg:cpan/Mojo::DOM@9.30' } }, 'invalid purl: a cpan purl names a distribution, not a module: Mojo::DOM'],
      ];
      for (const [q, message] of cases) {
        const r = await post('/v1/query', q);
        if (!message) {
          assert.equal(r.status, 200);
          continue;
        }
        assert.equal(r.status, 400, JSON.stringify(q));
        assert.deepEqual(r.body, { code: 3, message }, JSON.stringify(q));
      }
      const bad = await post('/v1/query', '{"package": ');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.code, 3);
      assert.match(bad.body.message!, /^Invalid JSON payload received/);
    });

    test('a commit query is valid and matches nothing (no commit ranges are known)', async () => {
      const r = await post('/v1/query', { commit: '6879efc2c1596d11a6a6ad296f80063b558d5e0f' });
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {});
    });

    test('any Content-Type is read as JSON, as curl -d sends it', async () => {
      const r = await post('/v1/query', { package: { name: 'Mojolicious', ecosystem: 'CPAN' }, version: '9.30' }, { 'content-type': 'application/x-www-form-urlencoded' });
      assert.equal(r.body.vulns!.length, MOJO_930.length);
    });

    test('querybatch answers ids and modified times in query order, {} for no match', async () => {
      const r = await post('/v1/querybatch', {
        queries: [
          { package: { name: 'Mojolicious', ecosystem: 'CPAN' }, version: '9.30' },
          { package: { name: 'No-Such-Dist', ecosystem: 'CPAN' }, version: '1' },
          { package: { purl: 'pkg:cpan/DBI@1.642' } },
          { commit: 'abcdef' },
        ],
      });
      assert.equal(r.status, 200);
      const [mojo, none, dbi, commit] = r.body.results!;
      assert.deepEqual(mojo!.vulns!.map((v) => v.id), MOJO_930);
      for (const v of mojo!.vulns!) {
        assert.deepEqual(Object.keys(v), ['id', 'modified']);
        assert.match(v.modified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
      assert.deepEqual(none, {});
      assert.ok(dbi!.vulns!.length > 0);
      assert.deepEqual(commit, {});
      assert.deepEqual((await post('/v1/querybatch', { queries: [] })).body, {});
    });

    test('querybatch takes 1,000 queries, refuses 1,001, and names the first bad query', async () => {
      const q = { package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.642' };
      const ok = await post('/v1/querybatch', { queries: Array(1000).fill(q) });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.results!.length, 1000);
      const tooMany = await post('/v1/querybatch', { queries: Array(1001).fill(q) });
      assert.equal(tooMany.status, 400);
      assert.deepEqual(tooMany.body, { code: 3, message: 'too many queries' });
      const bad = await post('/v1/querybatch', { queries: [q, q, { package: { name: 'DBI' } }] });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { code: 3, message: 'error in query at index 2: rpc error: code = InvalidArgument desc = invalid query' });
    });

    test('vulns/{id} answers a valid OSV record; an alias or unknown id is 404 as osv.dev says it', async () => {
      const r = await server.app.inject('/v1/vulns/CPANSA-Mojolicious-2022-03');
      assert.equal(r.statusCode, 200);
      const record = JSON.parse(r.body) as { id: string; modified: string };
      assert.equal(record.id, 'CPANSA-Mojolicious-2022-03');
      assert.deepEqual(validateOsv(record), []);
      assert.ok(r.headers.etag);
      const alias = await server.app.inject('/v1/vulns/CVE-2024-58134');
      assert.equal(alias.statusCode, 404);
      assert.deepEqual(JSON.parse(alias.body), { code: 5, message: 'Vulnerability not found, but the following aliases were: CPANSA-Mojolicious-2024-58134' });
      const none = await server.app.inject('/v1/vulns/CPANSA-Nothing-2020-01');
      assert.deepEqual(JSON.parse(none.body), { code: 5, message: 'Vulnerability not found' });
      const long = await server.app.inject(`/v1/vulns/${'X'.repeat(101)}`);
      assert.equal(long.statusCode, 400);
      assert.deepEqual(JSON.parse(long.body), { code: 3, message: 'ID is too long' });
    });

    test('pages: a page token continues where the last page stopped', () => {
      const s = server.publication.snapshot;
      const q = parseQuery({ package: { name: 'Mojolicious', ecosystem: 'CPAN' } });
      const all = matchQuery(s, q, 1000).ids;
      const first = matchQuery(s, q, 2);
      assert.deepEqual(first.ids, all.slice(0, 2));
      assert.ok(first.next);
      const second = matchQuery(s, { ...q, pageToken: first.next }, 1000);
      assert.deepEqual(second.ids, all.slice(2));
      assert.equal(second.next, '');
      assert.deepEqual(matchQuery(s, { ...q, pageToken: START_TOKEN }, 1000).ids, all);
    });
  });
}
