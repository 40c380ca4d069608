import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { diffDatabases, loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { MIGRATIONS, Store } from '../../src/store/index.js';
import { BACKENDS } from './backends.js';
import { advisory, edited, fixtureDatabase } from './fixtures.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-02-01T00:00:00Z');
const T2 = new Date('2026-03-01T00:00:00Z');
const count = (db: { distributions: Map<string, { advisories: unknown[] }> }) =>
  [...db.distributions.values()].reduce((n, d) => n + d.advisories.length, 0);

for (const backend of BACKENDS) {
  describe(`store on ${backend.name}`, { skip: backend.skip }, () => {
    test('a new store is migrated and empty; opening it again runs no migration twice', async () => {
      const { options } = await backend.location();
      const a = await Store.open(options);
      assert.equal(await a.revision(), 0);
      assert.equal(count((await a.loadPublished(T0)).database), 0);
      await a.close();
      const b = await Store.open(options);
      assert.equal(await b.revision(), 0);
      await b.close();
    });

    test('migrations out of order are refused before anything runs', async () => {
      const reversed = [{ name: '0002-later', up: async () => undefined }, ...MIGRATIONS];
      await assert.rejects(backend.open({ migrations: reversed }), { code: 'SCHEMA_ERROR', message: /sorted order/ });
    });

    test('the bundled database goes in and comes back out whole', async () => {
      const store = await backend.open();
      const bundled = loadBundledDatabase();
      const r = await store.replaceDatabase(bundled, { kind: 'bundled', location: 'bundled' }, T0);
      assert.equal(r.written, true);
      assert.equal(r.revision, 1);
      assert.equal(r.changes.added.length, 1003);
      const back = await store.loadPublished(T0);
      assert.equal(back.revision, 1);
      assert.equal(count(back.database), 2061);
      assert.equal(diffDatabases(loadBundledDatabase(), back.database).unchanged, true);
      assert.equal(back.database.meta.commit, bundled.meta.commit);
      // the same database again writes nothing
      const again = await store.replaceDatabase(loadBundledDatabase(), { kind: 'bundled', location: 'bundled' }, T1);
      assert.equal(again.written, false);
      assert.equal(await store.revision(), 1);
    });

    test('an import reports what changed, and only changed entries get a new modified time', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const first = await store.loadPublished(T0);
      const modifiedOf = (p: typeof first, id: string) => [...p.times].find(([a]) => a.id === id)![1];
      // first import: published when reported, modified when the database was built
      assert.deepEqual(modifiedOf(first, 'CPANSA-Baz-2019-01'), { published: '2019-07-07T00:00:00.000Z', modified: '2023-11-14T22:13:20.000Z' });
      const next = edited(fixtureDatabase(), (db) => {
        const foo = db.distributions.get('Foo-Bar')!;
        foo.advisories[1] = { ...foo.advisories[1]!, severity: 'high', severityText: 'high' };
        foo.releases.push({ version: '2.1', date: '2022-01-01T00:00:00' });
        db.distributions.get('Baz')!.advisories = [];
        foo.advisories.push(advisory({ id: 'CPANSA-Foo-Bar-2022-01', distribution: 'Foo-Bar', affected_versions: ['<2.1'], reported: '2022-01-02' }));
      });
      const r = await store.replaceDatabase(next, { kind: 'url', location: 'https://example.org/db.json', sha256: 'ab'.repeat(32) }, T1);
      assert.equal(r.written, true);
      assert.equal(r.previousRevision, 1);
      assert.equal(r.revision, 2);
      assert.deepEqual(r.changes.added, [{ id: 'CPANSA-Foo-Bar-2022-01', distribution: 'Foo-Bar' }]);
      assert.deepEqual(r.changes.removed, [{ id: 'CPANSA-Baz-2019-01', distribution: 'Baz' }]);
      assert.deepEqual(r.changes.changed, [{ id: 'CPANSA-Foo-Bar-2021-01', distribution: 'Foo-Bar' }]);
      assert.deepEqual(r.changes.releases, { before: 7, after: 8 });
      const second = await store.loadPublished(T1);
      assert.equal(modifiedOf(second, 'CPANSA-Foo-Bar-2020-01').modified, '2023-11-14T22:13:20.000Z');
      assert.equal(modifiedOf(second, 'CPANSA-Foo-Bar-2021-01').modified, T1.toISOString());
      assert.equal(modifiedOf(second, 'CPANSA-Foo-Bar-2022-01').published, T1.toISOString());
      const last = await store.lastImport();
      assert.equal(last?.source, 'https://example.org/db.json');
      assert.equal(last?.sha256, 'ab'.repeat(32));
    });

    test('a failure in the middle of an import leaves the stored database as it was', async () => {
      const store = await backend.open();
      let reads = 0;
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const broken = edited(fixtureDatabase(), (db) => {
        const baz = db.distributions.get('Baz')!;
        const releases = baz.releases;
        // readable for the import guard and the comparison (three reads), then failing while the new rows are written
        Object.defineProperty(baz, 'releases', {
          get() {
            if (++reads > 3) throw new Error('disk on fire');
            return releases;
          },
        });
        baz.advisories.push(advisory({ id: 'CPANSA-Baz-2020-01', distribution: 'Baz', affected_versions: ['<1'] }));
      });
      await assert.rejects(store.replaceDatabase(broken, { kind: 'file', location: 'two.json' }, T1), /disk on fire/);
      assert.equal(reads, 4, 'the failure came after the old rows were deleted');
      assert.equal(await store.revision(), 1);
      const back = await store.loadPublished(T1);
      assert.equal(diffDatabases(fixtureDatabase(), back.database).unchanged, true);
    });

    test('an import without release lists or a module map keeps the stored ones, merged with its advisories', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      // what a directory of report files without releases.json gives: advisories only
      const reports = edited(fixtureDatabase(), (db) => {
        for (const d of db.distributions.values()) {
          d.releases = [];
          delete d.mainModule;
        }
        db.moduleToDistribution = new Map();
        db.distributions.delete('Baz');
        db.distributions.get('Foo-Bar')!.advisories.push(advisory({ id: 'CPANSA-Foo-Bar-2022-01', distribution: 'Foo-Bar', affected_versions: ['<2.1'], fixed_versions: ['>=2.1'] }));
      });
      const r = await store.replaceDatabase(reports, { kind: 'file', location: 'reports' }, T1);
      assert.equal(r.written, true);
      assert.deepEqual(r.kept, { releases: true, modules: true });
      assert.deepEqual(r.changes.added, [{ id: 'CPANSA-Foo-Bar-2022-01', distribution: 'Foo-Bar' }]);
      assert.deepEqual(r.changes.removed, [{ id: 'CPANSA-Baz-2019-01', distribution: 'Baz' }]);
      assert.deepEqual([r.changes.releases, r.changes.modules], [{ before: 7, after: 7 }, { before: 3, after: 3 }]);
      const p = await store.loadPublished(T1);
      const index = new VulnerabilityIndex(p.database);
      assert.equal(index.distributionOfModule('Foo::Bar::Util'), 'Foo-Bar');
      assert.equal(index.distribution('Foo-Bar')!.mainModule, 'Foo::Bar');
      assert.deepEqual(index.affectedReleases(index.advisoriesFor('Foo-Bar', '1.0').find((a) => a.id === 'CPANSA-Foo-Bar-2022-01')!), ['1.0', '1.1', '1.2', '2.0']);
      // the distribution whose advisories are gone keeps its releases: the module map names it
      assert.deepEqual(index.releasesOf('Baz').map((x) => x.version), ['0.1', '0.2', '0.3']);
      assert.equal(count(p.database), 3);
      // the same reports again: nothing to write, and it says what it kept
      const again = await store.replaceDatabase(reports, { kind: 'file', location: 'reports' }, T2);
      assert.equal(again.written, false);
      assert.deepEqual(again.kept, { releases: true, modules: true });
    });

    test('an import that would drop most of the releases or of the module map is refused unless forced', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const fewReleases = edited(fixtureDatabase(), (db) => {
        db.distributions.get('Foo-Bar')!.releases = [{ version: '2.0' }];
        db.distributions.get('Baz')!.releases = [{ version: '0.3' }];
      });
      await assert.rejects(store.replaceDatabase(fewReleases, { kind: 'url', location: 'https://example.org/few.json' }, T1), {
        code: 'INTEGRITY_ERROR',
        message: /^https:\/\/example\.org\/few\.json: the new database lists 2 releases where the store has 7: it would drop most of them; refusing \(--force/,
      });
      const fewModules = edited(fixtureDatabase(), (db) => (db.moduleToDistribution = new Map([['Baz', 'Baz']])));
      await assert.rejects(store.replaceDatabase(fewModules, { kind: 'file', location: 'few.json' }, T1), { code: 'INTEGRITY_ERROR', message: /lists 1 modules in its module map where the store has 3/ });
      assert.equal(await store.revision(), 1);
      assert.equal(diffDatabases(fixtureDatabase(), (await store.loadPublished(T1)).database).unchanged, true);
      const forced = await store.replaceDatabase(fewReleases, { kind: 'file', location: 'few.json' }, T1, { force: true });
      assert.equal(forced.written, true);
      assert.deepEqual(forced.kept, { releases: false, modules: false });
      assert.deepEqual(forced.changes.releases, { before: 7, after: 2 });
    });

    test('an advisory published here is public at once, shadows the imported entry, and survives imports', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const seen: number[] = [];
      store.onChange((r) => seen.push(r));
      const local = advisory({ id: 'CPANSA-Baz-2019-01', distribution: 'Baz', affected_versions: ['<0.4'], fixed_versions: ['>=0.4'], description: 'Revised.\n' });
      const revision = await store.publishAdvisory(local, T1, { by: 'case 7' });
      assert.equal(revision, 2);
      assert.deepEqual(seen, [2]);
      const p = await store.loadPublished(T1);
      const baz = p.database.distributions.get('Baz')!.advisories;
      assert.deepEqual(baz.map((a) => a.description), ['Revised.\n']);
      assert.equal(p.times.get(baz[0]!)?.published, T1.toISOString());
      const r = await store.replaceDatabase(edited(fixtureDatabase(), (db) => (db.meta.generator = 'test 2')), { kind: 'file', location: 'two.json' }, T2);
      assert.deepEqual(r.shadowedByLocal, [{ id: 'CPANSA-Baz-2019-01', distribution: 'Baz' }]);
      const after = await store.loadPublished(T2);
      assert.deepEqual(after.database.distributions.get('Baz')!.advisories.map((a) => a.description), ['Revised.\n']);
    });

    test('a scheduled publication is not public before its time, and says when it will be', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const embargoed = advisory({ id: 'CPANSA-Foo-Bar-2026-01', distribution: 'Foo-Bar', affected_versions: ['<=2.0'], description: 'Under embargo.\n' });
      await store.publishAdvisory(embargoed, T0, { publishAt: T2 });
      const before = await store.loadPublished(T1);
      assert.equal(before.database.distributions.get('Foo-Bar')!.advisories.some((a) => a.id === 'CPANSA-Foo-Bar-2026-01'), false);
      assert.equal(before.nextChange, T2.toISOString());
      const atTime = await store.loadPublished(T2);
      assert.equal(atTime.database.distributions.get('Foo-Bar')!.advisories.some((a) => a.id === 'CPANSA-Foo-Bar-2026-01'), true);
      assert.equal(atTime.nextChange, undefined);
    });

    test('staged and withdrawn rows never reach the published database', async () => {
      const store = await backend.open();
      await store.replaceDatabase(fixtureDatabase(), { kind: 'file', location: 'one.json' }, T0);
      const row = { distribution: 'Baz', variant: 0, position: 9, origin: 'local' as const, modified_at: T0.toISOString(), revision: 1 };
      await store.db
        .insertInto('advisories')
        .values([
          { ...row, id: 'CPANSA-Baz-2026-01', record: JSON.stringify({ id: 'CPANSA-Baz-2026-01', affected_versions: ['<1'] }), published_at: null, withdrawn_at: null },
          { ...row, id: 'CPANSA-Baz-2026-02', record: JSON.stringify({ id: 'CPANSA-Baz-2026-02', affected_versions: ['<1'] }), published_at: T0.toISOString(), withdrawn_at: T0.toISOString() },
        ])
        .execute();
      const ids = (await store.loadPublished(T2)).database.distributions.get('Baz')!.advisories.map((a) => a.id);
      assert.deepEqual(ids, ['CPANSA-Baz-2019-01']);
    });
  });
}
