import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCpansaBuffer } from '../../src/index/index.js';
import { Store } from '../../src/store/index.js';
import { BACKENDS } from '../store/backends.js';
import { advisory, fixtureDatabase } from '../store/fixtures.js';
import { testServer } from './harness.js';

const query = { package: { name: 'Baz', ecosystem: 'CPAN' }, version: '0.2' };
const newAdvisory = (id: string, range = ['<0.3']) =>
  advisory({ id, distribution: 'Baz', affected_versions: range, fixed_versions: ['>=0.3'], reported: '2026-11-01', description: `Baz ${id} is broken.\n` });

for (const backend of BACKENDS) {
  describe(`publication on ${backend.name}`, { skip: backend.skip }, () => {
    test('an advisory published at run time is in the API, the site, the feeds and the downloads at once', async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      const inject = (url: string) => server.app.inject(url);
      assert.equal((await inject('/advisories/CPANSA-Baz-2026-01')).statusCode, 404);
      await server.store.publishAdvisory(newAdvisory('CPANSA-Baz-2026-01'), new Date(), { by: 'case 1' });
      // the store tells the server of its own writes; the refresh is under way: wait for it
      await server.publication.refresh();
      const ids = (JSON.parse((await server.app.inject({ method: 'POST', url: '/v1/query', payload: query })).body) as { vulns: { id: string }[] }).vulns.map((v) => v.id);
      assert.deepEqual(ids, ['CPANSA-Baz-2019-01', 'CPANSA-Baz-2026-01']);
      assert.equal((await inject('/v1/vulns/CPANSA-Baz-2026-01')).statusCode, 200);
      assert.equal((await inject('/advisories/CPANSA-Baz-2026-01')).statusCode, 200);
      assert.match((await inject('/')).body, /href="\/advisories\/CPANSA-Baz-2026-01"/);
      assert.match((await inject('/feed.atom')).body, /CPANSA-Baz-2026-01/);
      assert.match((await inject('/distributions/Baz/feed.rss')).body, /CPANSA-Baz-2026-01/);
      const db = parseCpansaBuffer((await inject('/v1/download/cpansa.json')).rawPayload, 'download');
      assert.ok(db.distributions.get('Baz')!.advisories.some((a) => a.id === 'CPANSA-Baz-2026-01'));
      assert.equal(JSON.parse((await inject('/healthz')).body).revision, 2);
    });

    test('a write by another process is seen by polling the revision', async () => {
      const server = await testServer(backend, { database: fixtureDatabase(), refreshIntervalMs: 50 });
      const other = await Store.open(backend.name === 'sqlite' ? { dataDir: dataDirOf(server.store) } : { database: server.store.description.replace('***', '') });
      try {
        await other.publishAdvisory(newAdvisory('CPANSA-Baz-2026-02'), new Date());
        const deadline = Date.now() + 5000;
        while (server.publication.snapshot.revision < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        assert.equal(server.publication.snapshot.revision, 2);
        assert.equal((await server.app.inject('/v1/vulns/CPANSA-Baz-2026-02')).statusCode, 200);
      } finally {
        await other.close();
      }
    });

    test('an embargoed advisory scheduled for later appears only when its time comes', async () => {
      let now = new Date('2026-12-01T00:00:00Z');
      const server = await testServer(backend, { database: fixtureDatabase(), clock: () => now });
      await server.store.publishAdvisory(newAdvisory('CPANSA-Baz-2026-03'), now, { publishAt: new Date('2026-12-03T09:00:00Z') });
      await server.publication.refresh();
      for (const url of ['/v1/vulns/CPANSA-Baz-2026-03', '/advisories/CPANSA-Baz-2026-03']) assert.equal((await server.app.inject(url)).statusCode, 404, url);
      assert.doesNotMatch((await server.app.inject('/feed.atom')).body, /CPANSA-Baz-2026-03/);
      assert.doesNotMatch((await server.app.inject('/v1/download/cpansa.json')).body, /CPANSA-Baz-2026-03/);
      now = new Date('2026-12-03T09:00:01Z');
      assert.equal(await server.publication.refresh(), true);
      assert.equal((await server.app.inject('/v1/vulns/CPANSA-Baz-2026-03')).statusCode, 200);
    });

    test('a revision whose ranges do not read is refused; the last good one keeps serving', async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      await server.store.publishAdvisory(newAdvisory('CPANSA-Baz-2026-04', ['<1.2.']), new Date());
      assert.equal(await server.publication.refresh(), false);
      assert.equal(server.publication.snapshot.revision, 1);
      assert.equal((await server.app.inject({ method: 'POST', url: '/v1/query', payload: query })).statusCode, 200);
    });
  });
}

/** The data directory of a SQLite store (its description is the file). */
function dataDirOf(store: Store): string {
  return store.description.replace(/\/cpansec\.sqlite$/, '');
}
