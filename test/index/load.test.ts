import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { writeReport } from '../../src/advisory/index.js';
import { cli } from '../helpers/cli.js';
import { BUNDLED_DATABASE, loadBundledDatabase, loadDatabase, parseCpansaJson, VulnerabilityIndex } from '../../src/index/index.js';
import { tempDir } from '../helpers/temp.js';

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
  const dir = tempDir('db');
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
  const dir = tempDir('db');
  writeFileSync(path.join(dir, 'bad.json'), '{"dists": ');
  writeFileSync(path.join(dir, 'other.json'), '{"hello": 1}');
  assert.throws(() => loadDatabase(path.join(dir, 'bad.json')), { code: 'PARSE_ERROR', message: /bad\.json: not JSON/ });
  assert.throws(() => loadDatabase(path.join(dir, 'other.json')), { message: /no 'dists' object/ });
  assert.throws(() => loadDatabase(path.join(dir, 'missing.json')), { code: 'NOT_FOUND' });
});

test('an advisory with an unreadable range fails validation naming the advisory', () => {
  const dir = tempDir('db');
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
  const dir = tempDir('db');
  const file = path.join(dir, 'cpansa.json');
  writeFileSync(file, lines.join('\n'));
  const db = loadDatabase(file);
  assert.throws(() => db.distributions.get('Mojolicious')!.advisories, { code: 'PARSE_ERROR', message: new RegExp(`cpansa\\.json:${at + 1}: dists\\.Mojolicious: not JSON`) });
  assert.throws(() => new VulnerabilityIndex(loadDatabase(file)).validate(), { code: 'PARSE_ERROR' });
});

test('a wrongly shaped entry of a --db CPANSA JSON file fails validation naming the file and the key', () => {
  const dir = tempDir('db');
  const dbi = JSON.parse(JSON.stringify(JSON.parse(readFileSync(BUNDLED_DATABASE, 'utf8')).dists.DBI)) as Record<string, unknown>;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['advisories', { ...dbi, advisories: 'x' }, /bad\.json: dists\.DBI\.advisories: expected a list of advisories, got 'x'/],
    ['advisories', { ...dbi, advisories: { id: 'CPANSA-DBI-2020-01' } }, /dists\.DBI\.advisories: expected a list of advisories, got a mapping/],
    ['advisory', { ...dbi, advisories: ['CPANSA-DBI-2020-01'] }, /dists\.DBI\.advisories\[0\]: expected an advisory \(a mapping\)/],
    ['affected', { ...dbi, advisories: [{ id: 'CPANSA-DBI-2020-01', affected_versions: { lt: '1.643' } }] }, /dists\.DBI\.advisories\[0\]\.affected_versions: 'affected_versions' must be a list of strings, got a mapping/],
    ['id', { ...dbi, advisories: [{ affected_versions: ['<1'] }] }, /advisories\[0\]\.id: 'id' must be a non-empty string/],
    ['versions', { ...dbi, versions: 'x' }, /dists\.DBI\.versions: expected a list of releases, got 'x'/],
    ['release', { ...dbi, versions: [{ version: '1.0' }, [1, 2]] }, /dists\.DBI\.versions\[1\]: expected a release \{version, date\}, got a list/],
    ['main_module', { ...dbi, main_module: ['DBI'] }, /dists\.DBI\.main_module: expected a module name, got a list/],
  ];
  for (const [what, entry, message] of cases) {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ dists: { DBI: entry, Foo: { advisories: [], versions: [] } }, module2dist: { DBI: 'DBI' } }));
    assert.throws(() => new VulnerabilityIndex(loadDatabase(file)).validate(), { code: 'PARSE_ERROR', message }, what);
  }
  // the one-a-line layout names the line too
  const lines = readFileSync(BUNDLED_DATABASE, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('"DBI":'));
  lines[at] = lines[at]!.replace(/"advisories":\[.*?\],"main_module"/, '"advisories":"x","main_module"');
  writeFileSync(path.join(dir, 'lines.json'), lines.join('\n'));
  assert.throws(() => new VulnerabilityIndex(loadDatabase(path.join(dir, 'lines.json'))).validate(), {
    code: 'PARSE_ERROR',
    message: new RegExp(`lines\\.json:${at + 1}: dists\\.DBI\\.advisories: expected a list of advisories`),
  });
});

test('module2dist and meta of a --db file must be mappings; null versions (perl-only releases) are not releases', () => {
  const dir = tempDir('db');
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify({ dists: {}, module2dist: ['DBI'] }));
  assert.throws(() => loadDatabase(file), { code: 'PARSE_ERROR', message: /module2dist: expected a mapping of modules to distributions, got a list/ });
  writeFileSync(file, JSON.stringify({ dists: {}, module2dist: { DBI: 7 } }));
  assert.throws(() => loadDatabase(file), { message: /module2dist\.DBI: expected a distribution name, got number 7/ });
  writeFileSync(file, JSON.stringify({ meta: 'x', dists: {} }));
  assert.throws(() => loadDatabase(file), { message: /meta: expected a mapping/ });
  writeFileSync(file, JSON.stringify({ dists: { Foo: { advisories: [], versions: [{ version: null, perl_release: '5' }, { version: 1.3 }, '2.0'], main_module: 'Foo' } } }));
  assert.deepEqual(loadDatabase(file).distributions.get('Foo')!.releases.map((r) => r.version), ['1.3', '2.0']);
});

test('a directory of advisory files: wrongly shaped fields and release data fail with file and line', () => {
  const dir = tempDir('db');
  writeFileSync(path.join(dir, 'CPANSA-Foo.yml'), 'advisories:\n- id: CPANSA-Foo-2020-01\n  affected_versions:\n    lt: 1.0\n  description: x\ndistribution: Foo\n');
  assert.throws(() => loadDatabase(dir), { code: 'PARSE_ERROR', message: /CPANSA-Foo\.yml:3: CPANSA-Foo-2020-01: 'affected_versions' must be a list of strings, got a mapping/ });
  writeFileSync(path.join(dir, 'CPANSA-Foo.yml'), 'advisories:\n- id: CPANSA-Foo-2020-01\n  affected_versions: ["<1.0"]\n  description: x\ndistribution: Foo\n');
  writeFileSync(path.join(dir, 'releases.json'), JSON.stringify({ dists: { Foo: { versions: 'x' } } }));
  assert.throws(() => loadDatabase(dir), { code: 'PARSE_ERROR', message: /releases\.json: dists\.Foo\.versions: expected a list of releases/ });
});

test('cpansec audit dist DBI 1.0 --db with a bad DBI entry exits 2 with one line, never "No known vulnerabilities"', () => {
  const dir = tempDir('db');
  const file = path.join(dir, 'db.json');
  const doc = JSON.parse(readFileSync(BUNDLED_DATABASE, 'utf8')) as { dists: Record<string, Record<string, unknown>> };
  doc.dists.DBI!.advisories = 'x';
  writeFileSync(file, JSON.stringify(doc));
  const r = cli(['audit', 'dist', 'DBI', '1.0', '--db', file]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `cpansec: ${file}: dists.DBI.advisories: expected a list of advisories, got 'x'\n`);
});
