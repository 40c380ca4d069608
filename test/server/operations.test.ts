import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROUTES, type RouteModule } from '../../src/server/index.js';
import { BACKENDS } from '../store/backends.js';
import { fixtureDatabase } from '../store/fixtures.js';
import { testServer } from './harness.js';

const failing: RouteModule = {
  name: 'failing',
  routes(app) {
    app.get('/v1/broken', async () => {
      throw new Error('secret detail at /srv/cpansec/db.ts:12');
    });
    app.get('/broken-page', async () => {
      throw new Error('secret detail at /srv/cpansec/db.ts:12');
    });
  },
};

for (const backend of BACKENDS) {
  describe(`operations on ${backend.name}`, { skip: backend.skip }, () => {
    test('/healthz is 200 with the revision while the store answers, 503 once it does not', async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      const ok = await server.app.inject('/healthz');
      assert.equal(ok.statusCode, 200);
      assert.deepEqual({ ...JSON.parse(ok.body), updated: undefined }, { status: 'ok', revision: 1, stored_revision: 1, updated: undefined, advisories: 3 });
      await server.store.close();
      const down = await server.app.inject('/healthz');
      assert.equal(down.statusCode, 503);
      assert.deepEqual(JSON.parse(down.body), { code: 14, message: 'the store does not answer' });
    });

    test('errors are JSON for the API and HTML for the site, with no stack trace or detail', async () => {
      const server = await testServer(backend, { database: fixtureDatabase(), routes: [...ROUTES, failing] });
      const api = await server.app.inject('/v1/broken');
      assert.equal(api.statusCode, 500);
      assert.deepEqual(JSON.parse(api.body), { code: 13, message: 'internal server error' });
      const page = await server.app.inject('/broken-page');
      assert.equal(page.statusCode, 500);
      assert.match(page.body, /Something went wrong/);
      for (const body of [api.body, page.body]) assert.doesNotMatch(body, /secret|\.ts:|at /);
      const unknown = await server.app.inject({ method: 'GET', url: '/v1/query' });
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(JSON.parse(unknown.body), { code: 5, message: 'The current request is not defined by this API.' });
    });

    test('a POST with no Content-Type is still read as JSON', async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      const r = await server.app.inject({ method: 'POST', url: '/v1/query', payload: Buffer.from('{"package":{"name":"Baz","ecosystem":"CPAN"},"version":"0.2"}') });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((JSON.parse(r.body) as { vulns: unknown[] }).vulns.length, 1);
    });

    test('request bodies over the limit are refused with 413 and a JSON error', async () => {
      const server = await testServer(backend, { database: fixtureDatabase(), config: { bodyLimit: 1024 } });
      const r = await server.app.inject({ method: 'POST', url: '/v1/querybatch', payload: JSON.stringify({ queries: Array(100).fill({ package: { name: 'Baz', ecosystem: 'CPAN' } }) }) });
      assert.equal(r.statusCode, 413);
      assert.deepEqual(JSON.parse(r.body), { code: 3, message: 'request body larger than 1024 bytes' });
    });

    test('every answer carries the security headers; the API allows other origins', async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      for (const url of ['/', '/v1/vulns/CPANSA-Baz-2019-01', '/no/such/page', '/openapi.json']) {
        const r = await server.app.inject(url);
        assert.match(String(r.headers['content-security-policy']), /default-src 'none'; .*frame-ancestors 'none'/, url);
        assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
        assert.equal(r.headers['referrer-policy'], 'strict-origin-when-cross-origin', url);
      }
      assert.equal((await server.app.inject('/v1/vulns/CPANSA-Baz-2019-01')).headers['access-control-allow-origin'], '*');
      assert.equal((await server.app.inject('/')).headers['access-control-allow-origin'], undefined);
      const preflight = await server.app.inject({ method: 'OPTIONS', url: '/v1/query', headers: { origin: 'https://metacpan.org', 'access-control-request-method': 'POST' } });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], '*');
      assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    });

    test('the OpenAPI document describes exactly the routes the server has', async () => {
      const routes: string[] = [];
      const server = await testServer(backend, {
        database: fixtureDatabase(),
        onRoute: (r) => {
          for (const m of [r.method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') routes.push(`${m.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
        },
      });
      const doc = JSON.parse((await server.app.inject('/openapi.json')).body) as { openapi: string; paths: Record<string, Record<string, unknown>> };
      assert.equal(doc.openapi, '3.0.3');
      const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
      const served = new Set(routes);
      const listed = new Set(documented);
      assert.deepEqual({ undocumented: [...served].filter((r) => !listed.has(r)).sort(), notServed: [...listed].filter((r) => !served.has(r)).sort() }, { undocumented: [], notServed: [] });
      assert.equal(documented.length, listed.size, 'each route is documented once');
    });
  });
}
