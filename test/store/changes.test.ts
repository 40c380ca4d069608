import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffDatabases } from '../../src/index/index.js';
import { advisory, edited, fixtureDatabase } from './fixtures.js';

test('a database compared with itself is unchanged', () => {
  const d = diffDatabases(fixtureDatabase(), fixtureDatabase());
  assert.equal(d.unchanged, true);
  assert.deepEqual([d.added, d.removed, d.changed], [[], [], []]);
});

test('added, removed and changed advisories, by distribution and id; releases and modules counted', () => {
  const after = edited(fixtureDatabase(), (db) => {
    const foo = db.distributions.get('Foo-Bar')!;
    foo.advisories[0] = { ...foo.advisories[0]!, fixedVersions: ['>=1.3'] };
    foo.advisories.push(advisory({ id: 'CPANSA-Foo-Bar-2024-01', distribution: 'Foo-Bar', affected_versions: ['<3'] }));
    db.distributions.delete('Baz');
    db.moduleToDistribution.delete('Baz');
  });
  const d = diffDatabases(fixtureDatabase(), after);
  assert.equal(d.unchanged, false);
  assert.deepEqual(d.added, [{ id: 'CPANSA-Foo-Bar-2024-01', distribution: 'Foo-Bar' }]);
  assert.deepEqual(d.removed, [{ id: 'CPANSA-Baz-2019-01', distribution: 'Baz' }]);
  assert.deepEqual(d.changed, [{ id: 'CPANSA-Foo-Bar-2020-01', distribution: 'Foo-Bar' }]);
  assert.deepEqual(d.distributionsRemoved, ['Baz']);
  assert.deepEqual(d.releases, { before: 7, after: 4 });
  assert.deepEqual(d.modules, { before: 3, after: 2 });
});

test('a new release or a module moving to another distribution is a change though no advisory changed', () => {
  const release = edited(fixtureDatabase(), (db) => db.distributions.get('Baz')!.releases.push({ version: '0.4' }));
  assert.equal(diffDatabases(fixtureDatabase(), release).unchanged, false);
  const moved = edited(fixtureDatabase(), (db) => db.moduleToDistribution.set('Foo::Bar::Util', 'Baz'));
  assert.equal(diffDatabases(fixtureDatabase(), moved).unchanged, false);
});
