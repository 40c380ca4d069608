import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { auditDependencies } from '../../src/audit/index.js';
import { isValidVersion } from '../../src/perl/index.js';
import { BACKENDS } from '../store/backends.js';
import { BASE_URL, testServer, type TestServer } from './harness.js';

interface Answer {
  distribution: string | null;
  known: boolean;
  vulnerable: boolean;
  purl: string | null;
  module?: string;
  author?: string;
  advisories: { id: string; osv_id: string; url: string; osv_url: string; fixed_versions: string[]; affected_releases?: string[] }[];
  lowest_fixed_version: string | null;
  unfixed?: string[];
  database: { revision: number };
}

for (const backend of BACKENDS) {
  describe(`MetaCPAN API on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend);
    });
    const get = async (url: string, headers: Record<string, string> = {}) => {
      const r = await server.app.inject({ url, headers });
      return { status: r.statusCode, headers: r.headers, body: r.body ? (JSON.parse(r.body) as Answer & { code?: number; message?: string }) : undefined };
    };

    test('a release: the advisories affecting it and the lowest release that fixes them', async () => {
      const r = await get('/v1/metacpan/release/SRI/Mojolicious/9.30');
      assert.equal(r.status, 200);
      const a = r.body!;
      assert.equal(a.distribution, 'Mojolicious');
      assert.equal(a.author, 'SRI');
      // the purl cpan type's preferred form: the author as a qualifier, not the legacy namespace
      assert.equal(a.purl, 'pkg:cpan/Mojolicious@9.30?author=SRI');
      assert.equal(a.vulnerable, true);
      assert.ok(a.advisories.some((x) => x.id === 'CPANSA-Mojolicious-2022-03' && x.fixed_versions[0] === '>=9.31'));
      assert.equal(a.advisories[0]!.url, `${BASE_URL}/advisories/${a.advisories[0]!.id}`);
      assert.equal(a.advisories[0]!.osv_url, `${BASE_URL}/v1/vulns/${a.advisories[0]!.osv_id}`);
      // no release is free of them all: the audit's partial remediation, with what it leaves open
      assert.equal(a.lowest_fixed_version, '9.48');
      assert.deepEqual(a.unfixed, ['CPANSA-Mojolicious-2024-58134', 'CPANSA-Mojolicious-2024-58135']);
      assert.equal((await get('/v1/metacpan/release/Mojolicious/9.30')).body!.purl, 'pkg:cpan/Mojolicious@9.30');
      const dbi = (await get('/v1/metacpan/release/TIMB/DBI/1.642')).body!;
      assert.equal(dbi.vulnerable, true);
      assert.ok(dbi.lowest_fixed_version);
      assert.deepEqual(dbi.unfixed, []);
      const fixed = (await get(`/v1/metacpan/release/DBI/${dbi.lowest_fixed_version}`)).body!;
      assert.equal(fixed.vulnerable, false);
      assert.deepEqual(fixed.advisories, []);
    });

    test('the remediation of every release is the one cpansec audit gives', async () => {
      const index = server.publication.snapshot.index;
      let partial = 0;
      for (const dist of ['Mojolicious', 'DBI', 'Plack', 'Catalyst-Runtime']) {
        for (const { version } of index.releasesOf(dist).filter((r) => isValidVersion(r.version))) {
          const api = (await get(`/v1/metacpan/release/${dist}/${encodeURIComponent(version)}`)).body!;
          const [finding] = auditDependencies([{ name: dist, kind: 'distribution', version, source: { file: 'test' } }], index, { today: '2026-11-25' }).findings;
          const where = `${dist} ${version}`;
          assert.equal(api.vulnerable, finding!.status === 'vulnerable', where);
          assert.equal(api.lowest_fixed_version, finding!.remediation ?? null, where);
          if (finding!.remediation) assert.deepEqual(api.unfixed, finding!.unfixed ?? [], where);
          if (api.unfixed!.length && api.lowest_fixed_version) partial++;
        }
      }
      assert.ok(partial > 10, `${partial} releases with a partial remediation`);
    });

    test('the OpenAPI document describes every field of the answers', async () => {
      type Schemas = Record<string, { properties: Record<string, { description?: string }> }>;
      const schemas = (JSON.parse((await server.app.inject('/openapi.json')).body) as { components: { schemas: Schemas } }).components.schemas;
      const answers: [string, string][] = [
        ['ReleaseAdvisories', '/v1/metacpan/release/SRI/Mojolicious/9.30'],
        ['ReleaseAdvisories', '/v1/metacpan/module/Mojo::DOM/9.30'],
        ['DistributionAdvisories', '/v1/metacpan/distribution/Mojolicious'],
      ];
      for (const [schema, url] of answers) {
        const fields = Object.keys((await get(url)).body!);
        assert.deepEqual(fields.filter((f) => !schemas[schema]!.properties[f]), [], `${url}: fields missing from ${schema}`);
      }
      assert.match(schemas.ReleaseAdvisories!.properties.unfixed!.description!, /no release fixes/);
    });

    test('a module and version, through the module map', async () => {
      const a = (await get('/v1/metacpan/module/Mojo::DOM/9.30')).body!;
      assert.equal(a.distribution, 'Mojolicious');
      assert.equal(a.module, 'Mojo::DOM');
      assert.equal(a.vulnerable, true);
      const unknown = (await get('/v1/metacpan/module/No::Such::Module/1.0')).body!;
      assert.equal(unknown.known, false);
      assert.equal(unknown.distribution, null);
    });

    test('an unknown distribution says so rather than "not vulnerable" alone', async () => {
      const a = (await get('/v1/metacpan/release/No-Such-Dist/1.0')).body!;
      assert.equal(a.known, false);
      assert.equal(a.vulnerable, false);
    });

    test('a distribution: every advisory with the releases it affects', async () => {
      const a = (await get('/v1/metacpan/distribution/Mojolicious')).body!;
      assert.equal(a.advisories.length, 19);
      assert.ok(a.advisories.every((x) => Array.isArray(x.affected_releases)));
      assert.ok(a.unfixed!.includes('CPANSA-Mojolicious-2024-58134'));
    });

    test('bad versions and author ids are 400 with a JSON error', async () => {
      const v = await get('/v1/metacpan/release/DBI/not..a.version');
      assert.equal(v.status, 400);
      assert.equal(v.body!.code, 3);
      assert.match(v.body!.message!, /^invalid version 'not\.\.a\.version'/);
      const author = await get('/v1/metacpan/release/bad%20id/DBI/1.0');
      assert.equal(author.status, 400);
    });

    test('answers are cacheable: ETag, Cache-Control, 304 on If-None-Match, CORS', async () => {
      const first = await get('/v1/metacpan/release/SRI/Mojolicious/9.30');
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[\w-]+"$/);
      assert.match(String(first.headers['cache-control']), /public, max-age=\d+/);
      assert.equal(first.headers['access-control-allow-origin'], '*');
      const again = await server.app.inject({ url: '/v1/metacpan/release/SRI/Mojolicious/9.30', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
      const other = await server.app.inject({ url: '/v1/metacpan/release/SRI/Mojolicious/9.31', headers: { 'if-none-match': etag } });
      assert.equal(other.statusCode, 200);
    });
  });
}
