/**
 * The bundled database's line table (data/cpansa.lines.json): it describes the file shipped with it,
 * a database read through it answers exactly as one read whole, and a table that does not match its
 * file is refused or stops with an error, never read as other data.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { lineTable, readByTable, type LineTable } from '../../src/index/cpansa-table.js';
import { loadBundledDatabase, parseCpansaBuffer, VulnerabilityIndex } from '../../src/index/index.js';
import { formatReleaseLines, readReleaseLines } from '../../src/index/cpansa-releases.js';
import { parseVersion } from '../../src/perl/index.js';
import { projectPath } from '../helpers/paths.js';

const file = projectPath('data', 'cpansa.json');
const bytes = readFileSync(file);
const shipped = JSON.parse(readFileSync(projectPath('data', 'cpansa.lines.json'), 'utf8')) as LineTable;

test('the shipped table is the table of the shipped database (npm run data:bundle writes both)', () => {
  assert.deepEqual(shipped, lineTable(bytes));
});

test('read through the table, the database answers as when read whole: every distribution, release and advisory', () => {
  const whole = new VulnerabilityIndex(parseCpansaBuffer(bytes, file));
  const tabled = new VulnerabilityIndex(loadBundledDatabase());
  assert.ok(tabled.db.distributions.get('DBI')?.advisoryRanges, 'the bundled database is read through its table');
  assert.deepEqual(tabled.meta, whole.meta);
  assert.deepEqual(tabled.distributionNames(), whole.distributionNames());
  for (const name of whole.distributionNames()) {
    const a = whole.distribution(name)!;
    const b = tabled.distribution(name)!;
    assert.equal(b.mainModule, a.mainModule, name);
    // checked version by version before the records are read, so the ranges come from the table
    const versions = [...new Set(['0', '0.01', '1.0', '99999', ...a.releases.map((r) => r.version)])];
    for (const v of versions) {
      let expected: string[] | undefined;
      try {
        expected = whole.advisoriesFor(name, v).map((x) => x.id);
      } catch {
        assert.throws(() => tabled.advisoriesFor(name, v), Error, `${name} ${v}`);
        continue;
      }
      assert.deepEqual(tabled.advisoriesFor(name, v).map((x) => x.id), expected, `${name} ${v}`);
      assert.equal(tabled.lowestUnaffectedRelease(name, v), whole.lowestUnaffectedRelease(name, v), `${name} ${v}`);
    }
    assert.equal(tabled.lowestUnaffectedRelease(name), whole.lowestUnaffectedRelease(name), name);
    assert.deepEqual(tabled.unfixedAdvisories(name).map((x) => x.id), whole.unfixedAdvisories(name).map((x) => x.id), name);
    assert.deepEqual(tabled.unreadableVersions(name), whole.unreadableVersions(name), name);
    assert.equal(tabled.hasReleases(name), whole.hasReleases(name), name);
    for (const v of ['0', '1.0', a.releases[0]?.version ?? '', a.releases.at(-1)?.version ?? '']) assert.equal(tabled.listsRelease(name, v), a.releases.some((r) => r.version === v), `${name} ${v}`);
    assert.deepEqual(b.advisories, a.advisories, name);
    assert.deepEqual(b.releases, a.releases, name);
    b.advisories.forEach((adv, i) => assert.deepEqual(tabled.affectedReleases(adv), whole.affectedReleases(a.advisories[i]!), `${name} ${adv.id}`));
  }
  for (const m of ['DBI', 'DBD::File', 'IO::Compress::Gzip', 'No::Such::Module']) assert.equal(tabled.distributionOfModule(m), whole.distributionOfModule(m), m);
});

test('a table for a file of another size, or another first line, is not used: the file is read whole', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-table-'));
  try {
    const copy = path.join(dir, 'cpansa.json');
    writeFileSync(copy, Buffer.concat([bytes, Buffer.from('\n')]));
    assert.equal(readByTable(copy, shipped), undefined);
    // same size, but the first line is not where the table says
    assert.equal(readByTable(file, { ...shipped, meta: [1, shipped.meta[1]] }), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table whose lines are not the file’s (same size, edited by hand) stops with an error naming both, not other data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-table-'));
  try {
    const copy = path.join(dir, 'cpansa.json');
    copyFileSync(file, copy);
    // DBI's line moved by one byte, and the line of another distribution given for DBI
    const moved: LineTable = { ...shipped, dists: { ...shipped.dists, DBI: { ...shipped.dists.DBI!, at: [shipped.dists.DBI!.at[0] + 1, shipped.dists.DBI!.at[1]] } } };
    const swapped: LineTable = { ...shipped, dists: { ...shipped.dists, DBI: { ...shipped.dists.DBI!, at: shipped.dists.Mojolicious!.at } } };
    const broken: LineTable = { ...shipped, dists: { ...shipped.dists, DBI: { at: [1, 2], ranges: 'x' } as never } };
    const badRanges: LineTable = { ...shipped, dists: { ...shipped.dists, DBI: { ...shipped.dists.DBI!, ranges: '[["<1.0"]]' } } };
    for (const table of [moved, swapped, broken, badRanges]) {
      const lines = readByTable(copy, table)!;
      assert.throws(
        () => {
          lines.entry('DBI');
          lines.summaryOf!('DBI');
        },
        (e: Error & { code?: string }) => e.code === 'PARSE_ERROR' && /dists\.DBI: the line table \(cpansa\.lines\.json\) does not match/.test(e.message),
      );
      // the other lines are still read right
      assert.equal((lines.entry('Mojolicious') as { main_module: string }).main_module, 'Mojolicious');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped sorted release versions are those of the shipped database; a file made from another is not used', () => {
  const shippedReleases = readFileSync(projectPath('data', 'cpansa.releases.json'), 'utf8');
  const dists = (JSON.parse(bytes.toString('utf8')) as { dists: Record<string, unknown> }).dists;
  assert.equal(shippedReleases, formatReleaseLines(bytes.length, dists));
  const releases = readReleaseLines(projectPath('data', 'cpansa.releases.json'), bytes.length)!;
  for (const name of Object.keys(dists)) {
    const versions = releases(name)!.sorted.map((v) => parseVersion(v));
    versions.slice(1).forEach((v, i) => assert.ok(versions[i]!.compare(v) <= 0, `${name}: ${versions[i]} then ${v}`));
  }
  assert.equal(readReleaseLines(projectPath('data', 'cpansa.releases.json'), bytes.length + 1), undefined);
  assert.equal(readReleaseLines(projectPath('data', 'no-such-file.json'), bytes.length), undefined);
});

test('a sorted release file with a broken line stops with an error naming it, never a wrong remediation', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-releases-'));
  try {
    const file = path.join(dir, 'cpansa.releases.json');
    writeFileSync(file, formatReleaseLines(10, { A: { versions: [{ version: '1.0' }] }, B: { versions: [{ version: '2.0' }] } }).replace('"B":[["2.0"],[]]', '"B":[[2.0],[]]'));
    const releases = readReleaseLines(file, 10)!;
    assert.deepEqual(releases('A'), { sorted: ['1.0'], unreadable: [] });
    assert.equal(releases('C'), undefined);
    assert.throws(() => releases('B'), (e: Error & { code?: string }) => e.code === 'PARSE_ERROR' && e.message.includes(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
