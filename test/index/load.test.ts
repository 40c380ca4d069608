import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeReport } from '../../src/advisory/index.js';
import { BUNDLED_DATABASE, loadBundledDatabase, loadDatabase, parseCpansaJson, VulnerabilityIndex } from '../../src/index/index.js';

const bundled = loadBundledDatabase();

test('the bundled database holds the whole CPANSA data', () => {
  const advisories = [...bundled.distributions.values()].flatMap((d) => d.advisories);
  assert.equal(bundled.distributions.size, 418);
  assert.equal(advisories.length, 2061);
  assert.equal(new Set(advisories.map((a) => a.id)).size, 1001);
  assert.equal([...bundled.distributions.values()].reduce((n, d) => n + d.releases.length, 0), 21_737);
  assert.equal(bundled.moduleToDistribution.size, 8336);
  // fields the upstream compiled JSON drops are kept (GHSA ids from the report files)
  assert.ok(advisories.some((a) => a.ghsas.length > 0));
  assert.ok(advisories.some((a) => a.embeddedVulnerability?.name === 'zlib'));
});

test('a directory of advisory files with a releases.json loads as a database', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-db-'));
  const mojo = bundled.distributions.get('Mojolicious')!;
  writeFileSync(path.join(dir, 'CPANSA-Mojolicious.yml'), writeReport('Mojolicious', mojo.advisories));
  writeFileSync(
    path.join(dir, 'releases.json'),
    JSON.stringify({ dists: { Mojolicious: { main_module: 'Mojolicious', versions: mojo.releases } }, module2dist: { 'Mojo::DOM': 'Mojolicious' } }),
  );
  const index = new VulnerabilityIndex(loadDatabase(dir));
  assert.equal(index.distributionOfModule('Mojo::DOM'), 'Mojolicious');
  assert.deepEqual(
    index.advisoriesFor('Mojolicious', '9.30').map((a) => a.id),
    new VulnerabilityIndex(bundled).advisoriesFor('Mojolicious', '9.30').map((a) => a.id),
  );
});

test('a CPANSA JSON file that is not JSON, or not a database, is refused with its name', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-db-'));
  writeFileSync(path.join(dir, 'bad.json'), '{"dists": ');
  writeFileSync(path.join(dir, 'other.json'), '{"hello": 1}');
  assert.throws(() => loadDatabase(path.join(dir, 'bad.json')), { code: 'PARSE_ERROR', message: /bad\.json: not JSON/ });
  assert.throws(() => loadDatabase(path.join(dir, 'other.json')), { message: /no 'dists' object/ });
  assert.throws(() => loadDatabase(path.join(dir, 'missing.json')), { code: 'NOT_FOUND' });
});

test('an advisory with an unreadable range fails validation naming the advisory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-db-'));
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify({ dists: { Foo: { advisories: [{ id: 'CPANSA-Foo-2020-01', affected_versions: ['<1.2.'], fixed_versions: [] }], versions: [] } } }));
  assert.throws(() => new VulnerabilityIndex(loadDatabase(file)).validate(), { code: 'INVALID_RANGE', message: /CPANSA-Foo-2020-01/ });
});

test('the bundled one-distribution-a-line layout reads as the same database as a whole JSON parse', () => {
  const text = readFileSync(BUNDLED_DATABASE, 'utf8');
  assert.ok(text.split('\n').length > 400, 'one distribution a line');
  const whole = parseCpansaJson(text, 'whole.json');
  for (const name of ['Mojolicious', 'DBI', 'perl']) {
    assert.deepEqual(bundled.distributions.get(name)!.advisories, whole.distributions.get(name)!.advisories);
    assert.deepEqual(bundled.distributions.get(name)!.releases, whole.distributions.get(name)!.releases);
  }
  assert.deepEqual([...bundled.moduleToDistribution], [...whole.moduleToDistribution]);
});

test('a damaged line of that layout is an error naming the file and the distribution', () => {
  const lines = readFileSync(BUNDLED_DATABASE, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('"Mojolicious":'));
  lines[at] = lines[at]!.replace('"advisories":[', '"advisories":[{');
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-db-'));
  const file = path.join(dir, 'cpansa.json');
  writeFileSync(file, lines.join('\n'));
  const db = loadDatabase(file);
  assert.throws(() => db.distributions.get('Mojolicious')!.advisories, { code: 'PARSE_ERROR', message: /cpansa\.json: dists\.Mojolicious: not JSON/ });
  assert.throws(() => new VulnerabilityIndex(loadDatabase(file)).validate(), { code: 'PARSE_ERROR' });
});
